import Hosting
import JSON
import SCIM

/// `/Groups` and their members: list, create, read, replace, patch (XSUAA's and SCIM's), delete.
extension UAA {
    static func groupRoutes() -> RouteTable<UAAHandler> {
        var table = RouteTable<UAAHandler>()
        table.add("GET", "/Groups") { uaa, r in
            try uaa.require(r.principal, ["scim.read"])
            let query = try UAAQuery(r.request.query, resource: .groups, configuration: uaa.configuration)
            return uaa.list(try uaa.directory.listGroups(query), query)
        }
        table.add("POST", "/Groups") { uaa, r in
            try uaa.require(r.principal, ["scim.write"])
            return uaa.resource(201, try uaa.directory.createGroup(try r.body()))
        }
        table.add("GET", "/Groups/{id}") { uaa, r in
            try uaa.require(r.principal, ["scim.read"])
            return uaa.resource(200, try uaa.directory.group(r.parameters["id"]))
        }
        table.add("PUT", "/Groups/{id}") { uaa, r in
            try uaa.require(r.principal, ["scim.write", "groups.update"])
            let match = try uaa.ifMatch(r.request, required: "Missing If-Match for PUT")
            return uaa.resource(200, try uaa.directory.updateGroup(r.parameters["id"], try r.body(), match: match, how: .replace))
        }
        table.add("PATCH", "/Groups/{id}") { uaa, r in
            try uaa.require(r.principal, ["scim.write", "groups.update"])
            let id = r.parameters["id"]
            // XSUAA: PATCH of a role collection that does not exist answers 204.
            if uaa.configuration.flavour == .xsuaa, !uaa.directory.hasGroup(id) { return .empty(204) }
            let match = try uaa.ifMatch(r.request, required: "Missing If-Match for PATCH")
            let json = try r.body()
            let isPatchOp = json["Operations"] != nil || (json["schemas"]?.arrayValue ?? []).contains(.string(SCIMSchemas.patchOpURN))
            return uaa.resource(200, try uaa.directory.updateGroup(id, json, match: match, how: isPatchOp ? .patchOp : .uaaPatch))
        }
        table.add("DELETE", "/Groups/{id}") { uaa, r in
            try uaa.require(r.principal, ["scim.write"])
            return uaa.resource(200, try uaa.directory.deleteGroup(r.parameters["id"], match: try UAAVersionMatch.parse(r.ifMatchHeader)))
        }
        table.add("GET", "/Groups/{id}/members") { uaa, r in
            try uaa.require(r.principal, ["scim.read"])
            return .json(200, try uaa.directory.members(of: r.parameters["id"], withEntities: r.request.query["returnEntities"] == "true"))
        }
        table.add("POST", "/Groups/{id}/members") { uaa, r in
            try uaa.require(r.principal, ["scim.write", "groups.update"])
            return .json(201, try uaa.directory.addMember(try r.body(), to: r.parameters["id"]))
        }
        table.add("GET", "/Groups/{id}/members/{member}") { uaa, r in
            try uaa.require(r.principal, ["scim.read"])
            return .json(200, try uaa.directory.member(r.parameters["member"], of: r.parameters["id"]))
        }
        table.add("DELETE", "/Groups/{id}/members/{member}") { uaa, r in
            try uaa.require(r.principal, ["scim.write"])
            return .json(200, try uaa.directory.removeMember(r.parameters["member"], from: r.parameters["id"]))
        }
        return table
    }
}
