import Chrono
import Determinism
import Hosting
import JSON
import SCIM
import Synchronization

/// `If-Match` as UAA reads it: a version number (quotes stripped) or `*` for the current one.
enum UAAVersionMatch: Sendable, Equatable {
    case any
    case version(Int)

    /// `nil` when the header is absent; a value that is no number is UAA's 400.
    static func parse(_ header: String?) throws(UAAError) -> UAAVersionMatch? {
        guard let header else { return nil }
        var text = header.trimmingCharacters(in: " ")
        if text.hasPrefix("W/") { text.removeFirst(2) }
        text = text.trimmingCharacters(in: "\"")
        if text == "*" { return .any }
        guard let version = Int(text) else {
            throw UAAError.badRequest("Invalid version match header (should be a version number): \(header)")
        }
        return .version(version)
    }

    func check(_ current: Int, what: String, id: String) throws(UAAError) {
        if case .version(let expected) = self, expected != current {
            throw UAAError.conflict("Attempt to update a \(what) (\(id)) with wrong version: expected=\(expected) but found=\(current)")
        }
    }
}

/// The users, groups and memberships of the UAA fake, with UAA's rules: generated IDs,
/// case-insensitive uniqueness of (origin, userName), unique group names, integer versions,
/// memberships kept only through groups and shown on users as `groups`.
final class UAADirectory: Sendable {
    let configuration: UAAConfiguration
    private let clock: SimulatedClock
    private let state: Mutex<State>
    /// Called when a user with a password appears, changes or goes (the `password` grant).
    private let credentials: @Sendable (CredentialChange) -> Void

    enum CredentialChange: Sendable {
        case set(username: String, password: String, userId: String, origin: String)
        case removed(userId: String)
    }

    struct State {
        var random: SeededRandom
        var users: [String: UAAUser] = [:]
        var userOrder = CreationOrder()
        /// Lower-cased userName → IDs (one per origin).
        var byUserName: [String: [String]] = [:]
        var groups: [String: UAAGroup] = [:]
        var groupOrder = CreationOrder()
        /// Lower-cased displayName → ID.
        var groupByName: [String: String] = [:]
        /// Member ID (user or group) → IDs of the groups it is a direct member of.
        var memberOf: [String: Set<String>] = [:]
    }

    init(configuration: UAAConfiguration, clock: SimulatedClock, seed: UInt64, credentials: @escaping @Sendable (CredentialChange) -> Void) {
        self.configuration = configuration
        self.clock = clock
        self.credentials = credentials
        state = Mutex(State(random: SeededRandom(seed: seed ^ 0x7561_6100)))
    }

    var zoneId: String { configuration.zoneId }

    func reset() {
        let ids = state.withLock { s in
            let ids = Array(s.users.keys)
            s = State(random: s.random)
            return ids
        }
        for id in ids { credentials(.removed(userId: id)) }
    }

    // MARK: Users

    func user(_ id: String) throws(UAAError) -> JSONValue {
        try state.withLock { (s) throws(UAAError) -> JSONValue in
            guard let user = s.users[id] else { throw UAAError.notFound(user: id) }
            return render(user, s)
        }
    }

    func userVersion(_ id: String) -> Int? {
        state.withLock { $0.users[id]?.version }
    }

    func createUser(_ body: JSONValue) throws(UAAError) -> JSONValue {
        let (attributes, origin, password) = try UAAUser.parse(body)
        let (rendered, user) = try state.withLock { (s) throws(UAAError) -> (JSONValue, UAAUser) in
            let now = clock.timestamp()
            let user = UAAUser(id: s.random.uuidString(), attributes: attributes, origin: (origin ?? "").isEmpty ? "uaa" : origin!,
                               password: password, created: now, lastModified: now)
            try user.validate()
            try checkUnique(user, s)
            s.put(user)
            s.userOrder.append(user.id)
            return (render(user, s), user)
        }
        announce(user)
        return rendered
    }

