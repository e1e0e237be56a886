import Chrono
import Fakes
import Hosting
import JSON
import Testing

@Suite("XSUAA: role collections, shadow users, rate limit")
struct XSUAATests {
    @Test("a role collection's ID is its name; the apiaccess client's xs_user scopes are accepted")
    func roleCollectionIds() async throws {
        let f = try await UAAFixture.make(.xsuaa)
        #expect(f.uaa.client.scopes == ["xs_user.read", "xs_user.write"])
        #expect(f.uaa.provisioningUser == nil)
        let group = try await f.createGroup("Closing_Admin")
        #expect(group["id"] == "Closing_Admin")
        #expect(group["zoneId"] == "provsim-subaccount")
        #expect(await f.send("GET", "/Groups/Closing_Admin").status == 200)
        let missing = await f.send("GET", "/Groups/Nope")
        #expect(uaaError(missing) == (404, "scim_resource_not_found", "Group Nope does not exist"))
    }

    @Test("PUT evaluates only description and members, and replaces the member list")
    func putOnlyDescriptionAndMembers() async throws {
        let f = try await UAAFixture.make(.xsuaa)
        let a = try await f.createUser("a", origin: "sap.custom")["id"]!.stringValue!
        let b = try await f.createUser("b", origin: "sap.custom")["id"]!.stringValue!
        _ = try await f.createGroup("Viewer", members: [a])
        let reply = await f.send("PUT", "/Groups/Viewer", body: ["displayName": "Renamed", "description": "read only",
                                                                "members": [["value": .string(b), "type": "USER"]]], headers: [("If-Match", "0")])
        #expect(reply.status == 200)
        #expect(reply.json?["displayName"] == "Viewer")
        #expect(reply.json?["description"] == "read only")
        #expect(reply.json?["members"]?.arrayValue?.compactMap { $0["value"]?.stringValue } == [b])
        #expect(await f.send("GET", "/Users/\(a)").json?["groups"] == [])
    }

    @Test("PATCH may change only description and members: a new displayName is ignored")
    func patchKeepsTheName() async throws {
        let f = try await UAAFixture.make(.xsuaa)
        _ = try await f.createGroup("Viewer", members: [])
        let reply = await f.send("PATCH", "/Groups/Viewer", body: ["displayName": "Renamed", "description": "read only"], headers: [("If-Match", "*")])
        #expect(reply.status == 200, "\(reply.json ?? .null)")
        #expect(reply.json?["displayName"] == "Viewer")
        #expect(reply.json?["description"] == "read only")
        #expect(await f.send("GET", "/Groups/Viewer").json?["displayName"] == "Viewer")
    }

    @Test("GET /Groups sorts by displayName only when asked, case-insensitively, and otherwise by last modification")
    func groupOrder() async throws {
        let f = try await UAAFixture.make(.xsuaa)
        for name in ["b", "C", "a"] { _ = try await f.createGroup(name, members: []) }
        // Touch "b" last.
        _ = await f.send("PATCH", "/Groups/b", body: ["description": "touched"], headers: [("If-Match", "*")])
        func names(_ query: String) async -> [String] {
            await f.send("GET", "/Groups" + query).json?["resources"]?.arrayValue?.compactMap { $0["displayName"]?.stringValue } ?? []
        }
        #expect(await names("?sortBy=displayName") == ["a", "b", "C"])
        #expect(await names("") == ["C", "a", "b"])
        #expect(await names("?sortBy=id") == ["C", "a", "b"], "any other attribute: by last modification")
    }

    @Test("PATCH of a role collection that does not exist answers 204")
    func patchMissing() async throws {
        let f = try await UAAFixture.make(.xsuaa)
        let reply = await f.send("PATCH", "/Groups/Nope", body: ["description": "x"], headers: [("If-Match", "*")])
        #expect(reply.status == 204)
        #expect(reply.body.isEmpty)
    }

    @Test("a shadow user recreated after deletion gets a new ID and no old assignments")
    func recreatedShadowUser() async throws {
        let f = try await UAAFixture.make(.xsuaa)
        let first = try await f.createUser("jdoe", origin: "sap.custom")["id"]!.stringValue!
        _ = try await f.createGroup("Viewer", members: [first])
        #expect(await f.send("DELETE", "/Users/\(first)").status == 200)
        let second = try await f.createUser("jdoe", origin: "sap.custom")
        #expect(second["id"]?.stringValue != first)
        #expect(second["groups"] == [])
    }

    @Test("3 requests per second: more are queued, beyond the queue 429 with Retry-After in UAA's error format")
    func rateLimit() async throws {
        // Real time: the eight requests arrive within a second however busy the machine is, and the
        // two queued ones wait a second each.
        let clock = SimulatedClock(scale: 1)
        var limits = UAAConfiguration.xsuaaLimits
        limits.queueDepth = 2
        let f = try await UAAFixture.make(.xsuaa, clock: clock, limits: limits)
        let replies = await withTaskGroup(of: FakeResponse.self) { group in
            for _ in 0..<8 { group.addTask { await f.send("GET", "/Users") } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let ok = replies.filter { $0.status == 200 }.count
        let limited = replies.filter { $0.status == 429 }
        #expect(ok == 5)  // three at once, two queued
        #expect(limited.count == 3)
        #expect(limited.first?.json?["error"] == "too_many_requests")
        #expect(limited.first?.header("retry-after") != nil)
        // The token endpoint is not counted.
        #expect(await f.host.tokenRequest([("grant_type", "client_credentials")], basic: (f.uaa.client.id, f.uaa.client.secret)).status == 200)
    }

    @Test("a token without xs_user.write may read but not write")
    func readOnlyToken() async throws {
        let f = try await UAAFixture.make(.xsuaa)
        let reader = try await f.host.clientToken(f.uaa.client, scope: "xs_user.read")
        #expect(await f.send("GET", "/Groups", token: reader).status == 200)
        let refused = await f.send("POST", "/Groups", body: uaaGroup("X"), token: reader)
        #expect(refused.status == 403)
        #expect(refused.json?["scope"]?.stringValue?.contains("xs_user.write") == true)
    }
}
