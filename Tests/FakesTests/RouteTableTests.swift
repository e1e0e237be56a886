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