    func replaceUser(_ id: String, _ body: JSONValue, match: UAAVersionMatch) throws(UAAError) -> JSONValue {
        let (attributes, origin, password) = try UAAUser.parse(body)
        return try update(id, match: match) { (existing) throws(UAAError) -> UAAUser in
            if let origin, !origin.isEmpty, origin != existing.origin { throw UAAError.invalid("Cannot change user's origin in update operation.") }
            var user = existing
            user.attributes = attributes
            if let password { user.password = password }
            return user
        }
    }

    func patchUser(_ id: String, _ body: JSONValue, match: UAAVersionMatch) throws(UAAError) -> JSONValue {
        try update(id, match: match) { (existing) throws(UAAError) -> UAAUser in try UAAPatch.apply(body, to: existing) }
    }

    /// PUT and PATCH: the version check, the change, validation and uniqueness, a new version.
    private func update(_ id: String, match: UAAVersionMatch, _ change: (UAAUser) throws(UAAError) -> UAAUser) throws(UAAError) -> JSONValue {
        let (rendered, user) = try state.withLock { (s) throws(UAAError) -> (JSONValue, UAAUser) in
            guard let existing = s.users[id] else { throw UAAError.notFound(user: id) }
            try match.check(existing.version, what: "user", id: id)
            var user = try change(existing)
            try user.validate()
            try checkUnique(user, s)
            user.version += 1
            user.lastModified = clock.timestamp()
            s.put(user)
            return (render(user, s), user)
        }
        announce(user)
        return rendered
    }

    /// Deletes a user and its memberships; answers the deleted user.
    func deleteUser(_ id: String, match: UAAVersionMatch?) throws(UAAError) -> JSONValue {
        let rendered = try state.withLock { (s) throws(UAAError) -> JSONValue in
            guard let user = s.users[id] else { throw UAAError.notFound(user: id) }
            try match?.check(user.version, what: "user", id: id)
            let rendered = render(user, s)
            s.removeMember(id)
            s.users[id] = nil
            s.byUserName[user.userName.lowercased()]?.removeAll { $0 == id }
            s.userOrder.remove(id)
            return rendered
        }
        credentials(.removed(userId: id))
        return rendered
    }

    func listUsers(_ query: UAAQuery) throws(UAAError) -> (resources: [JSONValue], total: Int) {
        if query.filter == nil, query.sortBy == nil {
            // Creation order, unfiltered: render only the page, so paging through N users is O(N).
            let (page, total) = state.withLock { s -> ([JSONValue], Int) in
                let total = s.userOrder.count
                let ids = s.userOrder.slice(SCIMPaging.window(startIndex: query.startIndex, count: min(query.count, configuration.maxCount), total: total))
                return (ids.compactMap { $0.flatMap { s.users[$0] } }.map { render($0, s) }, total)
            }
            return (try project(page, query), total)
        }
        return try list(query, type: Self.userType) { s in
            // `userName eq "x"` (IPS's lookup) reads the index instead of every user.
            if let term = query.filter?.equalityTerms.first(where: { $0.path.description == "userName" }) {
                return (s.byUserName[term.value.lowercased()] ?? []).compactMap { s.users[$0] }.map { render($0, s) }
            }
            return s.userOrder.all.compactMap { s.users[$0] }.map { render($0, s) }
        }
    }

    private func checkUnique(_ user: UAAUser, _ s: State) throws(UAAError) {
        guard configuration.uniqueUserNames else { return }
        let clash = (s.byUserName[user.userName.lowercased()] ?? []).contains { other in other != user.id && s.users[other]?.origin == user.origin }
        if clash {
            throw UAAError(409, "scim_resource_already_exists", "Username already in use: \(user.userName)", extra: [("origin", .string(user.origin))])
        }
    }

    private func announce(_ user: UAAUser) {
        if let password = user.password, user.origin == "uaa" {
            credentials(.set(username: user.userName, password: password, userId: user.id, origin: user.origin))
        } else {
            credentials(.removed(userId: user.id))
        }
    }

