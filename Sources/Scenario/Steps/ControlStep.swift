import Engine
import Hosting
import JSON

/// `control:` one call to a fake's control API (`/_provsim/…`): what a test of a client needs
/// beyond seeding and faults — AFC's sign-in and drafts, rate limits, Cloud Foundry's settings,
/// the journal. `{userName:x}` and `{displayName:x}` in the path become that entity's ID in the
/// fake (from its state), and `${name}` a saved value.
///
/// ```yaml
/// - control:
///     fake: afc
///     method: POST
///     path: groups/{displayName:Closers}/draft    # AFC: a draft blocks SCIM writes to the group
///     body: { … }                                  # optional
///     expect: { status: 200, body: { … } }         # optional: by default the answer must be 200
/// ```
struct ControlStep: ScenarioStep {
    static let kind = StepKind(key: "control", summary: "call a fake's control API (sign-in, drafts, limits, settings, journal) and check the answer", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try ControlStep(node)
    }

    static let shape = JSONShape.object("One call to a fake's control API (/_provsim/…).", [
        .required("fake", StepShapes.fake),
        .required("method", StepShapes.method),
        .required("path", .text("The path below /_provsim/; {userName:x} and {displayName:x} become IDs, ${name} a saved value.")),
        .optional("body", StepShapes.body),
        .optional("expect", ResponseExpectation.shape.described("The answer expected (default: status 200).")),
    ])

    let fake: String
    let method: String
    let path: String
    let body: JSONValue?
    let expect: ResponseExpectation?

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        fake = try node.required("fake").string()
        method = try RequestStep.method(node)
        let pathNode = try node.required("path")
        let text = try pathNode.string()
        path = text.hasPrefix("/_provsim/") ? String(text.dropFirst("/_provsim/".count)) : (text.hasPrefix("/") ? String(text.dropFirst()) : text)
        try SavedValues.check([path], [], at: pathNode)
        body = try node["body"]?.json()
        expect = try node["expect"].map { (n) throws(ScenarioError) in try ResponseExpectation(n) }
        try SavedValues.check([], [("body", body), ("expect.body", expect?.body)], at: node)
    }

    func run(in world: World) async -> StepOutcome {
        if let refusal = await DirectoryTarget.fakeOnly(fake, step: "control", in: world) { return .error(refusal.message) }
        let host: FakeHost
        switch await FakeControl.host(fake, in: world) {
        case .success(let h): host = h
        case .failure(let f): return .error(f.message)
        }
        let saved = await world.savedValues
        let resolved: (path: String, body: JSONValue?, expected: JSONValue?)
        do throws(StepFailure) {
            let named = try await Self.resolveNames(in: try SavedValues.resolve(path, saved).get(), fake: fake, world: world)
            resolved = (named, try body.map { (b) throws(StepFailure) in try SavedValues.resolve(b, saved).get() },
                        try expect?.body.map { (b) throws(StepFailure) in try SavedValues.resolve(b, saved).get() })
        } catch {
            return .error("\(fake) \(method) /_provsim/\(path): \(error.message)")
        }
        // As it would come over the wire: the query split off, segments percent-decoded.
        let bytes = resolved.body.map { JSONWriter().bytes($0) } ?? []
        let request = FakeRequest(method: method, target: "/_provsim/" + resolved.path, headers: [("content-type", "application/json")],
                                  body: bytes, bodyLength: bytes.count)
        let response = await host.handle(request)
        let text = String(decoding: response.body, as: UTF8.self)
        let actual = response.body.isEmpty ? JSONValue.null : (try? JSONParser.parse(response.body)) ?? .string(text)
        let label = "\(fake) \(method) /_provsim/\(resolved.path)"
        let transcript = "\(label) → \(response.status)\n\(text)"
        guard let expect else {
            guard response.status == 200 else { return .failed("\(label): status: expected 200, actual \(response.status)", details: text, transcript: transcript) }
            return .passed("\(label) → 200", transcript: transcript)
        }
        return expect.outcome(label, status: response.status, headers: response.headers, actual: actual, expectedBody: resolved.expected, transcript: transcript)
    }

    /// `{userName:x}` / `{displayName:x}` replaced by the ID of the user or group of that name in
    /// the fake's state.
    static func resolveNames(in path: String, fake: String, world: World) async throws(StepFailure) -> String {
        guard path.contains("{userName:") || path.contains("{displayName:") else { return path }
        let state: JSONValue
        switch await FakeControl.call(fake, "GET", "state", in: world) {
        case .success(let s): state = s
        case .failure(let f): throw f
        }
        var out = ""
        var rest = path[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let placeholder = rest[rest.index(after: open)..<close]
            let parts = placeholder.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let collection = ["userName": "users", "displayName": "groups"][parts[0]] else {
                out += rest[open...close]
                rest = rest[rest.index(after: close)...]
                continue
            }
            let matches = (state[collection]?.arrayValue ?? []).filter { $0[parts[0]]?.stringValue == parts[1] }
            guard matches.count == 1, let id = matches[0]["id"]?.idText else {
                throw StepFailure("\(fake) has \(matches.isEmpty ? "no" : "\(matches.count)") \(collection == "users" ? "user" : "group")\(matches.count > 1 ? "s" : "") with \(parts[0]) '\(parts[1])'")
            }
            out += FormEncoding.escape(id)
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
