import Fakes
import Foundation
import Hosting
import JSON
import Report
import Testing
@testable import Scenario

/// `provsim check scim`: the pack passes against a SCIM 2.0 service that does what IPS needs, in
/// PUT and in PATCH mode, fails with the IPS behaviour named when the service breaks one, and
/// leaves nothing behind either way.
@Suite("provsim check scim", .serialized)
struct SCIMConformancePackTests {
    func check(_ service: ExternalSystemsTests.Service, _ authentication: SCIMConformancePack.Authentication, properties: [String: String] = [:],
               environment extra: [String: String] = [:]) async throws -> ScenarioResult {
        let e = service.environment
        typealias V = SCIMConformancePack.Variable
        var environment = [V.url: (e["EXT_URL"] ?? "") + "/scim", V.clientId: e["EXT_CLIENT"] ?? "", V.clientSecret: service.secret, V.tokenURL: e["EXT_TOKEN_URL"] ?? ""]
        environment.merge(extra) { $1 }
        let scenario = try SCIMConformancePack(authentication: authentication, properties: properties).scenario()
        return await ScenarioRunner(seed: 1, options: RunOptions(environment: environment, runId: "check01")).run(scenario)
    }

    @Test(arguments: ["false", "true"])
    func aServiceThatDoesWhatIPSNeedsPassesEveryCheck(_ patch: String) async throws {
        let service = try await ExternalSystemsTests.Service.start()
        defer { Task { await service.fleet.stop() } }
        let result = try await check(service, .clientCredentials, properties: ["scim.support.patch.operation": patch])
        for step in result.steps { #expect(step.outcome.status == .passed, "\(step.name): \(step.outcome.message)") }
        #expect(result.steps.count == 31)
        // A token for the service as a target and one as a source, each renewed after ten years
        // (the target's by the last job, the source's by the clean-up's listing).
        #expect(service.host.journal.entries().filter { $0.path == "/oauth/token" }.count == 4)
        #expect(service.users().isEmpty && service.groups().isEmpty, "nothing left behind")
        let report = JUnitXMLWriter.xml([result].junitReport())
        #expect(!report.contains(service.secret))
    }

    @Test func aServiceWithoutGroupPatchFailsTheLargeGroupCheckAndIsStillCleanedUp() async throws {
        let service = try await ExternalSystemsTests.Service.start()
        defer { Task { await service.fleet.stop() } }
        service.host.faults.add(try FaultRule(json: ["method": "PATCH", "path": "/scim/Groups/*", "status": 501], defaultID: "no-patch"))
        let result = try await check(service, .clientCredentials)
        let failed = result.steps.filter { $0.outcome.status != .passed }.map(\.name)
        #expect(failed.first == "IPS creates a large group without members and adds them with PATCH in batches of 3", "\(failed)")
        let step = try #require(result.steps.first { $0.name == failed.first })
        #expect(step.outcome.details.contains("PATCH /scim/Groups/"), "the job log names the request")
        #expect(step.outcome.details.contains("501"), "and the answer")
        #expect(result.steps.last?.outcome.status == .passed)
        #expect(service.users().isEmpty && service.groups().isEmpty, "the half-made group is found by its name and deleted too")
    }

    @Test func aBurstFindsTheServiceSRateLimitAndItsRetryAfter() async throws {
        let service = try await ExternalSystemsTests.Service.start()
        defer { Task { await service.fleet.stop() } }
        let pack = try SCIMConformancePack(authentication: .clientCredentials, burst: 40).scenario()
        #expect(pack.steps.count == 31, "the burst is one more check")
        // The service's rate limit stands as a fault: every fourth GET /Users is a 429, ten times. Only the
        // systems step and the burst run, so that the limit meets only the burst.
        service.host.faults.add(try FaultRule(json: ["method": "GET", "path": "/scim/Users", "status": 429, "retryAfter": 30, "every": 4, "times": 10], defaultID: "limit"))
        let burstOnly = Scenario(id: pack.id, name: pack.name, description: pack.description, file: pack.file, tags: [], seed: nil,
                                 steps: pack.steps.filter { $0.kind == "systems" || $0.kind == "burst" })
        let e = service.environment
        typealias V = SCIMConformancePack.Variable
        let environment = [V.url: (e["EXT_URL"] ?? "") + "/scim", V.clientId: e["EXT_CLIENT"] ?? "", V.clientSecret: service.secret, V.tokenURL: e["EXT_TOKEN_URL"] ?? ""]
        let result = await ScenarioRunner(seed: 1, options: RunOptions(environment: environment, runId: "burst01")).run(burstOnly)
        let burst = try #require(result.steps.first { $0.kind == "burst" })
        #expect(burst.outcome.status == .passed, "\(burst.outcome.message)")
        #expect(burst.outcome.message.contains("30× 200, 10× 429: every 429 says when to retry (Retry-After 30)"), "\(burst.outcome.message)")
    }

    @Test func aBearerTokenIsSentAsItIsAndShownNowhere() async throws {
        let service = try await ExternalSystemsTests.Service.start()
        defer { Task { await service.fleet.stop() } }
        let form = "grant_type=client_credentials&client_id=\(service.environment["EXT_CLIENT"] ?? "")&client_secret=\(service.secret)"
        let answer = await service.host.handle(FakeRequest(method: "POST", path: "/oauth/token", headers: [("content-type", "application/x-www-form-urlencoded")], body: Array(form.utf8)))
        let token = try #require((try? JSONParser.parse(answer.body))?["access_token"]?.stringValue)
        let result = try await check(service, .bearerToken, environment: [SCIMConformancePack.Variable.token: token])
        for step in result.steps { #expect(step.outcome.status == .passed, "\(step.name): \(step.outcome.message)") }
        let report = JUnitXMLWriter.xml([result].junitReport()) + HTMLReportWriter.html([result].htmlReport(timestamp: "t", duration: 1))
        #expect(!report.contains(token))
        #expect(service.host.journal.entries().contains { $0.content?.header("authorization") == "Bearer ***" && $0.path == "/scim/Users" })
    }
}