    private func render(_ user: UAAUser, _ s: State) -> JSONValue {
        var groups: [JSONValue] = []
        var seen: Set<String> = []
        var frontier = Array(s.memberOf[user.id] ?? []).sorted { s.groups[$0]?.created ?? 0 < s.groups[$1]?.created ?? 0 }
        var direct = true
        while !frontier.isEmpty {
            var next: [String] = []
            for gid in frontier where !seen.contains(gid) {
                seen.insert(gid)
                guard let group = s.groups[gid] else { continue }
                groups.append(.object(JSONObject([("value", .string(gid)), ("display", .string(group.displayName)), ("type", .string(direct ? "DIRECT" : "INDIRECT"))])))
                next += s.memberOf[gid] ?? []
            }
            frontier = next
            direct = false
        }
        return user.rendered(groups: groups, zoneId: zoneId)
    }

    // MARK: Groups

    func group(_ id: String) throws(UAAError) -> JSONValue {
        try state.withLock { (s) throws(UAAError) -> JSONValue in
            guard let group = s.groups[id] else { throw UAAError.notFound(group: id) }
            return group.rendered(zoneId: zoneId)
        }
    }

    func hasGroup(_ id: String) -> Bool {
        state.withLock { $0.groups[id] != nil }
    }

    /// Creates a group; an invalid member undoes it (`400 Invalid group member`).
    func createGroup(_ json: JSONValue) throws(UAAError) -> JSONValue {
        let body = try UAAGroup.parse(json)
        guard let name = body.displayName, !name.trimmingCharacters(in: " ").isEmpty else {
            throw UAAError.invalid("The group displayName must be provided.")
        }
        return try state.withLock { (s) throws(UAAError) -> JSONValue in
            if s.groupByName[name.lowercased()] != nil {
                throw UAAError(409, "scim_resource_already_exists", "A group with displayName: \(name) already exists.")
            }
            // XSUAA: a role collection's ID is its name.
            let id = configuration.flavour == .xsuaa ? name : s.random.uuidString()
            let now = clock.timestamp()
            let members = try validMembers(body.members ?? [], groupId: id, s)
            let group = UAAGroup(id: id, displayName: name, description: body.description, members: members, created: now, lastModified: now)
            s.put(group, previous: nil)
            s.groupOrder.append(id)
            return group.rendered(zoneId: zoneId)
        }
    }

    enum GroupUpdate {
        case replace, uaaPatch, patchOp
    }

    /// PUT or PATCH of a group. A PUT replaces the member list (none given: all removed); the
    /// XSUAA flavour evaluates only `description` and `members` of either.
    func updateGroup(_ id: String, _ json: JSONValue, match: UAAVersionMatch, how: GroupUpdate) throws(UAAError) -> JSONValue {
        try state.withLock { (s) throws(UAAError) -> JSONValue in
            guard var group = s.groups[id] else { throw UAAError.notFound(group: id) }
            try match.check(group.version, what: "group", id: id)
            var body: UAAGroup.Body
            switch how {
            case .replace:
                body = try UAAGroup.parse(json)
            case .uaaPatch: body = try UAAPatch.apply(json, to: group)
            case .patchOp: body = try UAAPatch.applyPatchOp(json, to: group)
            }
            // XSUAA: a PATCH "may change only description and add/remove members" (docs/fidelity.md, “UAA and XSUAA”),
            // and a role collection's name is its ID.
            if configuration.flavour == .xsuaa { body.displayName = group.displayName }
            guard let name = body.displayName, !name.trimmingCharacters(in: " ").isEmpty else {
                throw UAAError.invalid("The group displayName must be provided.")
            }
            if let other = s.groupByName[name.lowercased()], other != id {
                throw UAAError.invalid("A group with displayName: \(name) already exists")
            }
            let members = try validMembers(body.members ?? [], groupId: id, s)
            let previous = group
            group.displayName = name
            group.description = body.description
            group.members = members
            group.version += 1
            group.lastModified = clock.timestamp()
            s.put(group, previous: previous)
            return group.rendered(zoneId: zoneId)
        }
    }

