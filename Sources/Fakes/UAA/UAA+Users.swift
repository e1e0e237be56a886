import Hosting
import JSON

/// `/Users`: list, create, read, replace, patch, delete, with UAA's scopes and If-Match rules.
extension UAA {
    static func userRoutes() -> RouteTable<UAAHandler> {
        var table = RouteTable<UAAHandler>()
        table.add("GET", "/Users") { uaa, r in
            try uaa.require(r.principal, ["scim.read"])
            let query = try UAAQuery(r.request.query, resource: .users, configuration: uaa.configuration)
            return uaa.list(try uaa.directory.listUsers(query), query)
        }
        table.add("POST", "/Users") { uaa, r in
            try uaa.require(r.principal, ["scim.write", "scim.create"])
            return uaa.resource(201, try uaa.directory.createUser(try r.body()))
        }
        table.add("GET", "/Users/{id}") { uaa, r in
            try uaa.require(r.principal, ["scim.read"])
            return uaa.resource(200, try uaa.directory.user(r.parameters["id"]))
        }
        table.add("PUT", "/Users/{id}") { uaa, r in
            try uaa.require(r.principal, ["scim.write"])
            let match = try uaa.ifMatch(r.request, required: "Missing If-Match for PUT")
            return uaa.resource(200, try uaa.directory.replaceUser(r.parameters["id"], try r.body(), match: match))
        }
        table.add("PATCH", "/Users/{id}") { uaa, r in
            try uaa.require(r.principal, ["scim.write"])
            let match = try uaa.ifMatch(r.request, required: "Missing If-Match for PUT")
            return uaa.resource(200, try uaa.directory.patchUser(r.parameters["id"], try r.body(), match: match))
        }
        table.add("DELETE", "/Users/{id}") { uaa, r in
            try uaa.require(r.principal, ["scim.write"])
            return uaa.resource(200, try uaa.directory.deleteUser(r.parameters["id"], match: try UAAVersionMatch.parse(r.ifMatchHeader)))
        }
        return table
    }
}
