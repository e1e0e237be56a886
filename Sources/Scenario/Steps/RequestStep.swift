import Engine
import JSON

/// `request:` sends one HTTP request to a system as its connector would (same credentials and
/// token) and checks the answer: for the rules of the real service that a job alone does not
/// reveal, such as Cloud Foundry refusing a space role for a user outside the organization.
///
/// ```yaml
/// - request:
///     system: cf                     # a declared system; the path is appended to its URL
///     method: POST
///     path: /v3/roles
///     body: { type: space_developer, relationships: { … } }
///     expect:
///       status: 422
///       body: { errors: [{ code: 10008, title: CF-UnprocessableEntity }] }   # a subset of the answer
/// ```
struct RequestStep: ScenarioStep {
    static let kind = StepKind(key: "request", summary: "send one request as a system and check the status and body") { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try RequestStep(node)
    }

    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    let system: String
    let method: String
    let path: String
    let body: JSONValue?
    let status: Int
    let expectedBody: JSONValue?

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(["system", "method", "path", "body", "expect"])
        system = try node.required("system").string()
        let methodNode = try node.required("method")
        method = try methodNode.string().uppercased()
        guard Self.methods.contains(method) else { throw methodNode.error("method must be one of \(Self.methods.sorted().joined(separator: ", "))") }
        let pathNode = try node.required("path")
        path = try pathNode.string()
        guard path.hasPrefix("/") else { throw pathNode.error("path must start with /") }
        body = try node["body"]?.json()
        let expect = try node.required("expect")
        try expect.rejectUnknownKeys(["status", "body"])
        let statusNode = try expect.required("status")
        status = try statusNode.int()
        guard (100...599).contains(status) else { throw statusNode.error("status must be an HTTP status code") }
        expectedBody = try expect["body"]?.json()
    }

    func run(in world: World) async -> StepOutcome {
        guard let engine = await world.provisioning?.engine else { return .error("no systems are declared: a 'systems' step must come first") }
        let response: HTTPResponse
        do throws(ConnectorError) {
            response = try await engine.send(system: system, method: method, path: path, json: body)
        } catch {
            return .error("\(method) \(path) to \(system): \(error.message)")
        }
        let text = String(decoding: response.body, as: UTF8.self)
        let actual = (try? JSONParser.parse(response.body)) ?? .string(text)
        let transcript = "\(method) \(path) → \(response.status)\n\(text)"
        var problems: [String] = []
        if response.status != status { problems.append("status: expected \(status), actual \(response.status)") }
        if let expectedBody {
            problems += JSONDiff.differences(expected: expectedBody, actual: actual, subset: true).map { "body\($0.path.dropFirst()): expected \($0.expected), actual \($0.actual)" }
        }
        guard problems.isEmpty else {
            return .failed("\(method) \(path): \(problems[0])", details: problems.joined(separator: "\n") + "\n\nanswer: " + actual.serialized(pretty: true), transcript: transcript)
        }
        return .passed("\(method) \(path) → \(response.status) as expected", transcript: transcript)
    }
}
