import JSON

/// Filters built as values and printed once: every connector and the proxy write filter text
/// through here, so quoting and parentheses are the same everywhere.
///
/// Printing puts parentheses only where precedence needs them (`and` binds tighter than `or`), and
/// quotes strings as JSON strings (RFC 7644 §3.4.2.2 takes JSON values), so a printed filter
/// parses back to one with the same meaning (and the same tree, for balanced `and`/`or` chains).
extension SCIMFilter: CustomStringConvertible {
    public var description: String {
        printed(within: .or)
    }

    /// How tightly a form binds: an operand binding less tightly than its context is parenthesised.
    private enum Binding: Int, Comparable {
        case or, and, atom
        static func < (a: Binding, b: Binding) -> Bool { a.rawValue < b.rawValue }
    }

    private var binding: Binding {
        switch self {
        case .or: .or
        case .and: .and
        case .not, .present, .compare, .valuePath: .atom
        }
    }

    // Depth is bounded: parsed filters nest at most `maximumNesting` levels and long `and`/`or`
    // chains are balanced trees (`all`, `any`, the parser's folding).
    private func printed(within context: Binding) -> String {
        let text: String
        switch self {
        case .or(let a, let b): text = "\(a.printed(within: .or)) or \(b.printed(within: .or))"
        case .and(let a, let b): text = "\(a.printed(within: .and)) and \(b.printed(within: .and))"
        case .not(let f): text = "not (\(f.printed(within: .or)))"
        case .present(let path): text = "\(path) pr"
        case .compare(let path, let op, let value): text = "\(path) \(op.rawValue) \(value)"
        case .valuePath(let path, let f): text = "\(path)[\(f.printed(within: .or))]"
        }
        return binding < context ? "(\(text))" : text
    }

    /// `attribute eq "value"`; nil when `attribute` is not an attribute path.
    public static func equal(_ attribute: String, _ value: String) -> SCIMFilter? {
        SCIMAttributePath.parse(attribute).map { .compare($0, .eq, .string(value)) }
    }

    /// `meta.lastModified gt "<time>"`: the changes after a delta read's watermark.
    public static func modifiedAfter(_ time: String) -> SCIMFilter {
        .compare(SCIMAttributePath(attribute: "meta", subAttribute: "lastModified"), .gt, .string(time))
    }

    /// Every filter must hold (a balanced tree of `and`); nil for none.
    public static func all(_ filters: [SCIMFilter]) -> SCIMFilter? {
        filters.balancedFold { .and($0, $1) }
    }

    /// Some filter must hold (a balanced tree of `or`); nil for none.
    public static func any(_ filters: [SCIMFilter]) -> SCIMFilter? {
        filters.balancedFold { .or($0, $1) }
    }

    /// A system's configured read filter, sent as written (the target judges its syntax, as with
    /// IPS), AND-combined with generated filters: the configured one first, parenthesised when it
    /// contains `or` so that it stays one operand. Nil when there is nothing to filter on.
    public static func text(configured: String?, and generated: [SCIMFilter]) -> String? {
        let generatedFilter = all(generated)
        guard let configured = configured?.trimmingCharacters(in: " \t\r\n"), !configured.isEmpty else { return generatedFilter?.description }
        // An `or` among the generated terms must stay one operand of the conjunction too.
        guard let own = generatedFilter?.printed(within: .and) else { return configured }
        let left = configured.lowercased().contains(" or ") ? "(\(configured))" : configured
        return "\(left) and \(own)"
    }
}
