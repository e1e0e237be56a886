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
    static let statusShape = JSONShape.anyOf([
        .integer("a status code", 100...599), .list(of: .integer("a status code", 100...599), "any of these", minimumCount: 1),
    ], "The status code, or a list of codes any of which will do.")
    static let shape = JSONShape.object("The answer expected.", [.required("status", statusShape)] + ContentExpectation.members)

    let statuses: [Int]
    let content: ContentExpectation

    var body: JSONValue? { content.body }

    init(_ expect: ScenarioNode) throws(ScenarioError) {
        try expect.rejectUnknownKeys(Self.shape)
        statuses = try Self.statuses(try expect.required("status"))
        content = try ContentExpectation(expect)
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

    /// The outcome for an answer; `expectedBody` overrides `body` (after placeholders are resolved).
    func outcome(_ label: String, status actualStatus: Int, headers actualHeaders: [(name: String, value: String)] = [], actual: JSONValue,
                 expectedBody: JSONValue? = nil, transcript: String) -> StepOutcome {
        var problems: [String] = []
        if !statuses.contains(actualStatus) {
            problems.append("status: expected \(statuses.map(String.init).joined(separator: " or ")), actual \(actualStatus)")
        }
        problems += content.problems(headers: actualHeaders, body: actual, expectedBody: expectedBody)
        guard problems.isEmpty else {
            return .failed("\(label): \(problems[0])", details: problems.joined(separator: "\n") + "\n\nanswer: " + actual.serialized(pretty: true), transcript: transcript)
        }
        return .passed("\(label) → \(actualStatus) as expected", transcript: transcript)
    }
}
