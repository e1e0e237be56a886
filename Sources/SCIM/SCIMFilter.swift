import JSON

/// A parsed SCIM filter (RFC 7644 §3.4.2.2).
public indirect enum SCIMFilter: Sendable, Equatable {
    case and(SCIMFilter, SCIMFilter)
    case or(SCIMFilter, SCIMFilter)
    case not(SCIMFilter)
    case present(SCIMAttributePath)
    case compare(SCIMAttributePath, Operator, Value)
    /// `emails[type eq "work"]`: some element of the multi-valued attribute matches the inner filter,
    /// whose paths are relative to the element.
    case valuePath(SCIMAttributePath, SCIMFilter)

    public enum Operator: String, Sendable, CaseIterable {
        case eq, ne, co, sw, ew, gt, ge, lt, le
    }

    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case string(String)
        case number(JSONNumber)
        case bool(Bool)
        case null

        public var description: String {
            switch self {
            case .string(let s): return JSONValue.string(s).serialized()
            case .number(let n): return n.text
            case .bool(let b): return b ? "true" : "false"
            case .null: return "null"
            }
        }
    }

    /// How deeply parentheses, `not (…)` and value paths may nest. Recursive descent needs a
    /// frame per level, so without a bound a request could overflow the stack (docs/fidelity.md,
    /// "Request limits").
    public static let maximumNesting = 64

    /// Parses filter text; errors are `400 invalidFilter` with the position.
    public init(parsing text: String) throws(SCIMError) {
        var parser = SCIMFilterParser(text)
        let filter = try parser.parseFilter()
        parser.skipSpaces()
        guard parser.isAtEnd else {
            throw parser.error("unexpected \(parser.describeCurrent) after the filter")
        }
        self = filter
    }

    /// Every operator used (for services that support only some).
    public var operators: Set<Operator> {
        switch self {
        case .and(let a, let b), .or(let a, let b): return a.operators.union(b.operators)
        case .not(let f), .valuePath(_, let f): return f.operators
        case .present: return []
        case .compare(_, let op, _): return [op]
        }
    }

    /// The top-level attribute names the filter reads, lowercased (`emails`, `meta`, …), so a
    /// service can prepare only what the filter looks at.
    public var referencedAttributes: Set<String> {
        switch self {
        case .and(let a, let b), .or(let a, let b): return a.referencedAttributes.union(b.referencedAttributes)
        case .not(let f): return f.referencedAttributes
        case .present(let path), .compare(let path, _, _): return [path.attribute.lowercased()]
        case .valuePath(let path, _): return [path.attribute.lowercased()]
        }
    }

    /// `attribute eq "string"` comparisons every match must satisfy (the filter itself, or a
    /// side of an `and`), for services that look those up in an index before evaluating.
    public var equalityTerms: [(path: SCIMAttributePath, value: String)] {
        switch self {
        case .compare(let path, .eq, .string(let value)): return [(path, value)]
        case .and(let a, let b): return a.equalityTerms + b.equalityTerms
        default: return []
        }
    }

    /// Whether a presence test (`pr`) appears.
    public var usesPresence: Bool {
        switch self {
        case .and(let a, let b), .or(let a, let b): return a.usesPresence || b.usesPresence
        case .not(let f), .valuePath(_, let f): return f.usesPresence
        case .present: return true
        case .compare: return false
        }
    }

    /// Whether `not` or value paths appear (UAA supports neither).
    public var usesNotOrValuePath: Bool {
        switch self {
        case .and(let a, let b), .or(let a, let b): return a.usesNotOrValuePath || b.usesNotOrValuePath
        case .not, .valuePath: return true
        case .present, .compare: return false
        }
    }

    /// The attribute paths referenced at the top level (not inside value paths).
    public var attributePaths: [SCIMAttributePath] {
        switch self {
        case .and(let a, let b), .or(let a, let b): return a.attributePaths + b.attributePaths
        case .not(let f): return f.attributePaths
        case .present(let p), .compare(let p, _, _), .valuePath(let p, _): return [p]
        }
    }
}

/// Recursive-descent parser: `or` binds loosest, then `and`, then `not`, then comparisons.
struct SCIMFilterParser {
    let chars: [Character]
    var position = 0
    let text: String
    /// Open parentheses, `not (` and value paths around the current position.
    var nesting = 0

    init(_ text: String) {
        self.text = text
        chars = Array(text)
    }

    var isAtEnd: Bool { position >= chars.count }

    var describeCurrent: String {
        isAtEnd ? "end of filter" : "'\(chars[position])' at position \(position + 1)"
    }

    func error(_ message: String) -> SCIMError {
        .badRequest(.invalidFilter, "Invalid filter '\(SCIMFilterParser.excerpt(text))': \(message)")
    }

    /// The filter as error messages quote it: long filters are cut, so an error never echoes a
    /// megabyte of request back.
    static func excerpt(_ text: String) -> String {
        text.count <= 200 ? text : String(text.prefix(200)) + "…"
    }

