import Engine
import JSON
import JSONPath

/// What a message must carry, beyond its status: a body subset, attributes or JSONPaths absent,
/// values by pattern, headers. The `expect:` of `request` and `proxy.request` checks an answer
/// with it; `expect.sent` of `run` checks what a job sent.
struct ContentExpectation: Sendable {
    enum Absence: Sendable {
        case attribute(String)
        case path(JSONPath, text: String)
    }

    struct PatternMatch: Sendable {
        let path: JSONPath
        let text: String
        let pattern: RegexPattern
    }

    struct HeaderRule: Sendable {
        enum Rule: Sendable {
            case equals(String)
            case matches(RegexPattern)
            case absent
        }

        let name: String
        let rule: Rule
    }

    static let headerMatchShape = JSONShape.object("a value matching the pattern", [.required("matches", .text("An ICU regular expression."))])
    /// The keys, for the shapes of the expectations that contain them.
    static let members: [JSONShape.Member] = [
        .optional("body", .any("A subset of the body (arrays in full); ${name} for saved values.")),
        .optional("absent", StepShapes.texts.described("Root attributes, or JSONPaths ($…), that the body must not have.")),
        .optional("matches", .map(of: .text("an ICU regular expression"), "JSONPaths to a pattern each value found matches.")),
        .optional("headers", .map(of: .anyOf([.text("exactly this value"), .number("this number"), headerMatchShape, .null("no such header")], "A header's value."),
                                  "Headers (names are case-insensitive) to a value, { matches: pattern }, or null (absent).")),
    ]

    let body: JSONValue?
    let absent: [Absence]
    let matches: [PatternMatch]
    let headers: [HeaderRule]

    /// Reads the keys of `members` from `node` (the caller has checked the node's keys).
    init(_ node: ScenarioNode) throws(ScenarioError) {
        body = try node["body"]?.json()
        absent = try node["absent"]?.elements().map { (node) throws(ScenarioError) -> Absence in
            let text = try node.string()
            return text.hasPrefix("$") ? .path(try TransformExpectation.path(text, node), text: text) : .attribute(text)
        } ?? []
        matches = try node["matches"]?.entries().map { (entry) throws(ScenarioError) -> PatternMatch in
            PatternMatch(path: try TransformExpectation.path(entry.key, entry.value), text: entry.key, pattern: try Self.pattern(entry.value))
        } ?? []
        headers = try node["headers"]?.entries().map { (entry) throws(ScenarioError) -> HeaderRule in
            if entry.value.isMapping {
                try entry.value.rejectUnknownKeys(Self.headerMatchShape)
                return HeaderRule(name: entry.key, rule: .matches(try Self.pattern(try entry.value.required("matches"))))
            }
            switch try entry.value.json() {
            case .null: return HeaderRule(name: entry.key, rule: .absent)
            case .string(let text): return HeaderRule(name: entry.key, rule: .equals(text))
            case .number(let number): return HeaderRule(name: entry.key, rule: .equals(number.text))
            default: throw entry.value.error("headers: \(entry.key): expected a value, { matches: pattern } or null (absent)")
            }
        } ?? []
    }

    /// A regular expression (ICU, as JSONPath's `=~`), compiled when the file loads.
    private static func pattern(_ node: ScenarioNode) throws(ScenarioError) -> RegexPattern {
        let text = try node.string()
        do throws(RegexPatternError) {
            return try RegexPattern(text)
        } catch {
            throw node.error("'\(text)' is not a valid regular expression")
        }
    }

    /// What does not hold for a message with `actualHeaders` and body `actual`, one line each;
    /// `expectedBody` overrides `body` (after placeholders are resolved).
    func problems(headers actualHeaders: [(name: String, value: String)], body actual: JSONValue, expectedBody: JSONValue? = nil) -> [String] {
        var problems: [String] = []
        for rule in headers {
            let found = actualHeaders.filter { $0.name.lowercased() == rule.name.lowercased() }.map(\.value)
            // What a message may print: no credentials or cookies.
            let shown = found.isEmpty ? "absent" : found.map { SecretNames.shown(rule.name, $0) }.joined(separator: ", ")
            switch rule.rule {
            case .absent where !found.isEmpty:
                problems.append("header \(rule.name): expected absent, actual \(shown)")
            case .equals(let value) where !found.contains(value):
                problems.append("header \(rule.name): expected \(value), actual \(shown)")
            case .matches(let pattern) where !found.contains(where: { pattern.occurs(in: $0) }):
                problems.append("header \(rule.name): expected a value matching \(pattern.pattern), actual \(shown)")
            default: break
            }
        }
        if let expected = expectedBody ?? body {
            problems += JSONDiff.differences(expected: expected, actual: actual, subset: true).map { "body\($0.path.dropFirst()): expected \($0.expected), actual \($0.actual)" }
        }
        for absence in absent {
            switch absence {
            case .attribute(let name):
                if let value = actual[name] { problems.append("body.\(name): expected absent, actual \(value.serialized())") }
            case .path(let path, let text):
                let found = Self.values(path, in: actual)
                if !found.isEmpty { problems.append("\(text): expected to find nothing, found \(found.map { $0.serialized() }.joined(separator: ", "))") }
            }
        }
        for match in matches {
            let found = Self.values(match.path, in: actual)
            if found.isEmpty { problems.append("\(match.text): expected a value matching \(match.pattern.pattern), found nothing") }
            for value in found where !match.pattern.occurs(in: value.textValue) {
                problems.append("\(match.text): expected a value matching \(match.pattern.pattern), actual \(value.serialized())")
            }
        }
        return problems
    }

    /// What `path` finds: one value, the list's values, or none.
    private static func values(_ path: JSONPath, in document: JSONValue) -> [JSONValue] {
        switch path.select(in: document) {
        case .notFound: []
        case .value(let value): [value]
        case .list(let values): values
        }
    }
}
