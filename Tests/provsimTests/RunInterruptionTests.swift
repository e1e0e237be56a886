import Foundation
import JSON
import Testing

/// Ctrl-C during `provsim run` against a service that is not a fake: the step under way ends,
/// what the scenario created is deleted, the reports are written, and the exit status says so.
@Suite("provsim run, interrupted")
struct RunInterruptionTests {
    @Test func ctrlCEndsTheStepCleansUpAndExits130() async throws {
        let service = try ProvsimServer(["serve", "--services", "identity-directory", "--no-proxy"])
        defer { _ = service.stop() }
        let line = try #require(service.readLine())
        let directory = try #require(JSONParser.parse(Array(line.utf8))["services"]?[0])
        let base = try #require(directory["url"]?.stringValue)
        // The service answers GET /scim/Schemas only after ten minutes: the run is stopped there.
        let fault = try await LocalHTTP.send(.POST, base + "/_provsim/faults", contentType: "application/json",
                                             body: #"{"method": "GET", "path": "/scim/Schemas", "latencyMs": 600000}"#)
        #expect(fault.status == 200)

        let work = try ProvsimProcess.temporaryDirectory()
        let environment = [
            "EXT_URL=\(directory["systemProperties"]?["URL"]?.stringValue ?? "")", "EXT_CLIENT=\(directory["clientId"]?.stringValue ?? "")",
            "EXT_SECRET=\(directory["clientSecret"]?.stringValue ?? "")", "EXT_TOKEN_URL=\(directory["tokenURL"]?.stringValue ?? "")",
        ].joined(separator: "\n")
        try environment.write(to: work.appendingPathComponent("ext.env"), atomically: true, encoding: .utf8)
        try """
        name: interrupted
        steps:
          - systems:
              timeScale: 100
              systems:
                ext:
                  type: identity-directory
                  role: target
                  properties: { URL: "${env:EXT_URL}", User: "${env:EXT_CLIENT}", Password: "${env:EXT_SECRET}", OAuth2TokenServiceURL: "${env:EXT_TOKEN_URL}" }
          - seed: { system: ext, data: { users: [{ userName: "${run}-zed", emails: [{ value: zed@example.com }] }] } }
          - name: a slow answer
            request: { system: ext, method: GET, path: /scim/Schemas, expect: { status: 200 } }
          - assert: { system: ext, count: { users: 1 } }
        """.write(to: work.appendingPathComponent("slow.yaml"), atomically: true, encoding: .utf8)
        let junit = work.appendingPathComponent("junit.xml")
        let run = try ProvsimServer(["run", work.appendingPathComponent("slow.yaml").path, "--env-file", work.appendingPathComponent("ext.env").path,
                                     "--junit", junit.path, "--run-id", "stopped1"])
        // Wait until the slow request has arrived (the fault counts it), however busy the machine:
        // no deadline, only the run ending without it ends the wait (the pause just spaces polls).
        var arrived = false
        while !arrived, run.process.isRunning {
            let faults = try await LocalHTTP.send(.GET, base + "/_provsim/faults")
            arrived = (faults.json[0]?["matched"]?.intValue ?? 0) > 0
            if !arrived { try await Task.sleep(for: .milliseconds(20)) }
        }
        try #require(arrived, "the run ended before it sent its slow request: \(run.stop().stderr)")
        let seeded = try await LocalHTTP.send(.GET, base + "/_provsim/state")
        #expect(seeded.json["users"]?[0]?["userName"]?.stringValue == "stopped1-zed")

        let (status, stderr) = run.stop(signal: SIGINT)
        #expect(status == 130, "\(stderr)")
        #expect(stderr.contains("provsim: interrupted: ending the step under way and cleaning up"), "\(stderr)")
        #expect(stderr.contains("provsim: interrupted after 1 of 1 scenario; the reports cover those"), "\(stderr)")
        let state = try await LocalHTTP.send(.GET, base + "/_provsim/state")
        #expect(state.json["users"]?.arrayValue?.isEmpty == true, "\(state.json)")
        let report = try String(contentsOf: junit, encoding: .utf8)
        #expect(report.contains("interrupted while this step ran"))
        #expect(report.contains("not run: the run was interrupted"))
        #expect(report.contains("deleted ext user stopped1-zed"), "\(report)")
        // The slow request is still held by the service for ten minutes; stopping does not wait.
        let stopping = ContinuousClock.now
        #expect(service.stop().status == 0)
        #expect(ContinuousClock.now - stopping < .seconds(120), "a margin for a busy machine, far below the ten minutes")
    }
}
