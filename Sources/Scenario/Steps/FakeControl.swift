import Chrono
import Fakes
import Foundation
import Hosting
import JSON

/// Calls a fake's control API (`/_provsim/...`) in process, for the steps that seed, inspect or
/// break a fake.
enum FakeControl {
    static func host(_ service: String, in world: World) async -> Result<FakeHost, StepFailure> {
        guard let provisioning = await world.provisioning else { return .failure(StepFailure("no fakes are running: a 'systems' step must come first")) }
        let fleet = provisioning.simulation.fleet
        if service == "proxy", let proxy = provisioning.proxy { return .success(proxy.endpoint.host) }
        guard let host = fleet.host(named: service) else {
            return .failure(StepFailure("the fake '\(service)' is not started (started: \(fleet.names.joined(separator: ", ")))"))
        }
        return .success(host)
    }

    static func call(_ service: String, _ method: String, _ path: String, _ body: JSONValue? = nil, in world: World) async -> Result<JSONValue, StepFailure> {
        let host: FakeHost
        switch await self.host(service, in: world) {
        case .success(let h): host = h
        case .failure(let f): return .failure(f)
        }
        let request = FakeRequest(method: method, path: "/_provsim/" + path, headers: [("content-type", "application/json")],
                                  body: body.map { JSONWriter().bytes($0) } ?? [])
        let response = await host.handle(request)
        let json = (try? JSONParser.parse(response.body)) ?? .string(String(decoding: response.body, as: UTF8.self))
        guard response.status == 200 else {
            return .failure(StepFailure("\(service) \(method) /_provsim/\(path) → \(response.status): \(json["error"]?.stringValue ?? json.serialized())"))
        }
        return .success(json)
    }
}

struct StepFailure: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// `seed:` loads entities into a fake through its control API (`POST /_provsim/seed`), given
/// literally or generated in bulk.
///
/// ```yaml
/// - seed:
///     fake: identity-directory
///     data: { users: [{ userName: alice, emails: [{ value: alice@example.com }] }], groups: [...] }
/// - seed:
///     fake: identity-directory
///     generate: { users: 2000, groups: 20, prefix: burst, groupPrefix: "AFC_" }   # burst-00001 … in AFC_Team_01 …
/// ```
struct SeedStep: ScenarioStep {
    static let kind = StepKind(key: "seed", summary: "load users, groups, orgs … into a fake, or generate many users", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try node.rejectUnknownKeys(shape)
        let target = try DirectoryTarget(node)
        switch (node["data"], node["generate"]) {
        case (let data?, nil): return SeedStep(target: target, data: try data.json())
        case (nil, let generate?): return SeedStep(target: target, data: try Generated(generate).seedBody)
        default: throw node.error("give either data: {…} or generate: {users: n, …}")
        }
    }

    static let shape = JSONShape.object("Load entities into a fake (POST /_provsim/seed), or into a system that is not a fake through its API: give data or generate.", [
        DirectoryTarget.fakeMember, DirectoryTarget.systemMember,
        .optional("data", .any("What the fake's seed takes: users, groups, organizations … by service.")),
        .optional("generate", Generated.shape),
    ])

    let target: DirectoryTarget
    let data: JSONValue

    func run(in world: World) async -> StepOutcome {
        let data: JSONValue
        switch SavedValues.resolve(self.data, await world.savedValues) {
        case .success(let d): data = d
        case .failure(let f): return .error(f.message)
        }
        return await target.write(in: world, external: { await $0.seed(data) }, cloudFoundry: { await $0.seed(data) }) { fake in
            switch await FakeControl.call(fake, "POST", "seed", data, in: world) {
            case .success(let created):
                let text = created.serialized()
                return .passed("seeded \(fake)", transcript: text.count > 4000 ? String(text.prefix(4000)) + " …" : text)
            case .failure(let f): return .error(f.message)
            }
        }
    }

    /// Users `<prefix>-00001` … with names and an e-mail, dealt round-robin into groups
    /// `<groupPrefix>Team_01` ….
    struct Generated {
        let users: Int
        let groups: Int
        let prefix: String
        let groupPrefix: String
        let domain: String

        static let shape = JSONShape.object("Users <prefix>-00001 … with names and an e-mail, dealt round-robin into groups <groupPrefix>Team_01 ….", [
            .required("users", .integer("How many users.", 1...100_000)),
            .optional("groups", .integer("How many groups (default 0).", 0...1000)),
            .optional("prefix", .text("userName prefix (default user).")),
            .optional("groupPrefix", .text("displayName prefix (default none).")),
            .optional("domain", .text("e-mail domain (default example.com).")),
        ])

        init(_ node: ScenarioNode) throws(ScenarioError) {
            try node.rejectUnknownKeys(Self.shape)
            users = try node.required("users").int()
            groups = try node["groups"]?.int() ?? 0
            guard (1...100_000).contains(users) else { throw try node.required("users").error("users must be between 1 and 100000") }
            guard (0...1000).contains(groups) else { throw try node.required("groups").error("groups must be between 0 and 1000") }
            prefix = try node.string("prefix") ?? "user"
            groupPrefix = try node.string("groupPrefix") ?? ""
            domain = try node.string("domain") ?? "example.com"
        }

