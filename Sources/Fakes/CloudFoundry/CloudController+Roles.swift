import Hosting
import JSON

/// Roles: list, create with the real rules, read, and delete as an asynchronous job.
extension CloudController {
    static func roleRoutes() -> RouteTable<CFHandler> {
        var table = RouteTable<CFHandler>()
        table.add("GET", "/roles") { cc, r in try cc.listRoles(r.request, r.caller, r.base) }
        table.add("POST", "/roles") { cc, r in try cc.createRole(r.request, r.caller, r.base) }
        table.add("GET", "/roles/{guid}") { cc, r in try cc.showRole(r.guid, r.request, r.caller, r.base) }
        table.add("DELETE", "/roles/{guid}") { cc, r in try cc.deleteRole(r.guid, r.caller, r.base) }
        return table
    }

    private func listRoles(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let query = try CFListQuery(request.query, filters: ["guids", "types", "space_guids", "organization_guids", "user_guids"], include: Self.roleIncludes, refusal: .unprocessable)
        let directory = uaa.directory
        let (page, total, included) = state.withLock { s in
            let (page, total) = query.page(s.roleOrder.compactMap { s.roles[$0] }.filter { role in
                s.canRead(role: role, caller) && query.allows("guids", role.guid) && query.allows("types", role.type.rawValue)
                    && query.allows("user_guids", role.userGuid) && query.allows("organization_guids", role.organizationGuid)
                    && query.allows("space_guids", role.spaceGuid)
            }) { role, _ in String(role.created) }
            return (page, total, Self.included(query.include, of: page, in: s, directory: directory, base: base))
        }
        return .json(200, query.response(page.map { $0.json(base) }, total: total, url: base + "/v3/roles", included: included))
    }

    /// `GET /v3/roles/<guid>`, with `include=user,space,organization` as the list takes it.
    private func showRole(_ guid: String, _ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let include = try CFListQuery.showInclude(request.query, valid: Self.roleIncludes)
        let directory = uaa.directory
        let json = try state.withLock { (s) throws(CFError) -> JSONValue in
            guard let role = s.roles[guid], s.canRead(role: role, caller) else { throw CFError.notFound("Role") }
            var json = role.json(base)
            if !include.isEmpty { json["included"] = .object(JSONObject(Self.included(include, of: [role], in: s, directory: directory, base: base))) }
            return json
        }
        return .json(200, json)
    }

    static let roleIncludes = ["user", "space", "organization"]

    /// The `included` members of a role answer: the users, spaces and organizations `roles` name.
    private static func included(_ kinds: [String], of roles: [CFRole], in s: CFState, directory: UAADirectory, base: String) -> [(String, JSONValue)] {
        kinds.map { kind in
            switch kind {
            case "user":
                ("users", .array(roles.map(\.userGuid).uniqued().compactMap { s.users[$0]?.json(base, identity: directory.identity(of: $0)) }))
            case "space":
                ("spaces", .array(roles.compactMap(\.spaceGuid).uniqued().compactMap { s.spaces[$0]?.json(base) }))
            default:
                ("organizations", .array(roles.compactMap(\.organizationGuid).uniqued().compactMap { s.organizations[$0]?.json(base) }))
            }
        }
    }

    private func createRole(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let message = try CFRoleCreateMessage(try body(request))
        let userGuid = try resolveUser(message)
        let directory = uaa.directory
        let role = try state.withLock { (s) throws(CFError) -> CFRole in
            let now = clock.timestamp()
            let presentation = directory.identity(of: userGuid)?.userName ?? userGuid
            if let orgGuid = message.organizationGuid {
                guard s.canRead(organization: orgGuid, caller) else {
                    throw CFError.unprocessable("Invalid organization. Ensure that the organization exists and you have access to it.")
                }
                guard s.canManage(organization: orgGuid, caller) else { throw CFError.notAuthorized }
                // An organization role creates the Cloud Controller's user record when missing.
                s.ensureUser(userGuid, now: now)
                return try s.addRole(message.type, user: userGuid, organization: orgGuid, space: nil, presentationName: presentation, now: now)
            }
            // The message names an organization or a space (CFRoleCreateMessage checks).
            guard let spaceGuid = message.spaceGuid, s.canRead(space: spaceGuid, caller), let space = s.spaces[spaceGuid] else {
                throw CFError.unprocessable("Invalid space. Ensure that the space exists and you have access to it.")
            }
            guard s.canManage(space: spaceGuid, caller) else { throw CFError.notAuthorized }
            let orgGuid = space.organizationGuid
            guard (s.canRead(user: userGuid, caller) && s.isOrganizationUser(userGuid, orgGuid)) || !settings.spaceRolesNeedOrganizationUser else {
                throw CFError.unprocessable("Users cannot be assigned roles in a space if they do not have a role in that space's organization.")
            }
            return try s.addRole(message.type, user: userGuid, organization: nil, space: spaceGuid, presentationName: presentation, now: now)
        }
        return .json(201, role.json(base))
    }

    /// The user's GUID from the message, looking a username up in the UAA.
    private func resolveUser(_ message: CFRoleCreateMessage) throws(CFError) -> String {
        if let guid = message.userGuid { return guid }
        guard settings.setRolesByUsername else {
            throw CFError(403, 330002, "CF-FeatureDisabled", "Feature Disabled: set_roles_by_username")
        }
        let username = message.username!
        let matches = uaa.directory.users(named: username).filter { message.origin == nil || $0.origin == message.origin }
        if matches.isEmpty {
            throw CFError.unprocessable(message.origin.map { "No user exists with the username '\(username)' and origin '\($0)'." }
                ?? "No user exists with the username '\(username)'.")
        }
        if matches.count > 1 {
            throw CFError.unprocessable("User with username '\(username)' exists in the following origins: \(matches.map(\.origin).sorted().joined(separator: ", ")). Specify an origin to disambiguate.")
        }
        return matches[0].id
    }

    private func deleteRole(_ guid: String, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        try state.withLock { (s) throws(CFError) -> Void in
            guard let role = s.roles[guid], s.canRead(role: role, caller) else { throw CFError.notFound("Role") }
            if let space = role.spaceGuid {
                guard s.canManage(space: space, caller) else { throw CFError.notAuthorized }
            } else if let org = role.organizationGuid {
                guard s.canManage(organization: org, caller) else { throw CFError.notAuthorized }
                if role.type == .organizationUser, !s.spaceRoles(of: role.userGuid, inOrganization: org).isEmpty {
                    throw CFError.unprocessable("Cannot delete organization_user role while user has roles in spaces in that organization.")
                }
            }
        }
        return accepted(.deleteRole(guid), operation: "role.delete", base: base)
    }

    /// 202 with `Location: …/v3/jobs/{guid}`; the job runs now or after `jobSeconds`.
    func accepted(_ work: CFJob.Work, operation: String, base: String) -> FakeResponse {
        let delay = settings.jobSeconds
        let jobGuid = state.withLock { s in
            let now = clock.timestamp()
            let job = CFJob(guid: s.guid(), operation: operation, state: .processing, created: now, updated: now, dueAt: clock.now() + delay, work: work)
            s.jobs[job.guid] = job
            if delay == 0 { s.settleJobs(now: clock.now(), timestamp: clock.timestamp) }
            return job.guid
        }
        return .empty(202, headers: [("location", "\(base)/v3/jobs/\(jobGuid)")])
    }
}
