@testable import Scenario
import Testing

/// The provisioning steps (systems, seed, change, run, assert, fault, advance) end to end on
/// loopback fakes, including the failures they must report.
@Suite("Provisioning steps")
struct ProvisioningStepTests {
    static let start = ScenarioYAML.directoryToXSUAA + """
      - seed:
          fake: identity-directory
          data: { users: [{ userName: a, emails: [{ value: a@example.com }] }, { userName: b, emails: [{ value: b@example.com }] }] }

    """

    private func run(_ steps: String) async throws -> ScenarioResult {
        try await ScenarioYAML.run(Self.start + steps, file: "p.yaml")
    }

    @Test func aLifecyclePasses() async throws {
        let result = try await run("""
          - run: { source: directory, expect: { statistics: { btp: { user: { created: 2 } } } } }
          - change: { rename: { user: b, to: bee } }
          - fault: { fake: xsuaa, set: { method: PUT, path: "/Users/*", status: 503, times: 1 } }
          - run: { source: directory, expect: { status: Finished with Error, failed: ["503"] } }
          - fault: { fake: xsuaa, clear: true }
          - advance: { seconds: 50000 }
          - run: { source: directory, expect: { statistics: { btp: { user: { updated: 1, failed: 0 } } } } }
          - assert: { fake: xsuaa, contains: { users: [{ userName: bee }] }, absent: { users: [{ userName: b }] }, count: { users: 2 } }
        """)
        #expect(result.passed, "\(result.failedSteps.map { $0.outcome.message + "\n" + $0.outcome.details })")
    }

    @Test func wrongExpectationsFailWithExpectedAndActual() async throws {
        let result = try await run("""
          - run: { source: directory, expect: { statistics: { btp: { user: { created: 3 } } } } }
          - assert: { fake: xsuaa, count: { users: 5 }, contains: { users: [{ userName: zed }] } }
        """)
        #expect(result.failedSteps.count == 2)
        #expect(result.steps[2].outcome.message.contains("statistics.btp.user.created: expected 3, actual 2"), "\(result.steps[2].outcome.message)")
        #expect(result.steps[3].outcome.details.contains("xsuaa users: expected 5, actual 2"))
        #expect(result.steps[3].outcome.details.contains(#"no entry matches {"userName":"zed"}"#))
    }

    @Test func badSystemsAreReportedWithTheirLine() throws {
        let yaml = """
        steps:
          - systems:
              systems:
                btp:
                  type: xsuaa
                  role: target
                  fake: xsuaa
                  properties: { xsuaa.orign: x }
        """
        #expect {
            _ = try ScenarioLoader().load(yaml: yaml, entry: .init(file: "bad.yaml", id: "bad"))
        } throws: { error in
            "\(error)".contains("bad.yaml:8") && "\(error)".contains("unknown property 'xsuaa.orign'")
        }
    }

    @Test func stepsBeforeSystemsAreErrors() async throws {
        let scenario = try ScenarioLoader().load(yaml: "steps:\n  - run: { source: directory }\n", entry: .init(file: "x.yaml", id: "x"))
        let result = await ScenarioRunner(seed: 1).run(scenario)
        #expect(result.steps[0].outcome.status == .error)
        #expect(result.steps[0].outcome.message.contains("a 'systems' step must come first"))
    }
}
