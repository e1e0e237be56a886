import Engine
import Fakes
import Hosting
import JSON
import SCIM
import Simulation
import Testing
import Transformation
@testable import Proxy

/// The proxy and real-time APIs as a client sees them: paths, authentication and permissions,
/// the token endpoint, discovery, the inbound limit and real-time provisioning over HTTP (in
/// process through the `FakeHost`; the hybrid scenarios call it over loopback HTTP).
@Suite("Proxy service")
struct ProxyServiceTests {
    static let systemsText = #"""
    {"systems": {
      "xs": {"type": "xsuaa", "role": "proxy", "fake": "xsuaa", "properties": {"xsuaa.origin": "sap.custom"}},
      "directory": {"type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["btp"]},
      "btp": {"type": "xsuaa", "role": "target", "fake": "xsuaa", "properties": {"xsuaa.origin": "sap.custom"}}
    }}
    """#

    static let admin = ProxyTechnicalUser(clientId: "admin", secret: "admin-secret", permissions: Set(ProxyPermission.allCases))
    static let proxyOnly = ProxyTechnicalUser(clientId: "idm", secret: "idm-secret", permissions: [.proxySystemAPI])
    static let realTimeOnly = ProxyTechnicalUser(clientId: "ias", secret: "ias-secret", permissions: [.realTimeProvisioningAPI])

    /// A simulation in process (nothing to tear down) with the proxy's host over it.
    struct Running: Sendable {
        let simulation: Simulation
        let engine: ProvisioningEngine
        let service: ProxyService
        let host: FakeHost

        var fleet: FakeFleet { simulation.fleet }

        func send(_ method: String, _ path: String, _ body: String? = nil, as user: ProxyTechnicalUser? = ProxyServiceTests.admin,
                  bearer: String? = nil, form: String? = nil) async -> (status: Int, json: JSONValue?, response: FakeResponse) {
            var headers: [(name: String, value: String)] = []
            if let bearer {
                headers.append(("authorization", "Bearer " + bearer))
            } else if let user {
                headers.append(("authorization", "Basic " + Base64.encode(Array("\(user.clientId):\(user.secret)".utf8))))
            }
            var bytes: [UInt8] = []
            if let body { bytes = Array(body.utf8); headers.append(("content-type", "application/scim+json")) }
            if let form { bytes = Array(form.utf8); headers.append(("content-type", "application/x-www-form-urlencoded")) }
            let (p, query) = FakeRequest.split(target: path)
            let response = await host.handle(FakeRequest(method: method, path: p, query: query, headers: headers, body: bytes))
            return (response.status, response.json, response)
        }

        func seedXSUAA(_ json: String) throws {
            let xsuaa = try #require(simulation.host("xsuaa"))
            _ = try xsuaa.service.seed(try JSONParser.parse(json), context: xsuaa.context)
        }
    }

    static let users = "/ipsproxy/service/api/v1/scim/xs/Users"
    static let groups = "/ipsproxy/service/api/v1/scim/xs/Groups"

    static func start(discovery: Bool = true, limits: RateLimits = .none, timeScale: Double = 1) async throws -> Running {
        var configuration = SimulationConfiguration()
        configuration.fakes.services = ["identity-directory", "xsuaa"]
        configuration.fakes.rateLimits = false
        configuration.fakes.timeScale = timeScale
        configuration.transport = .inProcess
        let simulation = try await Simulation.start(configuration)
        let engine = simulation.engine(systems: try simulation.systems(json: try JSONParser.parse(systemsText)))
        var settings = ProxyServiceSettings(technicalUsers: [admin, proxyOnly, realTimeOnly])
        settings.discoveryEndpoints = discovery
        let service = ProxyService(engine: engine, settings: settings, realTime: EngineRealTimeProvisioner(engine: engine, store: simulation.store),
                                   clock: simulation.clock, seed: 3)
        let host = FakeHost(service: service, clock: simulation.clock, limits: limits)
        host.baseURL = "https://tenant.example"
        return Running(simulation: simulation, engine: engine, service: service, host: host)
    }

    // MARK: Authentication

    @Test func everythingNeedsAnAuthenticatedTechnicalUserWithThePermission() async throws {
        let r = try await Self.start()
        let anonymous = await r.send("GET", Self.users, as: nil)
        #expect(anonymous.status == 401 && anonymous.json?["schemas"]?[0] == .string(SCIMSchemas.errorURN))
        #expect(anonymous.response.header("www-authenticate")?.hasPrefix("Basic") == true)
        let wrongSecret = await r.send("GET", Self.users, as: ProxyTechnicalUser(clientId: "admin", secret: "guess", permissions: []))
        #expect(wrongSecret.status == 401 && wrongSecret.json?["detail"] == "Bad credentials")
        #expect(!String(decoding: wrongSecret.response.body, as: UTF8.self).contains("guess"))
        let realTimeUser = await r.send("GET", Self.users, as: Self.realTimeOnly)
        #expect(realTimeUser.status == 403 && realTimeUser.json?["detail"]?.stringValue?.contains("Access Proxy System API") == true)
        let proxyUser = await r.send("POST", "/ipsproxy/service/api/v1/systems/directory/entities/user", #"{"id": "x"}"#, as: Self.proxyOnly)
        #expect(proxyUser.status == 403 && proxyUser.json?["detail"]?.stringValue?.contains("Access Real-Time Provisioning API") == true)
        #expect(await r.send("GET", Self.users, as: Self.proxyOnly).status == 200)
        // The Neo URL takes OAuth only.
        #expect(await r.send("GET", "/ipsproxy/api/v1/scim/xs/Users").status == 401)
    }

    @Test func oauthClientCredentialsFromTheTenantsTokenEndpoint() async throws {
        let r = try await Self.start()
        let token = await r.send("POST", "/oauth2/token", form: "grant_type=client_credentials")
        #expect(token.status == 200 && token.json?["token_type"] == "Bearer" && token.json?["expires_in"] == 3600)
        let bearer = try #require(token.json?["access_token"]?.stringValue)
        #expect(await r.send("GET", Self.users, bearer: bearer).status == 200)
        #expect(await r.send("GET", "/ipsproxy/api/v1/scim/xs/Users", bearer: bearer).status == 200)
        #expect(await r.send("GET", Self.users, bearer: bearer + "x").status == 401)

        let inForm = await r.send("POST", "/oauth2/token", as: nil, form: "grant_type=client_credentials&client_id=idm&client_secret=idm-secret")
        let idmToken = try #require(inForm.json?["access_token"]?.stringValue)
        #expect(await r.send("DELETE", "/ipsproxy/service/api/v1/systems/directory/entities/user/x", bearer: idmToken).status == 403)

        let badClient = await r.send("POST", "/oauth2/token", as: ProxyTechnicalUser(clientId: "admin", secret: "no", permissions: []), form: "grant_type=client_credentials")
        #expect(badClient.status == 401 && badClient.json?["error"] == "invalid_client")
        let password = await r.send("POST", "/oauth2/token", form: "grant_type=password&username=a&password=b")
        #expect(password.status == 400 && password.json?["error"] == "unsupported_grant_type")
    }

    // MARK: SCIM

    @Test func createReadFilterAndDeleteOverTheProxyPaths() async throws {
        let r = try await Self.start()
        let created = await r.send("POST", Self.users, #"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "jdoe", "emails": [{"value": "jdoe@example.com", "primary": true}]}"#)
        #expect(created.status == 201, "\(created.json?.serialized() ?? "")")
        let id = try #require(created.json?["id"]?.stringValue)
        let location = "https://tenant.example/ipsproxy/service/api/v1/scim/xs/Users/" + id
        #expect(created.json?["meta"]?["location"] == .string(location) && created.response.header("location") == location)
        #expect(created.response.header("content-type")?.hasPrefix("application/scim+json") == true)

        let read = await r.send("GET", Self.users + "/" + id + "?attributes=userName")
        #expect(read.status == 200 && read.json?["userName"] == "jdoe" && read.json?["emails"] == nil)
        let found = await r.send("GET", Self.users + "?filter=userName%20eq%20%22jdoe%22")
        #expect(found.json?["totalResults"] == 1 && found.json?["Resources"]?[0]?["id"] == .string(id))

        // The same userName in a second origin: a single-entity filter matches two.
        try r.seedXSUAA(#"{"users": [{"userName": "jdoe", "origin": "other-idp", "emails": [{"value": "j@x.com"}]}]}"#)
        let tooMany = await r.send("GET", Self.users + "?filter=userName%20eq%20%22jdoe%22")
        #expect(tooMany.status == 400 && tooMany.json?["scimType"] == "tooMany")
        let badFilter = await r.send("GET", Self.users + "?filter=userName%20co%20%22j%22")
        #expect(badFilter.status == 400 && badFilter.json?["scimType"] == "invalidFilter")

        #expect(await r.send("DELETE", Self.users + "/" + id).status == 204)
        #expect(await r.send("GET", Self.users + "/" + id).status == 404)
    }

    @Test func aGroupPatchPassesThroughAndUnsupportedRequestsAreRefused() async throws {
        let r = try await Self.start()
        try r.seedXSUAA(#"{"users": [{"userName": "m1", "origin": "sap.custom", "emails": [{"value": "m1@x.com"}]}], "groups": [{"displayName": "RC"}]}"#)
        let member = try #require(await r.send("GET", Self.users + "?filter=userName%20eq%20%22m1%22").json?["Resources"]?[0]?["id"]?.stringValue)
        let patch = await r.send("PATCH", Self.groups + "/RC", #"{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "add", "path": "members", "value": [{"value": "\#(member)"}]}]}"#)
        #expect(patch.status == 204 && patch.response.body.isEmpty)
        #expect(await r.send("GET", Self.groups + "/RC").json?["members"]?[0]?["value"] == .string(member))

        #expect(await r.send("GET", "/ipsproxy/service/api/v1/scim/nope/Users").status == 404)
        #expect(await r.send("GET", "/ipsproxy/service/api/v1/scim/btp/Users").json?["detail"]?.stringValue?.contains("no proxy system") == true)
        #expect(await r.send("PUT", Self.users).status == 405)
        #expect(await r.send("GET", "/ipsproxy/service/api/v1/scim/xs/Roles").status == 404)
        let malformed = await r.send("POST", Self.users, "{not json")
        #expect(malformed.status == 400 && malformed.json?["scimType"] == "invalidSyntax")
    }

    @Test func discoveryDocumentsAreServedUnlessSwitchedOff() async throws {
        let r = try await Self.start()
        let config = await r.send("GET", "/ipsproxy/service/api/v1/scim/xs/ServiceProviderConfig")
        #expect(config.status == 200 && config.json?["patch"]?["supported"] == true && config.json?["bulk"]?["supported"] == false)
        #expect(config.json?["sort"]?["supported"] == false && config.json?["filter"]?["maxResults"] == 100)
        let types = await r.send("GET", "/ipsproxy/service/api/v1/scim/xs/ResourceTypes")
        #expect(types.json?["Resources"]?.arrayValue?.compactMap { $0["endpoint"]?.stringValue } == ["/Users", "/Groups"])
        let schema = await r.send("GET", "/ipsproxy/service/api/v1/scim/xs/Schemas/" + SCIMSchemas.groupURN)
        #expect(schema.json?["id"] == .string(SCIMSchemas.groupURN))

        let exact = try await Self.start(discovery: false)
        #expect(await exact.send("GET", "/ipsproxy/service/api/v1/scim/xs/ServiceProviderConfig").status == 404)
        #expect(await exact.send("GET", "/ipsproxy/service/api/v1/scim/xs/Schemas").status == 404)
    }

    // MARK: Inbound limit

    @Test func theInboundLimitRefusesThe201stRequestOfAMinute() async throws {
        var limits = ProxyServiceSettings.inboundLimits
        limits.slowDelaySeconds = 0.001  // slowed, but without making the test slow
        let r = try await Self.start(limits: limits)
        var statuses: [Int: Int] = [:]
        for _ in 0..<201 { statuses[await r.send("GET", "/ipsproxy/service/api/v1/scim/xs/ServiceProviderConfig").status, default: 0] += 1 }
        #expect(statuses == [200: 200, 429: 1])
        let refused = await r.send("GET", Self.users)
        #expect(refused.status == 429 && refused.json?["detail"]?.stringValue?.contains("more than 200 requests in 60 s") == true)
        #expect(Int(refused.response.header("retry-after") ?? "") ?? 0 >= 1)
        // The token endpoint is the tenant's, not IPS's: not counted.
        #expect(await r.send("POST", "/oauth2/token", form: "grant_type=client_credentials").status == 200)
        // A minute later the window has passed.
        r.fleet.clock.advance(seconds: 61)
        #expect(await r.send("GET", Self.users).status == 200)
    }

    // MARK: Real time

    @Test func realTimeProvisioningOverHTTP() async throws {
        let r = try await Self.start()
        let directory = try #require(r.simulation.host("identity-directory"))
        let seeded = try directory.service.seed(try JSONParser.parse(#"{"users": [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "rt", "emails": [{"value": "rt@example.com", "primary": true}]}]}"#), context: directory.context)
        let id = try #require(seeded["users"]?[0]?.stringValue)
        let url = "/ipsproxy/service/api/v1/systems/directory/entities/user"

        let created = await r.send("POST", url, #"{"id": "\#(id)", "userName": "rt"}"#, as: Self.realTimeOnly)
        #expect(created.status == 200 && created.json?["status"] == "Finished Successfully", "\(created.json?.serialized() ?? "")")
        #expect(created.json?["targets"]?[0]?["state"] == "Entity Created" && created.json?["source"]?["state"] == "Entity Read")
        #expect(await r.send("POST", url, #"{"id": "\#(id)"}"#).json?["targets"]?[0]?["state"] == "Entity Already Provisioned")

        #expect(await r.send("POST", url, #"{"id": "missing"}"#).status == 404)
        #expect(await r.send("POST", url, #"{"userName": "no id"}"#).status == 400)
        #expect(await r.send("POST", "/ipsproxy/service/api/v1/systems/btp/entities/user", #"{"id": "\#(id)"}"#).status == 400)
        #expect(await r.send("PUT", url + "/" + id, "{}").status == 405)

        let deleted = await r.send("DELETE", url + "/" + id)
        #expect(deleted.status == 200 && deleted.json?["targets"]?[0]?["state"] == "Entity Deleted")
        let state = r.service.state(context: r.host.context)
        #expect(state["realTimeLogs"]?.arrayValue?.count == 3)

        // A target that fails: the log says so, and so does the status.
        let again = await r.send("POST", url, #"{"id": "\#(id)"}"#)
        #expect(again.json?["targets"]?[0]?["state"] == "Entity Created")
        _ = await r.send("DELETE", url + "/" + id)
        try #require(r.simulation.host("xsuaa")).faults.add(FaultRule(id: "refuse", method: "POST", path: "/Users", effect: .status(400, retryAfter: nil, body: nil)))
        let failed = await r.send("POST", url, #"{"id": "\#(id)"}"#)
        #expect(failed.status == 502 && failed.json?["status"] == "Finished with Error" && failed.json?["targets"]?[0]?["state"] == "Entity Failed")
    }

    @Test func theDescriptorNamesTheXSUAAProxyAndTheCredentials() async throws {
        let r = try await Self.start()
        let fields = JSONValue.object(JSONObject(r.service.descriptor(context: r.host.context)))
        #expect(fields["scim"] == "https://tenant.example/ipsproxy/service/api/v1/scim/xs")
        #expect(fields["clientId"] == "admin" && fields["clientSecret"] == "admin-secret")
        #expect(fields["tokenURL"] == "https://tenant.example/oauth2/token")
        #expect(fields["realTime"]?["directory"] == "https://tenant.example/ipsproxy/service/api/v1/systems/directory/entities/user")
    }
}
