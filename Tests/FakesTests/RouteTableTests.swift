import Chrono
import Fakes
import Hosting
import JSON
import Testing

/// Route tables: patterns, 404 against 405, listings, and the control index built from them.
@Suite("Route tables")
struct RouteTableTests {
    static let table: RouteTable<String> = {
        var table = RouteTable<String>()
        table.add("GET", "/roles", "list")
        table.add("POST", "/roles", "create")
        table.add("GET", "/roles/{guid}", "read")
        table.add("DELETE", "/roles/{guid}", "delete")
        table.add("GET", "/jobs/{guid}", "job")
        return table
    }()

    @Test func aPatternMatchesWholeSegmentsAndNamesItsParameters() {
        guard case .found(let handler, let parameters) = Self.table.lookup("GET", ["roles", "a/b"]) else {
            Issue.record("GET /roles/{guid} should match one segment, whatever it holds")
            return
        }
        #expect(handler == "read" && parameters["guid"] == "a/b")
        guard case .notFound = Self.table.lookup("GET", ["roles", "a", "b"]) else {
            Issue.record("two segments are not one parameter")
            return
        }
    }

    @Test func aKnownPathWithAnotherMethodIsNotAllowedAndNamesTheMethods() {
        guard case .methodNotAllowed(let allowed) = Self.table.lookup("PATCH", ["roles", "x"]) else {
            Issue.record("PATCH /roles/x: the path exists with other methods")
            return
        }
        #expect(allowed == ["GET", "DELETE"])
        guard case .notFound = Self.table.lookup("GET", ["spaces"]) else {
            Issue.record("GET /spaces: nobody serves it")
            return
        }
    }

    @Test func theListingGroupsMethodsPerPatternUnderAPrefix() {
        var prefixed = RouteTable<String>()
        prefixed.add(Self.table, under: "/v3")
        #expect(prefixed.listing == ["GET|POST /v3/roles", "GET|DELETE /v3/roles/{guid}", "GET /v3/jobs/{guid}"])
        guard case .found("job", _) = prefixed.lookup("GET", ["v3", "jobs", "j-1"]) else {
            Issue.record("the prefixed table routes under /v3")
            return
        }
    }

    @Test("the control index lists the host's routes and the service's own", arguments: [
        ("cf", "GET|PUT /_provsim/settings"),
        ("afc", "POST /_provsim/users/{id}/sign-in"),
        ("afc", "POST|DELETE /_provsim/groups/{id}/draft"),
        ("xsuaa", "DELETE /_provsim/faults/{id}"),
    ])
    func controlIndex(service: String, route: String) async throws {
        var configuration = FakeFleetConfiguration()
        configuration.services = FakeFleet.withDependencies([service])
        let fleet = try await FakeFleet.start(configuration, serve: false)
        let host = try #require(fleet.host(named: service))
        let index = await host.handle(FakeRequest(method: "GET", path: "/_provsim"))
        let endpoints = index.json?["endpoints"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(endpoints.contains(route), "\(endpoints)")
        #expect(endpoints.first == "GET /_provsim")
    }
}

/// The SCIM fakes route through a table built from their resource types.
@Suite("SCIM routes")
struct SCIMRouteTests {
    static func call(_ host: FakeHost, _ method: String, _ target: String, token: String) async -> FakeResponse {
        await host.handle(FakeRequest(method: method, target: target, headers: [("authorization", "Bearer " + token)], body: [], bodyLength: 0))
    }

    @Test func methodsPathsAndEncodedIdsAnswerAsSCIMDoes() async throws {
        var configuration = FakeFleetConfiguration()
        configuration.services = ["identity-directory"]
        let fleet = try await FakeFleet.start(configuration, serve: false)
        let host = try #require(fleet.host(named: "identity-directory"))
        guard case .client(_, let id, let secret)? = host.service.connection(context: host.context).credentials else {
            Issue.record("the directory signs in with client credentials")
            return
        }
        let form = "grant_type=client_credentials&client_id=\(id)&client_secret=\(secret)"
        let tokenAnswer = await host.handle(FakeRequest(method: "POST", path: "/oauth/token", headers: [("content-type", "application/x-www-form-urlencoded")], body: Array(form.utf8)))
        let token = try #require(tokenAnswer.json?["access_token"]?.stringValue)
        let base = "/scim"
        #expect(await Self.call(host, "GET", base + "/Users", token: token).status == 200)
        #expect(await Self.call(host, "GET", base + "/users", token: token).status == 200, "resource endpoints match without regard to case")
        let notAllowed = await Self.call(host, "PUT", base + "/Users", token: token)
        #expect(notAllowed.status == 405 && notAllowed.json?["detail"] == "PUT is not allowed on /scim/Users")
        let tooDeep = await Self.call(host, "GET", base + "/Users/a/b", token: token)
        #expect(tooDeep.status == 404 && tooDeep.json?["detail"] == "No resource at /scim/Users/a/b")
        // One segment, "a/b": an ID that does not exist, not a deeper path.
        let encoded = await Self.call(host, "GET", base + "/Users/a%2Fb", token: token)
        #expect(encoded.status == 404 && encoded.json?["detail"]?.stringValue?.contains("No resource at") == false)
        #expect(await Self.call(host, "POST", base + "/Schemas", token: token).status == 405)
        #expect(await Self.call(host, "GET", base + "/Nothing", token: token).json?["detail"] == "No resource type at /Nothing")
        #expect(await Self.call(host, "DELETE", base + "/Bulk", token: token).status == 501)
    }
}
