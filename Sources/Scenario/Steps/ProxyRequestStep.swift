import Engine
import JSON
import Proxy

/// `proxy.request:` one call to a proxy system as the external identity manager makes it
/// (SAP Identity Management, say): through IPS's proxy SCIM API over loopback, so the proxy's
/// read and write transformations, filters and errors are what the client sees.
///
/// ```yaml
/// - proxy.request:
///     system: xs                          # a proxy system; the path is under …/scim/xs
///     method: PUT
///     path: /Users/{userName:jdoe}        # {userName:…} / {displayName:…} become proxy IDs
///                                         # (those of the scenario's own POSTs, else by filter)
///     body: { userName: jdoe, emails: [{ value: jdoe@example.com }] }
///     auth: oauth                         # basic (default) | oauth | none | { clientId, secret }
///     expect:
///       status: 200
///       body: { userName: jdoe }          # a subset of the answer
///       absent: [emails]                  # attributes the answer must not have
/// ```
struct ProxyRequestStep: ScenarioStep {
    static let kind = StepKind(key: "proxy.request", summary: "call a proxy system as the external identity manager and check the answer", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try ProxyRequestStep(node)
    }

    static let shape = JSONShape.object("One call to a proxy system, as the external identity manager makes it.", [
        .required("system", StepShapes.system.described("A proxy system; the path is under its proxy SCIM base.")),
        .required("method", StepShapes.method),
        .required("path", .text("Starts with /; {userName:x} and {displayName:x} become proxy IDs.", pattern: "^/")),
        .optional("body", StepShapes.body),
        .optional("auth", ProxyAuth.shape),
        .required("expect", ResponseExpectation.shape),
    ])

    let system: String
    let method: String
    let path: String
    let body: JSONValue?
    let auth: ProxyAuth
    let expect: ResponseExpectation

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        system = try node.required("system").string()
        method = try RequestStep.method(node)
        let pathNode = try node.required("path")
        path = try pathNode.string()
        guard path.hasPrefix("/") else { throw pathNode.error("path must start with / (it is appended to the system's proxy SCIM base)") }
        body = try node["body"]?.json()
        auth = try ProxyAuth(node["auth"])
        expect = try ResponseExpectation(try node.required("expect"))
    }

    func run(in world: World) async -> StepOutcome {
        let client: ProxyClient
        switch await ProxyClient.connect(world, auth: auth) {
        case .success(let c): client = c
        case .failure(let f): return .error(f.message)
        }
        // Placeholders are looked up as the scenario's technical user, whatever `auth` says.
        let lookup: ProxyClient
        switch auth == .basic ? .success(client) : await ProxyClient.connect(world, auth: .basic) {
        case .success(let c): lookup = c
        case .failure(let f): return .error(f.message)
        }
        let known = await world.proxyIds(system: system)
        let resolvedPath: String
        switch await lookup.resolve(path, system: system, known: known) {
        case .success(let p): resolvedPath = p
        case .failure(let f): return .error(f.message)
        }
        var resolvedBody: JSONValue?
        if let body {
            switch await lookup.resolve(body, system: system, known: known) {
            case .success(let b): resolvedBody = b
            case .failure(let f): return .error(f.message)
            }
        }
        var expectedBody = expect.body
        if let expected = expectedBody {
            switch await lookup.resolve(expected, system: system, known: known) {
            case .success(let b): expectedBody = b
            case .failure(let f): return .error(f.message)
            }
        }
        let response: HTTPResponse
        switch await client.send(method, ProxyClient.scimPath(system) + resolvedPath, json: resolvedBody) {
        case .success(let r): response = r
        case .failure(let f): return .error(f.message)
        }
        let text = String(decoding: response.body, as: UTF8.self)
        let actual = response.body.isEmpty ? JSONValue.null : (try? JSONParser.parse(response.body)) ?? .string(text)
        if method == "POST", response.status == 201, let id = actual["id"]?.idText {
            for attribute in ["userName", "displayName"] {
                if let name = actual[attribute]?.stringValue { await world.rememberProxyId(id, system: system, "\(attribute):\(name)") }
            }
        }
        let transcript = "\(method) \(ProxyClient.scimPath(system))\(resolvedPath) → \(response.status)\n\(text)"
        return expect.outcome("\(method) \(path)", status: response.status, headers: response.headers, actual: actual, expectedBody: expectedBody, transcript: transcript)
    }
}
