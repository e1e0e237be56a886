import JSON
import JSONPath

/// The parameters of one function object in a mapping, read with type checks. Every key must be
/// known: a misspelt parameter is reported instead of silently ignored.
struct FunctionParameters {
    let name: String
    let object: JSONObject
    let field: String
    private(set) var used: Set<String> = ["function", "type", "condition", "applyOnElements", "applyOnAttribute", "applyOnJsonAttribute", "assignToAttribute"]

    init(name: String, object: JSONObject, field: String) {
        self.name = name
        self.object = object
        self.field = field
    }

    func issue(_ parameter: String?, _ message: String) -> CompileIssue {
        CompileIssue(field: parameter.map { "\(field).\($0)" } ?? field, message: "\(name): \(message)")
    }

    mutating func value(_ key: String) -> JSONValue? {
        used.insert(key)
        return object[key]
    }

    mutating func requiredValue(_ key: String) throws(CompileIssue) -> JSONValue {
        guard let v = value(key) else { throw issue(nil, "missing required parameter '\(key)'") }
        return v
    }

    /// A text parameter; numbers and booleans are accepted as their text (`"suffix": 123`).
    mutating func text(_ key: String) throws(CompileIssue) -> StringTemplate? {
        guard let v = value(key) else { return nil }
        switch v {
        case .string(let s): return StringTemplate(s)
        case .number(let n): return StringTemplate(n.text)
        case .bool(let b): return StringTemplate(b ? "true" : "false")
        default: throw issue(key, "must be text, not \(v.typeName)")
        }
    }

    mutating func requiredText(_ key: String) throws(CompileIssue) -> StringTemplate {
        guard let t = try text(key) else { throw issue(nil, "missing required parameter '\(key)'") }
        return t
    }

    /// An integer, written as a number or as text with an optional sign (`"+2"`, `"-1"`).
    mutating func integer(_ key: String) throws(CompileIssue) -> Int? {
        guard let v = value(key) else { return nil }
        switch v {
        case .number(let n):
            guard let i = n.int64Value else { throw issue(key, "must be a whole number, not \(n.text)") }
            return Int(i)
        case .string(let s):
            let trimmed = s.hasPrefix("+") ? String(s.dropFirst()) : s
            guard let i = Int(trimmed) else { throw issue(key, "must be a whole number, not '\(s)'") }
            return i
        default:
            throw issue(key, "must be a whole number, not \(v.typeName)")
        }
    }

    mutating func requiredInteger(_ key: String) throws(CompileIssue) -> Int {
        guard let i = try integer(key) else { throw issue(nil, "missing required parameter '\(key)'") }
        return i
    }

    mutating func bool(_ key: String) throws(CompileIssue) -> Bool? {
        guard let v = value(key) else { return nil }
        switch v {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        default: throw issue(key, "must be true or false, not \(v.textValue)")
        }
    }

    /// Fails on any key that no read asked for.
    func rejectUnknown() throws(CompileIssue) {
        let unknown = object.keys.filter { !used.contains($0) }
        guard unknown.isEmpty else {
            let known = used.subtracting(["function", "type", "applyOnJsonAttribute"]).sorted().joined(separator: ", ")
            throw issue(unknown[0], "unknown parameter '\(unknown[0])' (known: \(known))")
        }
    }
}

/// A compile problem before it is located in the file.
struct CompileIssue: Error {
    let field: String
    let message: String
}
