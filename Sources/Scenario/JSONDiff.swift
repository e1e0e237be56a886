import JSON

/// Differences between an expected and an actual JSON value, as `path: expected …, actual …`
/// lines a person can act on. Objects compare key by key regardless of order, arrays element by
/// element, numbers numerically.
public enum JSONDiff {
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let expected: String
        public let actual: String

        public var description: String { "\(path): expected \(expected), actual \(actual)" }
    }

    static let missing = "(missing)"

    /// Full comparison (`subset: false`) or "actual contains expected" (`subset: true`: extra object
    /// keys in the actual value are fine).
    public static func differences(expected: JSONValue, actual: JSONValue?, subset: Bool = false, path: String = "$") -> [Difference] {
        guard let actual else {
            return [Difference(path: path, expected: describe(expected), actual: missing)]
        }
        switch (expected, actual) {
        case (.object(let e), .object(let a)):
            var out: [Difference] = []
            for member in e {
                out += differences(expected: member.value, actual: a[member.key], subset: subset, path: child(path, member.key))
            }
            if !subset {
                for member in a where e[member.key] == nil {
                    out.append(Difference(path: child(path, member.key), expected: missing, actual: describe(member.value)))
                }
            }
            return out
        case (.array(let e), .array(let a)):
            var out: [Difference] = []
            for i in 0..<max(e.count, a.count) {
                let p = "\(path)[\(i)]"
                if i >= e.count {
                    out.append(Difference(path: p, expected: missing, actual: describe(a[i])))
                } else {
                    out += differences(expected: e[i], actual: i < a.count ? a[i] : nil, subset: subset, path: p)
                }
            }
            return out
        default:
            return expected == actual ? [] : [Difference(path: path, expected: describe(expected), actual: describe(actual))]
        }
    }

    /// Child path in JSONPath notation; names that are not plain identifiers use brackets.
    static func child(_ path: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && !(key.first?.isNumber ?? false)
        return plain ? "\(path).\(key)" : "\(path)['\(key)']"
    }

    static func describe(_ value: JSONValue) -> String {
        let text = value.serialized()
        return text.count > 120 ? String(text.prefix(117)) + "..." : text
    }

    /// A failure body: the differences, then both documents in full.
    public static func report(_ differences: [Difference], expected: JSONValue, actual: JSONValue?) -> String {
        var lines = differences.prefix(50).map(\.description)
        if differences.count > 50 { lines.append("… and \(differences.count - 50) more") }
        lines.append("")
        lines.append("expected:")
        lines.append(expected.serialized(pretty: true))
        lines.append("actual:")
        lines.append(actual?.serialized(pretty: true) ?? missing)
        return lines.joined(separator: "\n")
    }
}
