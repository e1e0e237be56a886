import Foundation
import Fuzz
import Testing

/// A small, fixed fuzz budget on every run of the tests: the same seeds every time, so a
/// finding is reproducible and the tests cannot flake. `make fuzz` runs the same targets for
/// minutes, in a supervised worker that also counts crashes.
@Suite("Fuzzing: every parser and route keeps its contract (fixed seeds, small budget)")
struct FuzzTests {
    static let scenarioSamples: [String] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = ["lifecycle/onboarding.yaml", "hybrid/xsuaa-proxy.yaml", "transformations/language-features.yaml", "limits/afc-burst.yaml"]
        return files.compactMap { try? String(contentsOf: root.appendingPathComponent("scenarios/" + $0), encoding: .utf8) }
    }()

    /// The fixed seed, and a hang threshold no case reaches however busy the machine is: in a
    /// test a slow case is not a finding (make fuzz counts hangs with a real threshold).
    static func campaign(_ targets: [any FuzzTarget]) -> FuzzCampaign {
        var campaign = FuzzCampaign(targets: targets, seed: 20_261_203)
        campaign.hangSeconds = 600
        return campaign
    }

    @Test("parsers and file formats: 400 generated inputs each, no finding")
    func parsers() async throws {
        #expect(Self.scenarioSamples.count == 4)
        let report = try await Self.campaign(ParserTargets.all(scenarioSamples: Self.scenarioSamples)).run(cases: 400)
        #expect(report.inputs == 400 * 11)
        let clean = report.isClean, summary = report.line(crashes: 0), findings = report.findings.prefix(10).map(\.description).joined(separator: "\n")
        #expect(clean, "\(summary)\n\(findings)")
    }

    @Test("every fake's routes and control API, in process: 150 requests each, no 5xx, every error a JSON object")
    func fakesInProcess() async throws {
        let fleet = SharedFleet(seed: 7)
        let targets = FuzzTargets.services.map { FakeRouteTarget(service: $0, fleet: fleet) }
        let report = try await Self.campaign(targets).run(cases: 150)
        #expect(report.inputs == 150 * FuzzTargets.services.count)
        let clean = report.isClean, summary = report.line(crashes: 0), findings = report.findings.prefix(10).map(\.description).joined(separator: "\n")
        #expect(clean, "\(summary)\n\(findings)")
    }

    @Test("every fake over loopback HTTP, including multi-megabyte headers and bytes that are not HTTP: an answer each time")
    func fakesOverLoopback() async throws {
        let fleet = SharedFleet(seed: 7)
        let targets = FuzzTargets.services.map { LoopbackHTTPTarget(service: $0, fleet: fleet, answerSeconds: 600) }
        let report = try await Self.campaign(targets).run(cases: 25)
        #expect(report.inputs == 25 * FuzzTargets.services.count)
        let clean = report.isClean, summary = report.line(crashes: 0), findings = report.findings.prefix(10).map(\.description).joined(separator: "\n")
        #expect(clean, "\(summary)\n\(findings)")
    }

    @Test("a case is the same whenever it is generated: seed, target and index reproduce it")
    func reproducible() {
        let campaign = FuzzCampaign(targets: ParserTargets.all(scenarioSamples: Self.scenarioSamples), seed: 99)
        for target in ["json", "scim-filter", "transformation", "scenario-file"] {
            for index in [0, 17, 4242] {
                #expect(campaign.makeCase(target: target, index: index)?.summary == campaign.makeCase(target: target, index: index)?.summary)
            }
            #expect(campaign.makeCase(target: target, index: 1)?.summary != campaign.makeCase(target: target, index: 2)?.summary)
        }
    }
}
