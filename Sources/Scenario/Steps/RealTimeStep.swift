import Engine
import JSON
import Proxy
import Transformation

/// `realtime:` pushes one entity of a source through IPS's real-time API, as Identity
/// Authentication does after a change (reference section 4), and checks the real-time log.
/// The step names the entity by userName (displayName for groups) and finds its ID in the source;
/// a deletion uses the ID found before, as the entity is gone from the source by then.
///
/// ```yaml
/// - realtime:
///     system: directory             # a source system
///     method: POST                  # create or update; DELETE removes
///     user: ada                     # or group: Admins
///     expect:                       # at least one of:
///       status: 200                 # a code or a list of them; left out, any status
///       source: Entity Read
///       targets: { btp: Entity Created, afc: Entity Created }
///       reasons: { btp: "condition" }   # text the target's (or, by its name, the source's) reason contains
/// ```
struct RealTimeStep: ScenarioStep {
    static let kind = StepKind(key: "realtime", summary: "push one source entity through the real-time API and check the real-time log", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try RealTimeStep(node)
    }

    static let expectShape = JSONShape.object("What the real-time call gives; at least one of these.", [
        .optional("status", ResponseExpectation.statusShape),
        .optional("source", .choice(RealTimeLog.State.allCases.map(\.rawValue), "The source's state in the real-time log.")),
        .optional("targets", .map(of: .choice(RealTimeLog.State.allCases.map(\.rawValue), "the state"), "Target systems to their state in the real-time log.")),
        .optional("reasons", .map(of: .text("text the reason contains"), "Systems to text their reason contains.")),
    ])
    static let shape = JSONShape.object("Push one source entity through IPS's real-time API; give user or group.", [
        .required("system", StepShapes.system.described("A source system.")),
        .required("method", .choiceInAnyCase(["POST", "DELETE"], "POST creates or updates, DELETE removes.")),
        .optional("user", .text("The user, by userName.")),
        .optional("group", .text("The group, by displayName.")),
        .optional("auth", ProxyAuth.shape),
        .required("expect", expectShape),
    ])

