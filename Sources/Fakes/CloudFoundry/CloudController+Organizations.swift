import Hosting
import JSON

/// Organizations: list, create, read, and their users.
extension CloudController {
    static func organizationRoutes() -> RouteTable<CFHandler> {
        var table = RouteTable<CFHandler>()
        table.add("GET", "/organizations") { cc, r in try cc.listOrganizations(r.request, r.caller, r.base) }
        table.add("POST", "/organizations") { cc, r in try cc.createOrganization(r.request, r.caller, r.base) }
        table.add("GET", "/organizations/{guid}", readOne("Organization") { _, s, r in
            s.canRead(organization: r.guid, r.caller) ? s.organizations[r.guid]?.json(r.base) : nil
        })
        table.add("GET", "/organizations/{guid}/users") { cc, r in try cc.listUsers(r.request, r.caller, r.base, organization: r.guid) }
        return table
    }

    private func listOrganizations(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let query = try CFListQuery(request.query, filters: ["names", "guids"], orderBy: ["created_at", "updated_at", "name"])
        let names = query.filters["names"].map { Set($0.map { $0.lowercased() }) }
        let (page, total) = state.withLock { s in
            query.page(s.organizationOrder.compactMap { s.organizations[$0] }.filter { org in
                s.canRead(organization: org.guid, caller) && query.allows("guids", org.guid) && (names?.contains(org.name.lowercased()) ?? true)
            }) { org, field in field == "name" ? org.name : field == "updated_at" ? String(org.updated) : String(org.created) }
        }
        return .json(200, query.response(page.map { $0.json(base) }, total: total, url: base + "/v3/organizations"))
    }

    private func createOrganization(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let body = try body(request)
        guard caller.admin else { throw CFError.notAuthorized }
        guard let name = body["name"]?.stringValue, !name.isEmpty else { throw CFError.unprocessable("Name must be a string, Name can't be blank") }
        let org = try state.withLock { (s) throws(CFError) -> CFOrganization in try s.addOrganization(name: name, guid: nil, now: clock.timestamp()) }
        return .json(201, org.json(base))
    }
}
