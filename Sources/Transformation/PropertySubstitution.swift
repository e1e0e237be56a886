import JSON

/// IPS parameter references: every `%key%` in a string of the document is replaced by the value of
/// the system property `key` before anything is evaluated; an unset property becomes the text
/// `null` (which is why defaults test `'%xsuaa.group.prefix%' === 'null'`). The replacement is
/// textual and single-pass: a value containing `%other%` is not expanded again.
///
/// A string that is exactly `%key%[]` becomes a list: the value split on `;` (used for
/// `"constant": "%xsuaa.origin%[]"` with several origins).
///
/// A reference is `%` + one or more characters other than `%` and whitespace + `%`. That reproduces
/// the documented pitfall: two `%` in a literal (a regex, say) can be taken for a reference.
public struct PropertySubstitution: Sendable {
    public let properties: [String: String]

    public init(properties: [String: String]) {
        self.properties = properties
    }

    /// Substitutes in every string value (not in member names) of `value`.
    public func apply(to value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s):
            return substitute(s)
        case .array(let elements):
            return .array(elements.map(apply))
        case .object(var object):
            for key in object.keys {
                _ = object.modifyValue(forKey: key) { $0 = apply(to: $0) }
            }
            return .object(object)
        default:
            return value
        }
    }

    func substitute(_ text: String) -> JSONValue {
        guard text.contains("%") else { return .string(text) }
        if text.hasPrefix("%"), text.hasSuffix("%[]"), text.count > 4 {
            let key = String(text.dropFirst().dropLast(3))
            if Self.isReference(key) {
                guard let value = properties[key] else { return .array([.string("null")]) }
                return .array(value.split(separator: ";", omittingEmptySubsequences: false).map { .string(String($0)) })
            }
        }
        return .string(replaceReferences(in: text))
    }

    /// Textual replacement of every `%key%` in `text`.
    public func replaceReferences(in text: String) -> String {
        var result = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "%") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "%") {
                let key = String(rest[afterOpen..<close])
                if Self.isReference(key) {
                    result += properties[key] ?? "null"
                    rest = rest[rest.index(after: close)...]
                    continue
                }
            }
            result += "%"
            rest = rest[afterOpen...]
        }
        result += rest
        return result
    }

    static func isReference(_ key: String) -> Bool {
        !key.isEmpty && !key.contains(where: { $0.isWhitespace })
    }
}