    let system: String
    let method: String
    let type: EntityType
    let name: String
    let auth: ProxyAuth
    let statuses: [Int]
    let source: String?
    let targets: [String: String]
    let reasons: [String: String]

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        system = try node.required("system").string()
        let methodNode = try node.required("method")
        method = try methodNode.string().uppercased()
        guard method == "POST" || method == "DELETE" else { throw methodNode.error("method is POST (create or update) or DELETE") }
        switch (try node.string("user"), try node.string("group")) {
        case (let user?, nil): (type, name) = (.user, user)
        case (nil, let group?): (type, name) = (.group, group)
        default: throw node.error("name the entity with user: <userName> or group: <displayName>")
        }
        auth = try ProxyAuth(node["auth"])
        let expect = try node.required("expect")
        try expect.rejectUnknownKeys(Self.expectShape)
        statuses = try expect["status"].map { (node) throws(ScenarioError) in try ResponseExpectation.statuses(node) } ?? []
        source = try expect.string("source")
        targets = try expect["targets"]?.stringMap() ?? [:]
        reasons = try expect["reasons"]?.stringMap() ?? [:]
        guard !statuses.isEmpty || source != nil || !targets.isEmpty || !reasons.isEmpty else {
            throw expect.error("expect at least one of status, source, targets, reasons")
        }
        let states = Set(RealTimeLog.State.allCases.map(\.rawValue))
        for (target, state) in targets where !states.contains(state) {
            throw (expect["targets"]?[target] ?? expect).error("'\(state)' is no real-time state (\(states.sorted().joined(separator: ", ")))")
        }
    }

    func run(in world: World) async -> StepOutcome {
        let id: String
        switch await sourceId(in: world) {
        case .success(let found): id = found
        case .failure(let f): return .error(f.message)
        }
        let client: ProxyClient
        switch await ProxyClient.connect(world, auth: auth) {
        case .success(let c): client = c
        case .failure(let f): return .error(f.message)
        }
        let base = ProxyService.realTimeURL("", system: system, type: type)
        let response: HTTPResponse
        let sent = method == "POST"
            ? await client.send("POST", base, json: .object(JSONObject([("id", .string(id)), (type == .user ? "userName" : "displayName", .string(name))])))
            : await client.send("DELETE", base + "/" + FormEncoding.escape(id))
        switch sent {
        case .success(let r): response = r
        case .failure(let f): return .error(f.message)
        }
        let text = String(decoding: response.body, as: UTF8.self)
        let log = (try? JSONParser.parse(response.body)) ?? .string(text)
        let transcript = "\(method) \(base) (\(type.rawValue) \(name), id \(id)) → \(response.status)\n" + log.serialized(pretty: true)
        var problems: [String] = []
        if !statuses.isEmpty, !statuses.contains(response.status) {
            problems.append("status: expected \(statuses.map(String.init).joined(separator: " or ")), actual \(response.status)")
        }
        if let source, log["source"]?["state"]?.stringValue != source {
            problems.append("source: expected \(source), actual \(log["source"]?["state"]?.stringValue ?? "none")")
        }
        let details = log["targets"]?.arrayValue ?? []
        func detail(_ target: String) -> JSONValue? { details.first { $0["system"]?.stringValue == target } }
        for (target, state) in targets.sorted(by: { $0.key < $1.key }) {
            let actual = detail(target)?["state"]?.stringValue
            if actual != state {
                problems.append("targets.\(target): expected \(state), actual \(actual ?? "no detail")\(detail(target)?["reason"]?.stringValue.map { " (\($0))" } ?? "")")
            }
        }
        for (target, text) in reasons.sorted(by: { $0.key < $1.key }) {
            // The source system's name addresses the source's own detail.
            let reason = (target == system ? log["source"] : detail(target))?["reason"]?.stringValue ?? ""
            if !reason.contains(text) { problems.append("reasons.\(target): expected to contain '\(text)', actual '\(reason)'") }
        }
        guard problems.isEmpty else {
            return .failed("\(method) \(type.rawValue) \(name): \(problems[0])", details: problems.joined(separator: "\n") + "\n\nlog: " + log.serialized(pretty: true), transcript: transcript)
        }
        return .passed("\(method) \(type.rawValue) \(name) → \(response.status), \(log["status"]?.stringValue ?? "")", transcript: transcript)
    }

    /// The entity's ID in the source, found by name through the source's SCIM API (and kept for
    /// a later deletion).
    private func sourceId(in world: World) async -> Result<String, StepFailure> {
        let key = "\(system)/\(type.rawValue)/\(name)"
        guard let provisioning = await world.provisioning else { return .failure(StepFailure("no systems are declared: a 'systems' step must come first")) }
        guard let definition = provisioning.engine.systems[system] else { return .failure(StepFailure("no system named '\(system)'")) }
        let attribute = type == .user ? "userName" : "displayName"
        let path = definition.type.scimPath + (type == .user ? "/Users" : "/Groups") + "?filter=" + FormEncoding.escape("\(attribute) eq \"\(name)\"")
        do throws(ConnectorError) {
            let response = try await provisioning.engine.send(system: system, method: "GET", path: path)
            let page = try? JSONParser.parse(response.body)
            if let id = (page?["Resources"] ?? page?["resources"])?[0]?["id"]?.idText {
                await world.rememberId(id, for: key)
                return .success(id)
            }
        } catch {
            return .failure(StepFailure("looking up \(type.rawValue) \(name) in \(system): \(error.message)"))
        }
        if let known = await world.knownId(for: key) { return .success(known) }
        return .failure(StepFailure("\(system) has no \(type.rawValue) with \(attribute) '\(name)'"))
    }
}
