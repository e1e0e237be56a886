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
    let expect: ResponseExpectation

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
        expect = try ResponseExpectation(try node.required("expect"), allowsAbsent: false)
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
        return expect.outcome("\(method) \(path)", status: response.status, actual: actual, transcript: transcript)
    }
}
