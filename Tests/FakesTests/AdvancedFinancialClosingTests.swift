import Chrono
import Fakes
import Foundation
import Hosting
import JSON
import Testing

@Suite("Fake AFC: AFC's documented rules")
struct AdvancedFinancialClosingTests {
    @Test("user IDs are case-sensitive: JDoe and jdoe are two users")
    func caseSensitiveUserIDs() async throws {
        try await RunningFake.afc().use { fake in
            let token = try await fake.token()
            let upper = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("JDoe"))
            let lower = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("jdoe"))
            #expect(upper.status == 201)
            #expect(lower.status == 201)
            #expect(upper.json["id"] != lower.json["id"])
            let again = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("JDoe"))
            #expect(again.status == 409)
            #expect(again.json["scimType"] == "uniqueness")
            let found = try await HTTP.json(.GET, fake.scim + "/Users?filter=\(HTTP.encoded("userName eq \"jdoe\""))", token: token).json
            #expect(found["totalResults"] == 1)
            #expect(found["Resources"]?[0]?["userName"] == "jdoe")
            let none = try await HTTP.json(.GET, fake.scim + "/Users?filter=\(HTTP.encoded("userName eq \"JDOE\""))", token: token).json
            #expect(none["totalResults"] == 0)
            let schema = try await HTTP.json(.GET, fake.scim + "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", token: token).json
            let userName = schema["attributes"]?.arrayValue?.first { $0["name"] == "userName" }
            #expect(userName?["caseExact"] == true)
        }
    }

    @Test("users created through the API are Inactive until they sign in")
    func inactiveUntilSignIn() async throws {
        try await RunningFake.afc().use { fake in
            let token = try await fake.token()
            let created = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("jdoe", extra: [("active", true)]))
            #expect(created.json["active"] == false)
            #expect(created.json["urn:ietf:params:scim:schemas:extension:sap:2.0:User"]?["status"] == "inactive")
            let id = created.json["id"]?.stringValue ?? ""
            #expect(try await fake.control(.POST, "users/\(id)/sign-in").status == 200)
            let read = try await HTTP.json(.GET, fake.scim + "/Users/" + id, token: token).json
            #expect(read["active"] == true)
            #expect(read["urn:ietf:params:scim:schemas:extension:sap:2.0:User"]?["status"] == "active")
            #expect(try await fake.control(.POST, "users/nobody/sign-in").status == 404)
        }
    }

    @Test("a deleted user with assignments disappears from the API and comes back with the same ID")
    func softDeletion() async throws {
        try await RunningFake.afc().use { fake in
            let token = try await fake.token()
            let id = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("jdoe", extra: [("roles", [["value": "AFC_VIEWER"]])])).json["id"]?.stringValue ?? ""
            #expect(try await HTTP.json(.DELETE, fake.scim + "/Users/" + id, token: token).status == 204)
            #expect(try await HTTP.json(.GET, fake.scim + "/Users/" + id, token: token).status == 404)
            #expect(try await HTTP.json(.DELETE, fake.scim + "/Users/" + id, token: token).status == 404)
            let list = try await HTTP.json(.GET, fake.scim + "/Users", token: token).json
            #expect(list["totalResults"] == 0)
            let byName = fake.scim + "/Users?filter=" + HTTP.encoded(#"userName eq "jdoe""#)
            #expect(try await HTTP.json(.GET, byName, token: token).json["totalResults"] == 0)
            let state = try await fake.control(.GET, "state").json
            #expect(state["deletedUsers"] == ["jdoe"])
            // Same user ID (exact case): the Deleted user returns.
            let revived = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("jdoe"))
            #expect(revived.status == 201)
            #expect(revived.json["id"]?.stringValue == id)
            #expect(try await HTTP.json(.GET, byName, token: token).json["totalResults"] == 1)
            // Another case is another user.
            let other = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("JDOE"))
            #expect(other.json["id"]?.stringValue != id)
        }
    }

    @Test("a user without assignments is deleted for good; a new one gets a new ID")
    func hardDeletion() async throws {
        try await RunningFake.afc().use { fake in
            let token = try await fake.token()
            let id = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("temp")).json["id"]?.stringValue ?? ""
            #expect(try await HTTP.json(.DELETE, fake.scim + "/Users/" + id, token: token).status == 204)
            #expect(try await fake.control(.GET, "state").json["deletedUsers"] == [])
            let again = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("temp"))
            #expect(again.json["id"]?.stringValue != id)
        }
    }

    @Test("the last active user of a group cannot be deleted; with another active member it can")
    func lastActiveUser() async throws {
        try await RunningFake.afc().use { fake in
            let token = try await fake.token()
            let ann = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("ann")).json["id"]?.stringValue ?? ""
            let bob = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("bob")).json["id"]?.stringValue ?? ""
            let groupID = try await HTTP.json(.POST, fake.scim + "/Groups", token: token, body: group("Closers", members: [ann, bob])).json["id"]?.stringValue ?? ""
            _ = try await fake.control(.POST, "users/\(ann)/sign-in")
            let refused = try await HTTP.json(.DELETE, fake.scim + "/Users/" + ann, token: token)
            #expect(refused.status == 409)
            #expect(refused.json["detail"]?.stringValue?.contains("last active user of group 'Closers'") == true)
            // Inactive users may go.
            #expect(try await HTTP.json(.DELETE, fake.scim + "/Users/" + bob, token: token).status == 204)
            // The deleted member keeps its assignment but is not shown.
            let groupRead = try await HTTP.json(.GET, fake.scim + "/Groups/" + groupID, token: token).json
            #expect(groupRead["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [ann])
            // With a second active member, ann can be deleted.
            let cid = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("cid")).json["id"]?.stringValue ?? ""
            _ = try await fake.control(.POST, "users/\(cid)/sign-in")
            let patched = try await HTTP.json(.PATCH, fake.scim + "/Groups/" + groupID, token: token, body: patch([["op": "add", "path": "members", "value": [["value": .string(cid)]]]]))
            #expect(patched.status == 200)
            #expect(try await HTTP.json(.DELETE, fake.scim + "/Users/" + ann, token: token).status == 204)
            // A full replace by a client that never saw bob keeps bob's hidden assignment.
            let replaced = try await HTTP.json(.PUT, fake.scim + "/Groups/" + groupID, token: token, body: group("Closers", members: [cid]))
            #expect(replaced.status == 200)
            let stored = try await fake.control(.GET, "state").json["groups"]?[0]?["members"]?.arrayValue?.count
            #expect(stored == 1, "the state dump shows what clients see")
        }
    }

    @Test("groups written through SCIM are flagged synced; a group with a draft refuses SCIM writes with 409")
    func drafts() async throws {
        try await RunningFake.afc().use { fake in
            let token = try await fake.token()
            let created = try await HTTP.json(.POST, fake.scim + "/Groups", token: token, body: group("Reviewers"))
            let id = created.json["id"]?.stringValue ?? ""
            #expect(try await fake.control(.GET, "state").json["groupsSyncedViaSCIM"] == .array([.string(id)]))
            #expect(try await fake.control(.POST, "groups/\(id)/draft").status == 200)
            let put = try await HTTP.json(.PUT, fake.scim + "/Groups/" + id, token: token, body: group("Reviewers 2"))
            #expect(put.status == 409)
            #expect(put.json["detail"]?.stringValue?.contains("draft") == true)
            #expect(try await HTTP.json(.PATCH, fake.scim + "/Groups/" + id, token: token, body: patch([["op": "replace", "path": "displayName", "value": "x"]])).status == 409)
            #expect(try await HTTP.json(.DELETE, fake.scim + "/Groups/" + id, token: token).status == 409)
            #expect(try await fake.control(.DELETE, "groups/\(id)/draft").status == 200)
            #expect(try await HTTP.json(.PUT, fake.scim + "/Groups/" + id, token: token, body: group("Reviewers 2")).status == 200)
            #expect(try await HTTP.json(.DELETE, fake.scim + "/Groups/" + id, token: token).status == 204)
        }
    }

    @Test("roles: a read-only catalog under /Roles; users carry role IDs in 'roles'")
    func roles() async throws {
        try await RunningFake.afc().use { fake in
            let token = try await fake.token()
            let catalog = try await HTTP.json(.GET, fake.scim + "/Roles", token: token).json
            let ids = catalog["Resources"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.contains("AFC_ADMINISTRATOR"))
            #expect(catalog["Resources"]?[0]?["schemas"] == ["urn:sap:cloud:scim:schemas:extension:afc:2.0:Role"])
            let assigned = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("boss", extra: [("roles", [["value": "AFC_ADMINISTRATOR"]])]))
            #expect(assigned.status == 201)
            let byRole = try await HTTP.json(.GET, fake.scim + "/Users?filter=\(HTTP.encoded("roles.value eq \"AFC_ADMINISTRATOR\""))", token: token).json
            #expect(byRole["totalResults"] == 1)
            let unknown = try await HTTP.json(.POST, fake.scim + "/Users", token: token, body: user("x", extra: [("roles", [["value": "SUPERUSER"]])]))
            #expect(unknown.status == 400)
            #expect(unknown.json["scimType"] == "invalidValue")
            #expect(try await HTTP.json(.POST, fake.scim + "/Roles", token: token, body: ["displayName": "Mine"]).status == 405)
            #expect(try await HTTP.json(.DELETE, fake.scim + "/Roles/AFC_VIEWER", token: token).status == 405)
            let types = try await HTTP.json(.GET, fake.scim + "/ResourceTypes", token: token).json
            #expect(types["totalResults"] == 3)
        }
    }

    @Test("filters: eq, sw, co and gt only; not and value paths are refused", arguments: [
        ("userName ne \"a\"", false), ("not (userName eq \"a\")", false), ("emails[type eq \"work\"]", false),
        ("userName pr", false), ("userName eq \"a\"", true), ("name.familyName sw \"A\"", true),
        ("userName co \"a\" or userName sw \"b\"", true), ("meta.lastModified gt \"2025-01-01T00:00:00Z\"", true),
    ])
    func filterOperators(filter: String, supported: Bool) async throws {
        let host = FakeHost(service: AdvancedFinancialClosing(clock: SimulatedClock(), seed: 1), clock: SimulatedClock())
        let auth = [("Authorization", "Bearer " + ((host.service as? AdvancedFinancialClosing)?.endpoint.authenticator.tokens.issue(clientId: "sb-afc-api!b1234", scopes: ["scim.read"], grantType: "client_credentials", issuerURL: host.baseURL + "/oauth/token").token ?? ""))]
        let r = await host.handle(FakeRequest(method: "GET", path: "/scim2/Users", query: ["filter": filter], headers: auth.map { ($0.0, $0.1) }))
        #expect(r.status == (supported ? 200 : 400), "\(filter)")
        if !supported { #expect(r.json?["scimType"] == "invalidFilter") }
    }

    @Test("paging in AFC is capped at 100 per page")
    func pageCap() async throws {
        try await RunningFake.afc(limits: .none).use { fake in
            let token = try await fake.token()
            _ = try await fake.control(.POST, "seed", ["users": .array((1...120).map { user("u\($0)") })])
            let page = try await HTTP.json(.GET, fake.scim + "/Users?count=500", token: token).json
            #expect(page["totalResults"] == 120)
            #expect(page["itemsPerPage"] == 100)
        }
    }
}