    func deleteGroup(_ id: String, match: UAAVersionMatch?) throws(UAAError) -> JSONValue {
        try state.withLock { (s) throws(UAAError) -> JSONValue in
            guard let group = s.groups[id] else { throw UAAError.notFound(group: id) }
            try match?.check(group.version, what: "group", id: id)
            s.put(UAAGroup(id: id, displayName: group.displayName, members: [], created: group.created, lastModified: group.lastModified), previous: group)
            s.removeMember(id)
            s.groups[id] = nil
            s.groupByName[group.displayName.lowercased()] = nil
            s.groupOrder.remove(id)
            return group.rendered(zoneId: zoneId)
        }
    }

    func listGroups(_ query: UAAQuery) throws(UAAError) -> (resources: [JSONValue], total: Int) {
        try list(query, type: UAAPatch.groupType) { s in s.groupOrder.all.compactMap { s.groups[$0]?.rendered(zoneId: zoneId) } }
    }

    /// Members must exist (users, or groups other than the group itself), one entry per ID.
    private func validMembers(_ members: [UAAMember], groupId: String, _ s: State) throws(UAAError) -> [UAAMember] {
        var seen: Set<String> = []
        var result: [UAAMember] = []
        for member in members where seen.insert(member.value).inserted {
            let exists = member.type == .user ? s.users[member.value] != nil : (s.groups[member.value] != nil && member.value != groupId)
            guard exists else { throw UAAError.invalid("Invalid group member: \(member.value)") }
            result.append(member)
        }
        return result
    }

    // MARK: Memberships (`/Groups/{id}/members`)

    func members(of groupId: String, withEntities: Bool) throws(UAAError) -> JSONValue {
        try state.withLock { (s) throws(UAAError) -> JSONValue in
            guard let group = s.groups[groupId] else { throw UAAError.notFound(group: groupId) }
            return .array(group.members.map { member in
                var json = member.json
                if withEntities {
                    json["entity"] = member.type == .user ? s.users[member.value].map { render($0, s) } : s.groups[member.value]?.rendered(zoneId: zoneId)
                }
                return json
            })
        }
    }

    func member(_ memberId: String, of groupId: String) throws(UAAError) -> JSONValue {
        try state.withLock { (s) throws(UAAError) -> JSONValue in
            guard let group = s.groups[groupId] else { throw UAAError.notFound(group: groupId) }
            guard let member = group.members.first(where: { $0.value == memberId }) else { throw Self.memberNotFound(memberId, groupId) }
            return member.json
        }
    }

    /// Adds one member: 201, or 409 if it is one already, 404 if no such user or group.
    func addMember(_ json: JSONValue, to groupId: String) throws(UAAError) -> JSONValue {
        let member = try UAAMember(json: json)
        return try state.withLock { (s) throws(UAAError) -> JSONValue in
            guard var group = s.groups[groupId] else { throw UAAError.notFound(group: groupId) }
            if member.type == .group && member.value == groupId { throw UAAError.invalid("trying to nest group within itself, aborting") }
            if member.type == .user, s.users[member.value] == nil { throw UAAError.notFound(user: member.value) }
            if member.type == .group, s.groups[member.value] == nil { throw UAAError.notFound(group: member.value) }
            if group.members.contains(where: { $0.value == member.value }) {
                throw UAAError(409, "member_already_exists", "Member \(member.value) already exists in group \(groupId)")
            }
            let previous = group
            group.members.append(member)
            s.put(group, previous: previous)
            return member.json
        }
    }

    func removeMember(_ memberId: String, from groupId: String) throws(UAAError) -> JSONValue {
        try state.withLock { (s) throws(UAAError) -> JSONValue in
            guard var group = s.groups[groupId] else { throw UAAError.notFound(group: groupId) }
            guard let index = group.members.firstIndex(where: { $0.value == memberId }) else { throw Self.memberNotFound(memberId, groupId) }
            let previous = group
            let removed = group.members.remove(at: index)
            s.put(group, previous: previous)
            return removed.json
        }
    }

