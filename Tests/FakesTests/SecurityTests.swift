import Chrono
import Fakes
import Hosting
import JSON
import Testing

/// Security as a real service has it, within a local tool: keys per service and per run, tokens
/// valid only where they were issued and for what they were meant, secrets of real strength, and
/// a control API no web page can drive.
@Suite("Security: tokens, secrets and the control API")
struct SecurityTests {
    @Test("signing keys are random per run: a token of one running Identity Directory is refused (401) by another with the same seed")
    func keysPerRun() async throws {
        let first = try await DirectoryFixture.make(clock: SimulatedClock())
        let second = try await DirectoryFixture.make(clock: SimulatedClock())
        #expect(await first.send("GET", "/scim/Users").status == 200)
        let reply = await second.host.send("GET", "/scim/Users", token: first.token)
        #expect(reply.status == 401)
        #expect(first.service.client.secret != second.service.client.secret)
    }

    @Test("deterministic fleets repeat their secrets, but each service signs with its own key")
    func deterministicKeysPerService() async throws {
        let a = try await DirectoryFixture.make(clock: SimulatedClock(deterministic: true))
        let b = try await DirectoryFixture.make(clock: SimulatedClock(deterministic: true))
        #expect(a.service.client.secret == b.service.client.secret)
        // AFC with the very same seed signs with another key.
        let clock = SimulatedClock(deterministic: true)
        let afc = DirectHost(host: FakeHost(service: AdvancedFinancialClosing(clock: clock, seed: 3), clock: clock, seed: 3))
        let reply = await afc.send("GET", "/scim2/Users", token: a.token)
        #expect(reply.status == 401)
    }

    @Test("iss is checked: a token issued at another address is refused even when the key matches (same seed, deterministic)")
    func issuerChecked() async throws {
        let issuing = try await DirectoryFixture.make(clock: SimulatedClock(deterministic: true))
        let clock = SimulatedClock(deterministic: true)
        let service = IdentityDirectory(clock: clock, seed: 3)
        let elsewhere = FakeHost(service: service, clock: clock, seed: 3)
        elsewhere.baseURL = "http://127.0.0.1:9"
        let reply = await DirectHost(host: elsewhere).send("GET", "/scim/Users", token: issuing.token)
        #expect(reply.status == 401)
        #expect(reply.json?["detail"]?.stringValue?.contains("not issued by this server") == true, "\(reply.text)")
        #expect(await DirectHost(host: elsewhere).send("GET", "/scim/Users", token: try await DirectHost(host: elsewhere).clientToken(service.client)).status == 200)
    }

    @Test("aud is checked: Cloud Foundry refuses a UAA token without a cloud_controller scope with 401, not 403")
    func audienceChecked() async throws {
        let world = CloudFoundryWorld()
        let uaaToken = try await world.uaaHost.clientToken(world.uaa.client)  // scim.*, uaa.admin, groups.update
        let reply = await world.cfHost.send("GET", "/v3/organizations", token: uaaToken)
        #expect(reply.status == 401)
        #expect(reply.json?["errors"]?[0]?["title"] == "CF-InvalidAuthToken")
        #expect(await world.cfHost.send("GET", "/v3/organizations", token: try await world.adminToken()).status == 200)
    }

    @Test("secrets are 32 characters of base64url and share nothing with each other")
    func secretsStrongAndIndependent() throws {
        let clock = SimulatedClock(deterministic: true)
        let uaa = UAA(configuration: UAAConfiguration(flavour: .uaa), clock: clock, seed: 1)
        let xsuaa = UAA(configuration: UAAConfiguration(flavour: .xsuaa), clock: clock, seed: 1)
        let cf = CloudController(uaa: uaa, uaaURL: { "http://uaa" }, clock: clock, seed: 1)
        let secrets = [IdentityDirectory(clock: clock, seed: 1).client.secret, AdvancedFinancialClosing(clock: clock, seed: 1).client.secret,
                       uaa.client.secret, xsuaa.client.secret, cf.client.secret, try #require(uaa.provisioningUser?.password)]
        for secret in secrets {
            #expect(secret.count == 32)
            #expect(secret.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
        for (i, a) in secrets.enumerated() {
            for b in secrets[(i + 1)...] {
                #expect(a != b)
                #expect(!a.hasSuffix(String(b.suffix(6))) && !a.hasPrefix(String(b.prefix(6))), "\(a) / \(b)")
            }
        }
    }

    @Test("the control API refuses web pages: a foreign Origin or Sec-Fetch-Site is 403, a body that is not JSON 415, and nothing changes", arguments: [
        ([("origin", "http://evil.example")], "application/json", 403),
        ([("origin", "null")], "application/json", 403),
        ([("sec-fetch-site", "cross-site")], "application/json", 403),
        ([("sec-fetch-site", "same-site")], "application/json", 403),
        ([], "text/plain", 415),
        ([], "application/x-www-form-urlencoded", 415),
        ([], "multipart/form-data; boundary=x", 415),
    ])
    func controlRefusesBrowsers(headers: [(String, String)], contentType: String, status: Int) async throws {
        let directory = try await DirectoryFixture.make()
        let host = directory.host.host
        let reply = await host.handle(FakeRequest(method: "POST", path: "/_provsim/faults", headers: headers + [("content-type", contentType)],
                                                  body: Array(#"{"status": 503}"#.utf8)))
        #expect(reply.status == status)
        #expect(reply.json?["error"]?.stringValue != nil)
        #expect(host.faults.rules.isEmpty)
        let reset = await host.handle(FakeRequest(method: "POST", path: "/_provsim/reset", headers: headers))
        #expect(reset.status == (status == 415 ? 200 : status), "a body-less reset from a page is refused too")
    }

    @Test("the control API accepts its own origin and JSON media types (application/json, application/scim+json)")
    func controlAcceptsItself() async throws {
        let directory = try await DirectoryFixture.make()
        let host = directory.host.host
        for (headers, type) in [([("origin", host.baseURL)], "application/json"), ([("sec-fetch-site", "same-origin")], "application/scim+json; charset=utf-8"), ([], "application/json")] {
            let reply = await host.handle(FakeRequest(method: "PUT", path: "/_provsim/limits", headers: headers + [("content-type", type)], body: Array("{}".utf8)))
            #expect(reply.status == 200, "\(headers) \(type): \(reply.text)")
        }
    }

    @Test("with a control token (serve --allow-remote), control requests need it: 401 without or with a wrong one")
    func controlToken() async throws {
        let directory = try await DirectoryFixture.make()
        let host = directory.host.host
        host.controlAccess = ControlAccess(token: "s3cr3t-token-for-tests-0123456789")
        #expect(await host.handle(FakeRequest(method: "GET", path: "/_provsim/state")).status == 401)
        #expect(await host.handle(FakeRequest(method: "GET", path: "/_provsim/state", headers: [("authorization", "Bearer wrong")])).status == 401)
        #expect(await host.handle(FakeRequest(method: "GET", path: "/_provsim/state", headers: [("authorization", "Bearer s3cr3t-token-for-tests-0123456789")])).status == 200)
        // The service's own API is not affected: it has its own authentication.
        #expect(await directory.send("GET", "/scim/Users").status == 200)
    }
}
