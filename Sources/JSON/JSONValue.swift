/// A JSON value whose objects keep their key order and whose numbers keep their exact text.
///
/// Key order is observable in reports and diffs, so it is preserved from parsing through
/// serialization. Equality is semantic: objects compare as maps (order-insensitive) and
/// numbers compare numerically, so `1.0 == 1` and `{"a":1,"b":2} == {"b":2,"a":1}`.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    /// The JSON type name as used in error messages: `null`, `boolean`, `number`, `string`, `array`, `object`.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The integer value of a number that is an exact integer within `Int` range.
    public var intValue: Int? {
        guard case .number(let n) = self, let i = n.int64Value else { return nil }
        return Int(exactly: i)
    }

    /// Member lookup on objects; `nil` for other types or a missing key.
    public subscript(key: String) -> JSONValue? {
        get {
            guard case .object(let o) = self else { return nil }
            return o[key]
        }
        set {
            guard case .object(var o) = self else { return }
            self = .null  // release our reference so the payload stays uniquely referenced
            o[key] = newValue
            self = .object(o)
        }
    }

    /// Element lookup on arrays; `nil` for other types or an index out of range.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let a) = self, a.indices.contains(index) else { return nil }
        return a[index]
    }

    /// The value as plain text, the way string functions see it: strings as they are, numbers
    /// as their literal, booleans as `true`/`false`, `null` as `null`, containers as compact JSON.
    public var textValue: String {
        switch self {
        case .string(let s): return s
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array, .object: return serialized()
        }
    }

    /// The value as an ID: IDs are strings, but a number is accepted and spelled as written.
    public var idText: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n.text
        default: return nil
        }
    }

    /// Whether the value counts as empty: `null`, `""`, `[]` or `{}`.
    public var isEmptyValue: Bool {
        switch self {
        case .null: return true
        case .string(let s): return s.isEmpty
        case .array(let a): return a.isEmpty
        case .object(let o): return o.isEmpty
        case .bool, .number: return false
        }
    }
}

extension JSONValue: Equatable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        default: return false
        }
    }
}

extension JSONValue: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .number(let n): hasher.combine(2); hasher.combine(n)
        case .string(let s): hasher.combine(3); hasher.combine(s)
        case .array(let a): hasher.combine(4); hasher.combine(a)
        case .object(let o): hasher.combine(5); hasher.combine(o)
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// Compact JSON text.
    public var description: String { serialized() }
}
