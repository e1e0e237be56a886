import Hosting
import JSON

/// Users: list, create (by GUID, or by username and origin), read, delete.
extension CloudController {
    static func userRoutes() -> RouteTable<CFHandler> {
        var table = RouteTable<CFHandler>()
        table.add("GET", "/users") { cc, r in try cc.listUsers(r.request, r.caller, r.base) }
        table.add("POST", "/users") { cc, r in try cc.createUser(r.request, r.caller, r.base) }
        table.add("GET", "/users/{guid}", readOne("User") { cc, s, r in
            s.canRead(user: r.guid, r.caller) ? s.users[r.guid]?.json(r.base, identity: cc.uaa.directory.identity(of: r.guid)) : nil
        })
        table.add("DELETE", "/users/{guid}") { cc, r in try cc.deleteUser(r.guid, r.caller, r.base) }
        return table
    }

    func listUsers(_ request: FakeRequest, _ caller: CFCaller, _ base: String, organization: String? = nil, space: String? = nil) throws(CFError) -> FakeResponse {
        let query = try CFListQuery(request.query, filters: ["guids", "usernames", "partial_usernames", "origins"], refusal: .unprocessable)
        if query.filters["origins"] != nil, query.filters["usernames"] == nil, query.filters["partial_usernames"] == nil {
            throw CFError.unprocessable("Origins filter cannot be provided without usernames or partial_usernames filter")
        }
        let directory = uaa.directory
        let result = try state.withLock { (s) throws(CFError) -> (page: [CFUser], total: Int) in
            if let organization, !s.canRead(organization: organization, caller) { throw CFError.notFound("Organization") }
            if let space, !s.canRead(space: space, caller) { throw CFError.notFound("Space") }
            let users = s.userOrder.all.compactMap { s.users[$0] }.filter { user in
                guard s.canRead(user: user.guid, caller), query.allows("guids", user.guid) else { return false }
                if let organization, !s.hasAnyRole(user.guid, inOrganization: organization) { return false }
                if let space, !s.roles(of: user.guid).contains(where: { $0.spaceGuid == space }) { return false }
                guard query.filters["usernames"] != nil || query.filters["partial_usernames"] != nil else { return true }
                guard let identity = directory.identity(of: user.guid) else { return false }
                if let names = query.filters["usernames"], !names.contains(identity.userName) { return false }
                if let partial = query.filters["partial_usernames"], !partial.contains(where: { identity.userName.lowercased().contains($0.lowercased()) }) { return false }
                return query.allows("origins", identity.origin)
            }
            return query.page(users) { user, field in String(field == "updated_at" ? user.updated : user.created) }
        }
        let path = organization.map { "/v3/organizations/\($0)/users" } ?? space.map { "/v3/spaces/\($0)/users" } ?? "/v3/users"
        return .json(200, query.response(result.page.map { $0.json(base, identity: directory.identity(of: $0.guid)) }, total: result.total, url: base + path))
    }

    /// `{"guid"}` (admins) or `{"username", "origin"}` (admins, and org managers when allowed):
    /// the latter creates the UAA shadow user when it does not exist.
    private func createUser(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let body = try body(request)
        if let unknown = body.keys.first(where: { !["guid", "username", "origin", "metadata"].contains($0) }) {
            throw CFError.unprocessable("Unknown field(s): '\(unknown)'")
        }
        let guid: String
        if let given = body["guid"]?.stringValue {
            guard caller.admin else { throw CFError.notAuthorized }
            guard body["username"] == nil, body["origin"] == nil else { throw CFError.unprocessable("Guid cannot be provided with username or origin") }
            guid = given
        } else if let username = body["username"]?.stringValue, let origin = body["origin"]?.stringValue {
            let isOrgManager = state.withLock { s in s.roles(of: caller.userGuid).contains { $0.type == .organizationManager } }
            guard caller.admin || (settings.allowUserCreationByOrgManager && isOrgManager) else { throw CFError.notAuthorized }
            guard origin != "uaa" else { throw CFError.unprocessable("Origin cannot be 'uaa' when creating a user.") }
            do throws(UAAError) {
                guid = try uaa.shadowUser(userName: username, origin: origin)
            } catch {
                throw CFError(502, 20005, "CF-UaaUnavailable", "The UAA refused the user: \(error.message)")
            }
        } else {
            throw CFError.unprocessable("Guid must be a string, or username and origin must be given")
        }
        let user = try state.withLock { (s) throws(CFError) -> CFUser in
            if s.users[guid] != nil { throw CFError.unprocessable("User with guid '\(guid)' already exists.") }
            return s.ensureUser(guid, now: clock.timestamp())
        }
        return .json(201, user.json(base, identity: uaa.directory.identity(of: guid)))
    }

    private func deleteUser(_ guid: String, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        try state.withLock { (s) throws(CFError) -> Void in
            guard s.canRead(user: guid, caller) else { throw CFError.notFound("User") }
            guard caller.admin else { throw CFError.notAuthorized }
        }
        return accepted(.deleteUser(guid), operation: "user.delete", base: base)
    }
}