    static func memberNotFound(_ memberId: String, _ groupId: String) -> UAAError {
        UAAError(404, "member_not_found", "Member \(memberId) does not exist in group \(groupId)")
    }

    // MARK: Listing, seeding, state

    static let userType = SCIMResourceType(name: "User", endpoint: "/Users", description: "UAA user", schema: SCIMSchemas.user)

    private func list(_ query: UAAQuery, type: SCIMResourceType, candidates: (State) -> [JSONValue]) throws(UAAError) -> (resources: [JSONValue], total: Int) {
        let all = state.withLock { candidates($0) }
        let evaluator = SCIMFilterEvaluator(resourceType: type, ignoreCaseExact: true)
        let matching = query.filter.map { f in all.filter { evaluator.matches(f, $0) } } ?? all
        let (page, total) = SCIMPaging.page(matching, query: query.listQuery, defaultCount: query.count, maxCount: configuration.maxCount, resourceType: type)
        return (try project(page, query), total)
    }

    private func project(_ page: [JSONValue], _ query: UAAQuery) throws(UAAError) -> [JSONValue] {
        guard !query.attributes.isEmpty else { return page }
        var projected: [JSONValue] = []
        for resource in page { projected.append(try UAAQuery.project(resource, attributes: query.attributes)) }
        return projected
    }

    /// Everything, for `/_provsim/state`.
    var snapshot: JSONValue {
        state.withLock { s in
            .object(JSONObject([
                ("users", .array(s.userOrder.all.compactMap { s.users[$0] }.map { render($0, s) })),
                ("groups", .array(s.groupOrder.all.compactMap { s.groups[$0]?.rendered(zoneId: zoneId) })),
            ]))
        }
    }

    /// The ID of the user with this userName (and origin, if given).
    func userId(userName: String, origin: String?) -> String? {
        state.withLock { s in
            (s.byUserName[userName.lowercased()] ?? []).first { origin == nil || s.users[$0]?.origin == origin }
        }
    }

    /// The ID of the group with this displayName (UAA's group names are case-insensitive).
    func groupId(displayName: String) -> String? {
        state.withLock { $0.groupByName[displayName.lowercased()] }
    }

    /// Every user with this userName (any origin), as (ID, origin).
    func users(named userName: String) -> [(id: String, origin: String)] {
        state.withLock { s in (s.byUserName[userName.lowercased()] ?? []).compactMap { id in s.users[id].map { (id, $0.origin) } } }
    }

    /// A user's userName and origin (Cloud Foundry shows them on its users).
    func identity(of userId: String) -> (userName: String, origin: String)? {
        state.withLock { s in s.users[userId].map { ($0.userName, $0.origin) } }
    }
}

extension UAADirectory.State {
    mutating func put(_ user: UAAUser) {
        if let old = users[user.id], old.userName.lowercased() != user.userName.lowercased() {
            byUserName[old.userName.lowercased()]?.removeAll { $0 == user.id }
        }
        let key = user.userName.lowercased()
        if !(byUserName[key] ?? []).contains(user.id) { byUserName[key, default: []].append(user.id) }
        users[user.id] = user
    }

    /// Stores a group and keeps the name and membership indexes in step.
    mutating func put(_ group: UAAGroup, previous: UAAGroup?) {
        if let previous {
            groupByName[previous.displayName.lowercased()] = nil
            for m in previous.members { memberOf[m.value]?.remove(previous.id) }
        }
        groupByName[group.displayName.lowercased()] = group.id
        for m in group.members { memberOf[m.value, default: []].insert(group.id) }
        groups[group.id] = group
    }

    /// Takes a user or group out of every group it is a member of.
    mutating func removeMember(_ id: String) {
        for gid in memberOf[id] ?? [] {
            guard var group = groups[gid] else { continue }
            group.members.removeAll { $0.value == id }
            groups[gid] = group
        }
        memberOf[id] = nil
    }
}