        var seedBody: JSONValue {
            let userWidth = max(5, String(users).count), groupWidth = max(2, String(groups).count)
            func padded(_ n: Int, _ width: Int) -> String {
                let s = String(n)
                return String(repeating: "0", count: max(0, width - s.count)) + s
            }
            var members = [[JSONValue]](repeating: [], count: groups)
            var userList: [JSONValue] = []
            userList.reserveCapacity(users)
            for i in 1...users {
                let name = "\(prefix)-\(padded(i, userWidth))"
                userList.append(.object(JSONObject([
                    ("userName", .string(name)),
                    ("name", .object(JSONObject([("givenName", .string(prefix.capitalized)), ("familyName", .string(padded(i, userWidth)))]))),
                    ("emails", .array([.object(JSONObject([("value", .string("\(name)@\(domain)")), ("primary", true)]))])),
                ])))
                if groups > 0 { members[(i - 1) % groups].append(.object(JSONObject([("userName", .string(name))]))) }
            }
            let groupList: [JSONValue] = (0..<groups).map { g in
                .object(JSONObject([("displayName", .string("\(groupPrefix)Team_\(padded(g + 1, groupWidth))")), ("members", .array(members[g]))]))
            }
            return .object(JSONObject([("users", .array(userList)), ("groups", .array(groupList))]))
        }
    }
}

/// `fault:` sets a fault on a fake (a status, latency, reset …; see the control API) or clears them.
///
/// ```yaml
/// - fault: { fake: xsuaa, set: { method: POST, path: /Users, status: 503, times: 2 } }
/// - fault: { fake: xsuaa, clear: true }
/// ```
struct FaultStep: ScenarioStep {
    static let kind = StepKind(key: "fault", summary: "set or clear faults on a fake", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try node.rejectUnknownKeys(shape)
        let fake = try node.required("fake").string()
        switch (node["set"], try node.bool("clear")) {
        case (let set?, nil):
            let json = try set.json()
            do throws(FakeRequestError) { _ = try FaultRule(json: json, defaultID: "check") } catch { throw set.error(error.message) }
            return FaultStep(fake: fake, rule: json)
        case (nil, true?): return FaultStep(fake: fake, rule: nil)
        default: throw node.error("give either set: {…} or clear: true")
        }
    }

    static let shape = JSONShape.object("Set a fault on a fake (set), or clear its faults (clear: true).", [
        .required("fake", StepShapes.fake),
        .optional("set", .any("A fault rule as the control API takes it: method, path, status, latency, reset … times.")),
        .optional("clear", .boolean("true: remove every fault.")),
    ])

    let fake: String
    let rule: JSONValue?

    func run(in world: World) async -> StepOutcome {
        if let refusal = await DirectoryTarget.fakeOnly(fake, step: "fault", in: world) { return .error(refusal.message) }
        let result: Result<JSONValue, StepFailure>
        if let rule {
            result = await FakeControl.call(fake, "POST", "faults", rule, in: world)
        } else {
            result = await FakeControl.call(fake, "DELETE", "faults", in: world)
        }
        switch result {
        case .success: return .passed(rule == nil ? "cleared faults on \(fake)" : "fault set on \(fake)")
        case .failure(let f): return .error(f.message)
        }
    }
}

/// `advance:` moves the fakes' simulated clock (token expiry, rate-limit windows, timestamps).
///
/// ```yaml
/// - advance: { seconds: 46800 }   # thirteen hours: tokens issued before have expired
/// ```
struct AdvanceStep: ScenarioStep {
    static let kind = StepKind(key: "advance", summary: "move simulated time forward, for the fakes and the engine alike", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try node.rejectUnknownKeys(shape)
        return AdvanceStep(seconds: try node.required("seconds").double(in: 0...SimulatedClock.maximumAdvance), engineAhead: try node.bool("engineAhead") ?? false)
    }

    static let shape = JSONShape.object("Move simulated time forward.", [
        .required("seconds", .number("Simulated seconds.", 0...SimulatedClock.maximumAdvance)),
        .optional("engineAhead", .boolean("With systems that are not fakes: move the clock anyway, knowing they keep their own time; the engine then holds expired tokens and renews them (what provsim check scim does to check token renewal).")),
    ])

    let seconds: Double
    /// Move the clock although systems that are not fakes keep their own time.
    let engineAhead: Bool

    func run(in world: World) async -> StepOutcome {
        guard let provisioning = await world.provisioning else { return .error("no fakes are running: a 'systems' step must come first") }
        let simulation = provisioning.simulation
        if !provisioning.external.isEmpty, !engineAhead {
            let systems = provisioning.external.keys.sorted().joined(separator: ", ")
            return .error("advance moves simulated time, which \(systems) (not a fake) does not follow: a scenario with systems that are not fakes cannot advance time (engineAhead: true moves only what provsim runs, to expire the engine's tokens)")
        }
        simulation.clock.advance(seconds: seconds)
        return .passed("advanced \(seconds) simulated seconds")
    }
}
