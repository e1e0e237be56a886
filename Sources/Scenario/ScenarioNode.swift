import JSON
import Yams

/// A YAML node of a scenario file together with where it is, so every accessor can fail with the
/// file, line, column and field of the offending value.
public struct ScenarioNode {
    let node: Node
    public let file: String
    /// Dotted field path from the document root, e.g. `steps[0].transform`.
    public let field: String

    init(node: Node, file: String, field: String) {
        self.node = node
        self.file = file
        self.field = field
    }

    /// A one-key mapping `{key: node}`, so that field paths below it start with `key`.
    init(wrapping child: ScenarioNode, key: String = "systems") {
        let parentField = child.field.hasSuffix("." + key) ? String(child.field.dropLast(key.count + 1)) : ""
        self.init(node: .mapping(Node.Mapping([(Node(key), child.node)])), file: child.file, field: parentField)
    }

    public func error(_ message: String) -> ScenarioError {
        ScenarioError(file: file, line: node.mark?.line, column: node.mark?.column, field: field, message: message)
    }

    public var line: Int? { node.mark?.line }

    private func child(_ node: Node, _ key: String) -> ScenarioNode {
        ScenarioNode(node: node, file: file, field: field.isEmpty ? key : "\(field).\(key)")
    }

    // MARK: Shape

    public var isMapping: Bool {
        if case .mapping = node { return true }
        return false
    }

    /// The keys of a mapping, in order.
    public func keys() throws(ScenarioError) -> [String] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping (key: value lines)") }
        var keys: [String] = []
        for (key, _) in mapping {
            guard case .scalar(let scalar) = key else {
                throw ScenarioNode(node: key, file: file, field: field).error("keys must be plain text")
            }
            keys.append(scalar.string)
        }
        return keys
    }

    /// Fails on the first key that `shape` does not allow, naming its members.
    public func rejectUnknownKeys(_ shape: JSONShape) throws(ScenarioError) {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping (key: value lines)") }
        for (key, _) in mapping {
            let name = key.string ?? ""
            if !shape.allowsMember(name) {
                throw ScenarioNode(node: key, file: file, field: field.isEmpty ? name : "\(field).\(name)")
                    .error("unknown key '\(name)' (expected one of: \(shape.memberNames.sorted().joined(separator: ", ")))")
            }
        }
    }

    public subscript(key: String) -> ScenarioNode? {
        guard case .mapping(let mapping) = node else { return nil }
        for (k, v) in mapping where k.string == key { return child(v, key) }
        return nil
    }

    public func required(_ key: String) throws(ScenarioError) -> ScenarioNode {
        guard isMapping else { throw error("expected a mapping (key: value lines)") }
        guard let value = self[key] else { throw error("missing required key '\(key)'") }
        return value
    }

    /// The elements of a sequence.
    public func elements() throws(ScenarioError) -> [ScenarioNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list (lines starting with '- ')") }
        return sequence.enumerated().map { ScenarioNode(node: $0.element, file: file, field: "\(field)[\($0.offset)]") }
    }

    /// The entries of a mapping as (key, value) pairs, in order.
    public func entries() throws(ScenarioError) -> [(key: String, value: ScenarioNode)] {
        let keys = try keys()
        guard case .mapping(let mapping) = node else { return [] }
        return zip(keys, mapping).map { key, pair in (key, child(pair.value, key)) }
    }

    // MARK: Scalars

    public func string() throws(ScenarioError) -> String {
        guard case .scalar(let scalar) = node else { throw error("expected text") }
        return scalar.string
    }

    public func bool() throws(ScenarioError) -> Bool {
        guard case .scalar(let scalar) = node, let b = Self.boolValue(scalar) else { throw error("expected true or false") }
        return b
    }

    public func int() throws(ScenarioError) -> Int {
        guard case .scalar(let scalar) = node, let i = Int(scalar.string.replacingAll("_", with: "")) else {
            throw error("expected a whole number")
        }
        return i
    }

    /// A whole number within `range`; the error names the range.
    public func int(in range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        guard case .scalar(let scalar) = node, let i = Int(scalar.string.replacingAll("_", with: "")), range.contains(i) else {
            throw error("expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return i
    }

    /// A finite number within `range` (`inf`, `nan` and `1e400` are refused); the error names the range.
    public func double(in range: ClosedRange<Double>) throws(ScenarioError) -> Double {
        guard case .scalar(let scalar) = node, let d = Double(scalar.string.replacingAll("_", with: "")), d.isFinite, range.contains(d) else {
            throw error("expected a number from \(Self.shown(range.lowerBound)) to \(Self.shown(range.upperBound))")
        }
        return d
    }

    private static func shown(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    public func string(_ key: String) throws(ScenarioError) -> String? {
        try self[key]?.string()
    }

    public func bool(_ key: String) throws(ScenarioError) -> Bool? {
        try self[key]?.bool()
    }

    /// Text-to-text pairs (properties, variables); numbers and booleans are taken as written.
    public func stringMap() throws(ScenarioError) -> [String: String] {
        var map: [String: String] = [:]
        for (key, value) in try entries() {
            guard case .scalar(let scalar) = value.node else { throw value.error("expected a single value") }
            map[key] = scalar.string
        }
        return map
    }

    // MARK: JSON

    /// How many values one conversion to JSON may produce. YAML aliases repeat the anchored node
    /// wherever they appear, so a small file of nested aliases ("billion laughs") could otherwise
    /// expand without bound.
    public static let maximumJSONValues = 2_000_000

    /// The node as JSON. Plain YAML scalars keep their YAML type (`true`, `42`, `null`); quoted
    /// ones are always strings.
    public func json() throws(ScenarioError) -> JSONValue {
        var budget = Self.maximumJSONValues
        return try json(budget: &budget)
    }

    private func json(budget: inout Int) throws(ScenarioError) -> JSONValue {
        budget -= 1
        guard budget >= 0 else { throw error("the value expands to more than \(Self.maximumJSONValues) elements (nested YAML aliases?)") }
        switch node {
        case .scalar(let scalar):
            return try Self.json(scalar, self)
        case .sequence:
            var array: [JSONValue] = []
            for element in try elements() { array.append(try element.json(budget: &budget)) }
            return .array(array)
        case .mapping:
            var object = JSONObject()
            for (key, value) in try entries() { object[key] = try value.json(budget: &budget) }
            return .object(object)
        case .alias:
            throw error("YAML aliases are not supported")
        }
    }

    private static func json(_ scalar: Node.Scalar, _ at: ScenarioNode) throws(ScenarioError) -> JSONValue {
        guard scalar.style == .plain else { return .string(scalar.string) }
        let text = scalar.string
        switch text {
        case "null", "Null", "NULL", "~", "": return .null
        default: break
        }
        if let b = boolValue(scalar) { return .bool(b) }
        if let number = JSONNumber(text: text) { return .number(number) }
        return .string(text)
    }

    private static func boolValue(_ scalar: Node.Scalar) -> Bool? {
        switch scalar.string {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
