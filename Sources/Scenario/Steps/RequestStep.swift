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
///     headers: { If-Match: "*" }     # optional; Content-Type here sets the body's type
///     body: { type: space_developer, relationships: { … } }
///     expect:
///       status: 422
///       body: { errors: [{ code: 10008, title: CF-UnprocessableEntity }] }   # a subset of the answer
///     save: { roleGuid: $.guid }     # for later steps, as ${roleGuid} (see SaveRule)
/// ```
struct RequestStep: ScenarioStep {
    static let kind = StepKind(key: "request", summary: "send one request as a system and check the status, headers and body", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try RequestStep(node)
    }

    static let methods: Set<String> = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    static let shape = JSONShape.object("Send one request to a system as its connector would, and check the answer.", [
        .required("system", StepShapes.system),
        .required("method", StepShapes.method),
        .required("path", .text("Appended to the system's URL: starts with /, or is a saved URL of the system (${name}).")),
        .optional("headers", .map(of: .text("the value; ${name} for a saved one"), "Request headers; Content-Type sets the body's type.")),
        .optional("body", StepShapes.body),
        .required("expect", ResponseExpectation.shape),
        .optional("save", SaveRule.shape),
    ])

    let system: String
    let method: String
    let path: String
    let headers: [(name: String, value: String)]
    let body: JSONValue?
    let expect: ResponseExpectation
    let save: [SaveRule]

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        system = try node.required("system").string()
        method = try Self.method(node)
        let pathNode = try node.required("path")
        path = try pathNode.string()
        guard path.hasPrefix("/") || path.hasPrefix("${") else {
            throw pathNode.error("path must start with / (or be a saved URL of the system, ${name})")
        }
        headers = try (node["headers"]?.entries() ?? []).map { (entry) throws(ScenarioError) -> (name: String, value: String) in
            guard Self.isHeaderName(entry.key) else { throw entry.value.error("headers: '\(entry.key)' is not a header name") }
            let value = try entry.value.string()
            guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else { throw entry.value.error("headers: \(entry.key): a value cannot contain a line break") }
            return (entry.key, value)
        }
        body = try node["body"]?.json()
        expect = try ResponseExpectation(try node.required("expect"))
        save = try SaveRule.rules(node["save"])
        try SavedValues.check([path], [], at: pathNode)
        try SavedValues.check(headers.map(\.value), [("body", body), ("expect.body", expect.body)], at: node)
    }

    /// The step's `method:`, in any case, one of `methods`.
    static func method(_ node: ScenarioNode) throws(ScenarioError) -> String {
        let methodNode = try node.required("method")
        let method = try methodNode.string().uppercased()
        guard methods.contains(method) else { throw methodNode.error("method must be one of \(methods.sorted().joined(separator: ", "))") }
        return method
    }

    /// RFC 9110 token characters.
    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar)
        }
    }

    func run(in world: World) async -> StepOutcome {
        guard let engine = await world.provisioning?.engine else { return .error("no systems are declared: a 'systems' step must come first") }
        let saved = await world.savedValues
        let resolved: (path: String, headers: [(name: String, value: String)], body: JSONValue?, expected: JSONValue?)
        do throws(StepFailure) {
            var path = try SavedValues.resolve(self.path, saved).get()
            if !path.hasPrefix("/") { path = try Self.pathOnSystem(path, system: system, engine: engine) }
            let headers = try self.headers.map { (header) throws(StepFailure) -> (name: String, value: String) in
                let value = try SavedValues.resolve(header.value, saved).get()
                // A saved value comes from an answer: it may hold what a header cannot.
                guard !value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                    throw StepFailure("header \(header.name): the value contains a line break after ${…} is filled in")
                }
                return (header.name, value)
            }
            resolved = (path, headers, try body.map { (b) throws(StepFailure) in try SavedValues.resolve(b, saved).get() },
                        try expect.body.map { (b) throws(StepFailure) in try SavedValues.resolve(b, saved).get() })
        } catch {
            return .error("\(method) \(path): \(error.message)")
        }
        let contentType = resolved.headers.first { $0.name.lowercased() == "content-type" }?.value
        let response: HTTPResponse
        do throws(ConnectorError) {
            response = try await engine.send(system: system, method: method, path: resolved.path, json: resolved.body,
                                             headers: resolved.headers.filter { $0.name.lowercased() != "content-type" },
                                             contentType: contentType ?? "application/json")
        } catch {
            return .error("\(method) \(resolved.path) to \(system): \(error.message)")
        }
        let text = String(decoding: response.body, as: UTF8.self)
        let actual = response.body.isEmpty ? JSONValue.null : (try? JSONParser.parse(response.body)) ?? .string(text)
        let sentHeaders = resolved.headers.map { "\($0.name): \(SecretNames.shown($0.name, $0.value))\n" }.joined()
        let receivedHeaders = response.headers.map { "\($0.name): \(SecretNames.shown($0.name, $0.value))\n" }.joined()
        let transcript = "\(method) \(resolved.path)\n\(sentHeaders)→ \(response.status)\n\(receivedHeaders)\n\(text)"
        let outcome = expect.outcome("\(method) \(resolved.path)", status: response.status, headers: response.headers, actual: actual,
                                     expectedBody: resolved.expected, transcript: transcript)
        guard outcome.status == .passed else { return outcome }
        for rule in save {
            switch rule.value(status: response.status, headers: response.headers, body: actual) {
            case .success(let value): await world.save(value, as: rule.name)
            case .failure(let failure): return .failed("\(method) \(resolved.path): \(failure.message)", transcript: transcript)
            }
        }
        return outcome
    }

    /// The part of `url` after the system's URL, for a saved absolute URL (a `Location`).
    private static func pathOnSystem(_ url: String, system: String, engine: ProvisioningEngine) throws(StepFailure) -> String {
        guard let base = engine.systems[system]?.properties["URL"] else { throw StepFailure("system '\(system)' has no URL") }
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard url.hasPrefix(root + "/") else {
            throw StepFailure("'\(url)' is neither a path (/…) nor a URL under system \(system)'s URL \(root)")
        }
        return String(url.dropFirst(root.count))
    }
}
