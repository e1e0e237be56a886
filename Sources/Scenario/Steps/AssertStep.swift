import JSON
import JSONPath

/// `assert:` checks a fake's state (`GET /_provsim/state`: `users`, `groups`, `organizations`,
/// `roles` … by service).
///
/// ```yaml
/// - assert:
///     fake: xsuaa
///     count: { users: 3, groups: 1 }
///     contains: { users: [{ userName: alice, origin: sap.custom }] }   # each listed object matches one entry (subset)
///     absent: { users: [{ userName: dave }] }                           # no entry matches
///     paths: { "$.groups[?(@.displayName == 'Auditors')].members.length()": [2] }
///     roles: { alice: [organization_user acme, space_developer acme/dev] }   # cf: exact role set per user
///     members: { Auditors: [alice, bob] }   # SCIM fakes: exact member set of a group, by userName
/// ```
struct AssertStep: ScenarioStep {
    static let kind = StepKind(key: "assert", summary: "check a fake's state: counts, contained and absent entries, JSONPath values, exact CF role sets", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try AssertStep(node)
    }

    static let shape = JSONShape.object("Check a fake's state (GET /_provsim/state); give at least one check.", [
        DirectoryTarget.fakeMember, DirectoryTarget.systemMember,
        .optional("count", .map(of: .integer("entries", 0...Int.max), "Collections (users, groups, roles …) to their exact number of entries (of a system that is not a fake: those whose name contains the run ID).")),
        .optional("contains", .map(of: .list(of: .anyValue, "objects"), "Collections to objects that must each match an entry (a subset).")),
        .optional("absent", .map(of: .list(of: .anyValue, "objects"), "Collections to objects that no entry may match.")),
        .optional("paths", StepShapes.pathTable),
        .optional("roles", .map(of: StepShapes.texts, "cf: userNames to their exact set of roles ('organization_user acme', 'space_developer acme/dev').")),
        .optional("members", .map(of: StepShapes.texts, "SCIM fakes: group displayNames to their exact set of members, by userName.")),
    ])

