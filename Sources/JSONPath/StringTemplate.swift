import JSON

/// Text with `${variable}` references, split once at compile time and rendered per evaluation.
///
/// IPS interpolates variables into condition literals and function parameters
/// (`"suffix": "${entityIdSourceSystem}"`). An unbound variable renders as the text `null`, the
/// same rule IPS applies to unset `%property%` references.
public struct StringTemplate: Sendable, Hashable, CustomStringConvertible {
    /// A run of literal text or one `${name}` reference.
    public enum Part: Sendable, Hashable {
        case literal(String)
        case variable(String)
    }

    /// The text split at its references, in order.
    public let parts: [Part]
    public let source: String

    public init(_ source: String) {
        self.source = source
        var parts: [Part] = []
        var literal = ""
        var rest = source[...]
        while let open = rest.firstRange(of: "${") {
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            literal += rest[..<open.lowerBound]
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.variable(String(rest[open.upperBound..<close])))
            rest = rest[rest.index(after: close)...]
        }
        literal += rest
        if !literal.isEmpty || parts.isEmpty { parts.append(.literal(literal)) }
        self.parts = parts
    }

    /// Whether the text contains no variable reference (then `render` always returns `source`).
    public var isConstant: Bool {
        !parts.contains { if case .variable = $0 { return true } else { return false } }
    }

    /// The names referenced, in order.
    public var variableNames: [String] {
        parts.compactMap { if case .variable(let name) = $0 { return name } else { return nil } }
    }

    public func render(_ variables: VariableBindings) -> String {
        if parts.count == 1, case .literal(let text) = parts[0] { return text }
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .variable(let name): out += variables[name]?.textValue ?? "null"
            }
        }
        return out
    }

    public var description: String { source }
}
