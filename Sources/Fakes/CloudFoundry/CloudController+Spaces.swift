import Hosting
import JSON

/// Spaces: list, create, read, and their users.
extension CloudController {
    static func spaceRoutes() -> RouteTable<CFHandler> {
        var table = RouteTable<CFHandler>()
        table.add("GET", "/spaces") { cc, r in try cc.listSpaces(r.request, r.caller, r.base) }
        table.add("POST", "/spaces") { cc, r in try cc.createSpace(r.request, r.caller, r.base) }
        table.add("GET", "/spaces/{guid}", readOne("Space") { _, s, r in
            s.canRead(space: r.guid, r.caller) ? s.spaces[r.guid]?.json(r.base) : nil
        })
        table.add("GET", "/spaces/{guid}/users") { cc, r in try cc.listUsers(r.request, r.caller, r.base, space: r.guid) }
        return table
    }

    private func listSpaces(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let query = try CFListQuery(request.query, filters: ["names", "guids", "organization_guids"], orderBy: ["created_at", "updated_at", "name"], include: ["organization"])
        let (page, total, orgs) = state.withLock { s in
            let (page, total) = query.page(s.spaceOrder.compactMap { s.spaces[$0] }.filter { space in
                s.canRead(space: space.guid, caller) && query.allows("guids", space.guid) && query.allows("names", space.name)
                    && query.allows("organization_guids", space.organizationGuid)
            }) { space, field in field == "name" ? space.name : field == "updated_at" ? String(space.updated) : String(space.created) }
            let orgGuids = page.map(\.organizationGuid).uniqued()
            return (page, total, orgGuids.compactMap { s.organizations[$0]?.json(base) })
        }
        let included: [(String, JSONValue)] = query.include.contains("organization") ? [("organizations", .array(orgs))] : []
        return .json(200, query.response(page.map { $0.json(base) }, total: total, url: base + "/v3/spaces", included: included))
    }

    private func createSpace(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let body = try body(request)
        guard let name = body["name"]?.stringValue, !name.isEmpty else { throw CFError.unprocessable("Name must be a string, Name can't be blank") }
        guard let orgGuid = body["relationships"]?["organization"]?["data"]?["guid"]?.stringValue else {
            throw CFError.unprocessable("Relationships Organization can't be blank")
        }
        let space = try state.withLock { (s) throws(CFError) -> CFSpace in
            guard s.canRead(organization: orgGuid, caller) else {
                throw CFError.unprocessable("Invalid organization. Ensure the organization exists and you have access to it.")
            }
            guard s.canManage(organization: orgGuid, caller) else { throw CFError.notAuthorized }
            return try s.addSpace(name: name, organization: orgGuid, guid: nil, now: clock.timestamp())
        }
        return .json(201, space.json(base))
    }
}