    let target: DirectoryTarget
    var fake: String { target.name }
    let counts: [(String, Int)]
    let contains: [(String, [JSONValue])]
    let absent: [(String, [JSONValue])]
    let paths: [(JSONPath, JSONValue)]
    let roles: [(String, Set<String>)]
    let members: [(String, Set<String>)]

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        target = try DirectoryTarget(node)
        counts = try node["count"]?.entries().map { (e) throws(ScenarioError) -> (String, Int) in (e.key, try e.value.int()) } ?? []
        contains = try Self.lists(node["contains"])
        absent = try Self.lists(node["absent"])
        paths = try TransformExpectation.pathTable(node["paths"])
        roles = try Self.nameSets(node["roles"])
        members = try Self.nameSets(node["members"])
        if !roles.isEmpty, case .fake(let fake) = target, fake != "cf" {
            throw try node.required("roles").error("roles are checked on the cf fake or a Cloud Foundry system")
        }
        if !members.isEmpty, target == .fake("cf") { throw try node.required("members").error("members are checked on SCIM fakes; use roles for cf") }
        if counts.isEmpty, contains.isEmpty, absent.isEmpty, paths.isEmpty, roles.isEmpty, members.isEmpty {
            throw node.error("nothing to check: give count, contains, absent, paths, roles or members")
        }
    }

    private static func nameSets(_ node: ScenarioNode?) throws(ScenarioError) -> [(String, Set<String>)] {
        try node?.entries().map { (e) throws(ScenarioError) -> (String, Set<String>) in
            (e.key, Set(try e.value.elements().map { (n) throws(ScenarioError) -> String in try n.string() }))
        } ?? []
    }

    private static func lists(_ node: ScenarioNode?) throws(ScenarioError) -> [(String, [JSONValue])] {
        try node?.entries().map { (e) throws(ScenarioError) -> (String, [JSONValue]) in
            (e.key, try e.value.elements().map { (n) throws(ScenarioError) -> JSONValue in try n.json() })
        } ?? []
    }

    func run(in world: World) async -> StepOutcome {
        let resolved: DirectoryTarget.Resolved
        switch await target.resolve(in: world) {
        case .success(let r): resolved = r
        case .failure(let f): return .error(f.message)
        }
        let state: JSONValue
        switch await resolved.state(in: world) {
        case .success(let s): state = s
        case .failure(let f): return .error(f.message)
        }
        // A real service's other users and groups are not the scenario's: only the run's count,
        // and only they are shown.
        let counted = resolved.isFake ? "" : " of those named with the run ID \(world.options.runId)"
        let scoped = resolved.isFake ? state : Self.named(state, containing: world.options.runId)
        let saved = await world.savedValues
        let contains: [(String, [JSONValue])], absent: [(String, [JSONValue])], members: [(String, Set<String>)], roles: [(String, Set<String>)]
        do throws(StepFailure) {
            contains = try self.contains.map { (key, values) throws(StepFailure) in (key, try values.map { (v) throws(StepFailure) in try SavedValues.resolve(v, saved).get() }) }
            absent = try self.absent.map { (key, values) throws(StepFailure) in (key, try values.map { (v) throws(StepFailure) in try SavedValues.resolve(v, saved).get() }) }
            func resolved(_ sets: [(String, Set<String>)]) throws(StepFailure) -> [(String, Set<String>)] {
                try sets.map { (key, names) throws(StepFailure) in
                    (try SavedValues.resolve(key, saved).get(), Set(try names.map { (n) throws(StepFailure) in try SavedValues.resolve(n, saved).get() }))
                }
            }
            members = try resolved(self.members)
            roles = try resolved(self.roles)
        } catch {
            return .error(error.message)
        }
        var problems: [String] = []
        for (key, expected) in counts {
            let entries = scoped[key]?.arrayValue ?? []
            if entries.count != expected { problems.append("\(fake) \(key)\(counted): expected \(expected), actual \(entries.count)") }
        }
        for (key, wanted) in contains {
            let entries = state[key]?.arrayValue ?? []
            for item in wanted where !entries.contains(where: { JSONDiff.differences(expected: item, actual: $0, subset: true).isEmpty }) {
                problems.append("\(fake) \(key): no entry matches \(item.serialized())")
            }
        }
        for (key, unwanted) in absent {
            let entries = state[key]?.arrayValue ?? []
            for item in unwanted {
                if let hit = entries.first(where: { JSONDiff.differences(expected: item, actual: $0, subset: true).isEmpty }) {
                    problems.append("\(fake) \(key): expected no entry matching \(item.serialized()), found \(hit.serialized())")
                }
            }
        }
        for (path, expected) in paths {
            let actual = path.read(state)
            if actual != expected { problems.append("\(path): expected \(expected.serialized()), actual \(actual?.serialized() ?? "(nothing found)")") }
        }
        if !roles.isEmpty {
            let actual = Self.roleSets(state)
            for (user, expected) in roles where (actual[user] ?? []) != expected {
                problems.append("roles of \(user): expected \(expected.sorted()), actual \((actual[user] ?? []).sorted())")
            }
        }
        if !members.isEmpty {
            let actual = Self.memberSets(state)
            for (group, expected) in members {
                guard let found = actual[group] else {
                    problems.append("\(fake) has no group '\(group)' (groups: \(actual.keys.sorted().joined(separator: ", ")))")
                    continue
                }
                if found != expected { problems.append("members of \(group): expected \(expected.sorted()), actual \(found.sorted())") }
            }
        }
        guard problems.isEmpty else {
            return .failed(problems[0], details: problems.joined(separator: "\n") + "\n\nstate of \(fake)\(counted):\n" + scoped.serialized(pretty: true))
        }
        return .passed("\(fake) state as expected")
    }

    /// `state` with only the users and groups whose name carries `text` as a whole token.
    static func named(_ state: JSONValue, containing text: String) -> JSONValue {
        var out = state
        for key in ["users", "groups"] where state[key] != nil {
            out[key] = .array((state[key]?.arrayValue ?? []).filter { name(of: $0)?.carriesRunId(text) == true })
        }
        return out
    }

    /// A user's or group's name: SCIM's userName or displayName, Cloud Foundry's username.
    static func name(of entity: JSONValue) -> String? {
        (entity["userName"] ?? entity["displayName"] ?? entity["username"])?.stringValue
    }

    /// Group display name → the user names of its members (IDs of unknown members as they are).
    static func memberSets(_ state: JSONValue) -> [String: Set<String>] {
        var userNames: [String: String] = [:]
        for user in state["users"]?.arrayValue ?? [] {
            if let id = user["id"]?.stringValue, let name = user["userName"]?.stringValue { userNames[id] = name }
        }
        var result: [String: Set<String>] = [:]
        for group in state["groups"]?.arrayValue ?? [] {
            guard let name = group["displayName"]?.stringValue else { continue }
            let ids = (group["members"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue }
            result[name] = Set(ids.map { userNames[$0] ?? $0 })
        }
        return result
    }

    /// User name → `"<role type> <org name>"` or `"<role type> <org name>/<space name>"`.
    static func roleSets(_ state: JSONValue) -> [String: Set<String>] {
        CloudFoundryRole.all(in: state).reduce(into: [:]) { sets, role in sets[role.user, default: []].insert(role.name) }
    }
}
