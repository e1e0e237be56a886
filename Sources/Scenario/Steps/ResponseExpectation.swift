import JSON

/// The `expect:` of a step that sends one HTTP request (`request`, `proxy.request`): a status, a
/// subset of the answer's body and, where allowed, attributes the answer must not have.
struct ResponseExpectation: Sendable {
    let status: Int
    let body: JSONValue?
    let absent: [String]

    init(_ expect: ScenarioNode, allowsAbsent: Bool) throws(ScenarioError) {
        try expect.rejectUnknownKeys(allowsAbsent ? ["status", "body", "absent"] : ["status", "body"])
        let statusNode = try expect.required("status")
        status = try statusNode.int()
        guard (100...599).contains(status) else { throw statusNode.error("status must be an HTTP status code") }
        body = try expect["body"]?.json()
        absent = try expect["absent"]?.elements().map { (n) throws(ScenarioError) -> String in try n.string() } ?? []
    }

    /// The outcome for an answer; `expectedBody` overrides `body` (after placeholders are resolved).
    func outcome(_ label: String, status actualStatus: Int, actual: JSONValue, expectedBody: JSONValue? = nil, transcript: String) -> StepOutcome {
        var problems: [String] = []
        if actualStatus != status { problems.append("status: expected \(status), actual \(actualStatus)") }
        if let expected = expectedBody ?? body {
            problems += JSONDiff.differences(expected: expected, actual: actual, subset: true).map { "body\($0.path.dropFirst()): expected \($0.expected), actual \($0.actual)" }
        }
        for attribute in absent where actual[attribute] != nil {
            problems.append("body.\(attribute): expected absent, actual \(actual[attribute]!.serialized())")
        }
        guard problems.isEmpty else {
            return .failed("\(label): \(problems[0])", details: problems.joined(separator: "\n") + "\n\nanswer: " + actual.serialized(pretty: true), transcript: transcript)
        }
        return .passed("\(label) → \(actualStatus) as expected", transcript: transcript)
    }
}
