import Engine
import JSON
import JSONPath

/// The `expect:` of a step that sends one HTTP request (`request`, `proxy.request`).
///
/// ```yaml
/// expect:
///   status: [200, 204]                       # one code, or any of several
///   body: { userName: jdoe }                 # a subset of the answer
///   absent: [password, $.resources[*].password]   # root attributes or JSONPaths that find nothing
///   matches: { $.links.self.href: "/v3/roles/[0-9a-f-]+$" }   # each value found matches the pattern
///   headers:
///     ETag: 'W/"1"'                          # exactly this value (names are case-insensitive)
///     Location: { matches: "/v3/jobs/" }     # a value matching the pattern
///     Retry-After: null                      # no such header
/// ```
struct ResponseExpectation: Sendable {
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

    static let statusShape = JSONShape.anyOf([
        .integer("a status code", 100...599), .list(of: .integer("a status code", 100...599), "any of these", minimumCount: 1),
    ], "The status code, or a list of codes any of which will do.")
    static let headerMatchShape = JSONShape.object("a value matching the pattern", [.required("matches", .text("An ICU regular expression."))])
    static let shape = JSONShape.object("The answer expected.", [
        .required("status", statusShape),
        .optional("body", .any("A subset of the answer's body; ${name} for saved values.")),
        .optional("absent", StepShapes.texts.described("Root attributes, or JSONPaths ($…), that the answer must not have.")),
        .optional("matches", .map(of: .text("an ICU regular expression"), "JSONPaths to a pattern each value found matches.", namePattern: "^\\$")),
        .optional("headers", .map(of: .anyOf([.text("exactly this value"), .number("this number"), headerMatchShape, .null("no such header")], ""),
                                  "Response headers (names are case-insensitive) to a value, { matches: pattern }, or null (absent).")),
    ])

    let statuses: [Int]
    let body: JSONValue?
    let absent: [Absence]
    let matches: [PatternMatch]
    let headers: [HeaderRule]

    init(_ expect: ScenarioNode) throws(ScenarioError) {
        try expect.rejectUnknownKeys(Self.shape)
        statuses = try Self.statuses(try expect.required("status"))
        body = try expect["body"]?.json()
        absent = try expect["absent"]?.elements().map { (node) throws(ScenarioError) -> Absence in
            let text = try node.string()
            return text.hasPrefix("$") ? .path(try TransformExpectation.path(text, node), text: text) : .attribute(text)
        } ?? []
        matches = try expect["matches"]?.entries().map { (entry) throws(ScenarioError) -> PatternMatch in
            PatternMatch(path: try TransformExpectation.path(entry.key, entry.value), text: entry.key, pattern: try Self.pattern(entry.value))
        } ?? []
        headers = try expect["headers"]?.entries().map { (entry) throws(ScenarioError) -> HeaderRule in
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

    /// `status:` as one code or a list of them, any of which will do.
    static func statuses(_ node: ScenarioNode) throws(ScenarioError) -> [Int] {
        let nodes = (try? node.elements()) ?? [node]
        guard !nodes.isEmpty else { throw node.error("status: expected a status code or a list of them") }
        return try nodes.map { (element) throws(ScenarioError) -> Int in
            let status = try element.int()
            guard (100...599).contains(status) else { throw element.error("status must be an HTTP status code") }
            return status
        }
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

    /// The outcome for an answer; `expectedBody` overrides `body` (after placeholders are resolved).
    func outcome(_ label: String, status actualStatus: Int, headers actualHeaders: [(name: String, value: String)] = [], actual: JSONValue,
                 expectedBody: JSONValue? = nil, transcript: String) -> StepOutcome {
        var problems: [String] = []
        if !statuses.contains(actualStatus) {
            problems.append("status: expected \(statuses.map(String.init).joined(separator: " or ")), actual \(actualStatus)")
        }
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
        guard problems.isEmpty else {
            return .failed("\(label): \(problems[0])", details: problems.joined(separator: "\n") + "\n\nanswer: " + actual.serialized(pretty: true), transcript: transcript)
        }
        return .passed("\(label) → \(actualStatus) as expected", transcript: transcript)
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
