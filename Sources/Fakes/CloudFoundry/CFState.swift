import Determinism
import Hosting
import JSON

/// Who is calling the Cloud Controller: an admin (`cloud_controller.admin`), a global reader
/// (`cloud_controller.admin_read_only`, `cloud_controller.global_auditor`), or a user whose
/// roles decide what it sees and may change.
struct CFCaller: Sendable {
    let userGuid: String
    let admin: Bool
    let readsAll: Bool
}

/// Organizations, spaces, users, roles and jobs, with the permission rules of the V3 API.
struct CFState {
    var random: SeededRandom
    var organizations: [String: CFOrganization] = [:]
    var organizationOrder: [String] = []
    var spaces: [String: CFSpace] = [:]
    var spaceOrder: [String] = []
    var users: [String: CFUser] = [:]
    var userOrder = CreationOrder()
    var roles: [String: CFRole] = [:]
    var roleOrder: [String] = []
    /// User GUID → GUIDs of its roles, oldest first: every permission check starts from the
    /// caller's or the subject's roles. Kept by the only writers, `addRole` and `removeRole`.
    var rolesByUser: [String: [String]] = [:]
    var jobs: [String: CFJob] = [:]

    init(seed: UInt64) {
        random = SeededRandom(seed: seed ^ 0x6366_7633)
    }

    mutating func guid() -> String { random.uuidString() }

    // MARK: Roles of a user

    func roles(of user: String) -> [CFRole] {
        (rolesByUser[user] ?? []).compactMap { roles[$0] }
    }

    func has(_ user: String, _ type: CFRoleType, organization: String) -> Bool {
        roles(of: user).contains { $0.type == type && $0.organizationGuid == organization }
    }

    func has(_ user: String, _ type: CFRoleType, space: String) -> Bool {
        roles(of: user).contains { $0.type == type && $0.spaceGuid == space }
    }

    /// Whether the user holds any role in the organization or one of its spaces.
    func hasAnyRole(_ user: String, inOrganization organization: String) -> Bool {
        roles(of: user).contains { $0.organizationGuid == organization || $0.spaceGuid.flatMap { spaces[$0]?.organizationGuid } == organization }
    }

    /// `space.organization.has_user?(user)`: the `organization_user` role, nothing else.
    func isOrganizationUser(_ user: String, _ organization: String) -> Bool {
        has(user, .organizationUser, organization: organization)
    }

    func spaceRoles(of user: String, inOrganization organization: String) -> [CFRole] {
        roles(of: user).filter { $0.spaceGuid.flatMap { spaces[$0]?.organizationGuid } == organization }
    }

    // MARK: Visibility and permission

    func canRead(organization guid: String, _ caller: CFCaller) -> Bool {
        guard organizations[guid] != nil else { return false }
        if caller.admin || caller.readsAll { return true }
        return hasAnyRole(caller.userGuid, inOrganization: guid)
    }

    func canRead(space guid: String, _ caller: CFCaller) -> Bool {
        guard let space = spaces[guid] else { return false }
        if caller.admin || caller.readsAll { return true }
        return has(caller.userGuid, .organizationManager, organization: space.organizationGuid)
            || roles(of: caller.userGuid).contains { $0.spaceGuid == guid }
    }

    func canRead(role: CFRole, _ caller: CFCaller) -> Bool {
        if let org = role.organizationGuid { return canRead(organization: org, caller) }
        return role.spaceGuid.map { canRead(space: $0, caller) } ?? false
    }

    /// A user is visible to those who see an organization or space where it holds a role.
    func canRead(user guid: String, _ caller: CFCaller) -> Bool {
        guard users[guid] != nil else { return false }
        if caller.admin || caller.readsAll || guid == caller.userGuid { return true }
        return roles(of: guid).contains { canRead(role: $0, caller) }
    }

    func canManage(organization guid: String, _ caller: CFCaller) -> Bool {
        caller.admin || has(caller.userGuid, .organizationManager, organization: guid)
    }

    func canManage(space guid: String, _ caller: CFCaller) -> Bool {
        guard let space = spaces[guid] else { return false }
        return caller.admin || canManage(organization: space.organizationGuid, caller) || has(caller.userGuid, .spaceManager, space: guid)
    }

    // MARK: Changes

    mutating func addOrganization(name: String, guid: String?, now: Int) throws(CFError) -> CFOrganization {
        if organizations.values.contains(where: { $0.name.lowercased() == name.lowercased() }) {
            throw CFError.unprocessable("Organization '\(name)' already exists.")
        }
        let guid = guid ?? self.guid()
        guard organizations[guid] == nil else { throw CFError.unprocessable("Organization with guid '\(guid)' already exists.") }
        let org = CFOrganization(guid: guid, name: name, created: now, updated: now)
        organizations[guid] = org
        organizationOrder.append(guid)
        return org
    }

    mutating func addSpace(name: String, organization: String, guid: String?, now: Int) throws(CFError) -> CFSpace {
        if spaces.values.contains(where: { $0.organizationGuid == organization && $0.name == name }) {
            throw CFError.unprocessable("Name must be unique per organization")
        }
        let guid = guid ?? self.guid()
        guard spaces[guid] == nil else { throw CFError.unprocessable("Space with guid '\(guid)' already exists.") }
        let space = CFSpace(guid: guid, name: name, organizationGuid: organization, created: now, updated: now)
        spaces[guid] = space
        spaceOrder.append(guid)
        return space
    }

    @discardableResult
    mutating func ensureUser(_ guid: String, now: Int) -> CFUser {
        if let user = users[guid] { return user }
        let user = CFUser(guid: guid, created: now, updated: now)
        users[guid] = user
        userOrder.append(guid)
        return user
    }

    /// Adds a role after the duplicate check (`User 'x' already has 'type' role in …`).
    mutating func addRole(_ type: CFRoleType, user: String, organization: String?, space: String?, presentationName: String, now: Int) throws(CFError) -> CFRole {
        let duplicate = roles(of: user).contains { $0.type == type && $0.organizationGuid == organization && $0.spaceGuid == space }
        if duplicate {
            if let space, let name = spaces[space]?.name {
                throw CFError.unprocessable("User '\(presentationName)' already has '\(type.rawValue)' role in space '\(name)'.")
            }
            throw CFError.unprocessable("User '\(presentationName)' already has '\(type.rawValue)' role in organization '\(organization.flatMap { organizations[$0]?.name } ?? "")'.")
        }
        let role = CFRole(guid: guid(), type: type, userGuid: user, organizationGuid: organization, spaceGuid: space, created: now)
        roles[role.guid] = role
        roleOrder.append(role.guid)
        rolesByUser[user, default: []].append(role.guid)
        return role
    }

    mutating func removeRole(_ guid: String) {
        if let user = roles[guid]?.userGuid { rolesByUser[user]?.removeAll { $0 == guid } }
        roles[guid] = nil
        roleOrder.removeAll { $0 == guid }
    }

    mutating func removeUser(_ guid: String) {
        for role in roles(of: guid) { removeRole(role.guid) }
        users[guid] = nil
        userOrder.remove(guid)
    }

    /// Runs the jobs that are due.
    mutating func settleJobs(now: Double, timestamp: () -> Int) {
        for (guid, job) in jobs where job.state == .processing && job.dueAt <= now {
            switch job.work {
            case .deleteRole(let role): removeRole(role)
            case .deleteUser(let user): removeUser(user)
            }
            jobs[guid]?.state = .complete
            jobs[guid]?.updated = timestamp()
        }
    }
}