    /// Enters a parenthesis, `not (` or value path, refusing nesting deeper than the limit.
    mutating func enterNested() throws(SCIMError) {
        guard nesting < SCIMFilter.maximumNesting else {
            throw error("nested deeper than \(SCIMFilter.maximumNesting) levels")
        }
        nesting += 1
    }

    mutating func skipSpaces() {
        while position < chars.count, chars[position] == " " || chars[position] == "\t" { position += 1 }
    }

    /// Reads a bare word (attribute path, operator, keyword, number).
    mutating func word() -> String {
        skipSpaces()
        let start = position
        while position < chars.count {
            let c = chars[position]
            if c == " " || c == "(" || c == ")" || c == "[" || c == "]" || c == "\"" || c == "\t" { break }
            position += 1
        }
        return String(chars[start..<position])
    }

    mutating func peekWord() -> String {
        let saved = position
        defer { position = saved }
        return word()
    }

    mutating func parseFilter() throws(SCIMError) -> SCIMFilter {
        var terms = [try parseAnd()]
        while peekWord().lowercased() == "or" {
            _ = word()
            terms.append(try parseAnd())
        }
        // A balanced tree: a chain of n terms (the engine's member PATCH sends thousands) nests
        // log2(n) deep, so every recursive walk over a filter stays shallow.
        return terms.balancedFold(SCIMFilter.or) ?? terms[0]
    }

    mutating func parseAnd() throws(SCIMError) -> SCIMFilter {
        var terms = [try parseUnary()]
        while peekWord().lowercased() == "and" {
            _ = word()
            terms.append(try parseUnary())
        }
        return terms.balancedFold(SCIMFilter.and) ?? terms[0]
    }

    mutating func parseUnary() throws(SCIMError) -> SCIMFilter {
        skipSpaces()
        guard !isAtEnd else { throw error("expected an expression, found the end") }
        if chars[position] == "(" {
            try enterNested()
            defer { nesting -= 1 }
            position += 1
            let inner = try parseFilter()
            skipSpaces()
            guard !isAtEnd, chars[position] == ")" else { throw error("expected ')', found \(describeCurrent)") }
            position += 1
            return inner
        }
        if peekWord().lowercased() == "not" {
            _ = word()
            skipSpaces()
            guard !isAtEnd, chars[position] == "(" else { throw error("'not' must be followed by '('") }
            try enterNested()
            defer { nesting -= 1 }
            position += 1
            let inner = try parseFilter()
            skipSpaces()
            guard !isAtEnd, chars[position] == ")" else { throw error("expected ')', found \(describeCurrent)") }
            position += 1
            return .not(inner)
        }
        return try parseAttributeExpression()
    }

    mutating func parseAttributeExpression() throws(SCIMError) -> SCIMFilter {
        let pathText = word()
        guard !pathText.isEmpty else { throw error("expected an attribute name, found \(describeCurrent)") }
        guard let path = SCIMAttributePath.parse(pathText) else { throw error("'\(pathText)' is not an attribute path") }
        if !isAtEnd, chars[position] == "[" {
            guard path.subAttribute == nil else { throw error("a value filter cannot follow a sub-attribute ('\(pathText)[')") }
            try enterNested()
            defer { nesting -= 1 }
            position += 1
            let inner = try parseFilter()
            skipSpaces()
            guard !isAtEnd, chars[position] == "]" else { throw error("expected ']', found \(describeCurrent)") }
            position += 1
            return .valuePath(path, inner)
        }
        let operatorText = word()
        if operatorText.lowercased() == "pr" { return .present(path) }
        guard let op = SCIMFilter.Operator(rawValue: operatorText.lowercased()) else {
            throw error(operatorText.isEmpty ? "expected an operator after '\(pathText)'" : "unknown operator '\(operatorText)'")
        }
        return .compare(path, op, try parseValue())
    }

    mutating func parseValue() throws(SCIMError) -> SCIMFilter.Value {
        skipSpaces()
        guard !isAtEnd else { throw error("expected a value, found the end") }
        if chars[position] == "\"" {
            let start = position
            position += 1
            var escaped = false
            while position < chars.count {
                let c = chars[position]
                position += 1
                if escaped { escaped = false; continue }
                if c == "\\" { escaped = true; continue }
                if c == "\"" {
                    let literal = String(chars[start..<position])
                    guard case .string(let s)? = try? JSONValue(parsing: literal) else {
                        throw error("invalid string \(literal)")
                    }
                    return .string(s)
                }
            }
            throw error("unterminated string")
        }
        let w = word()
        switch w.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default:
            guard let number = JSONNumber(text: w) else {
                throw error(w.isEmpty ? "expected a value, found \(describeCurrent)" : "'\(w)' is not a value (strings need double quotes)")
            }
            return .number(number)
        }
    }
}
