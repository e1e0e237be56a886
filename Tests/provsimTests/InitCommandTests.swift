import Engine
import Foundation
import Scenario
import Testing
@testable import provsim

/// `provsim init`: what it writes loads for every choice of targets, and runs green.
@Suite("provsim init", .serialized)
struct InitCommandTests {
    /// Every non-empty choice of targets, in their order.
    static var choices: [[StarterProject.Target]] {
        let all = StarterProject.Target.allCases
        return (1..<(1 << all.count)).map { mask in all.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element) }
    }

    @Test func everyChoiceOfTargetsGivesFilesThatLoad() throws {
        #expect(Self.choices.count == 7)
        for targets in Self.choices {
            let project = StarterProject(targets: targets)
            let scenario = try ScenarioLoader().load(yaml: project.scenario, entry: .init(file: "onboarding.yaml", id: "onboarding"))
            #expect(scenario.steps.count == 6 + (targets.contains(.cf) ? 1 : 0) + 2 * targets.count, "\(targets)")
            let systems = try SystemsFile.load(text: project.systemsFile, file: "systems.yaml") { (_, _) throws(SystemsError) -> [String: String] in
                ["URL": "http://127.0.0.1", "User": "-", "Password": "-"]
            }
            #expect(systems.order == ["directory"] + targets.map(\.system), "\(targets)")
        }
    }

    @Test func writesAStarterThatRunsGreenAndKeepsExistingFiles() throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let written = try ProvsimProcess.run(["init", "--directory", directory.path, "--targets", "xsuaa,cf,afc"])
        #expect(written.status == 0, "\(written.stderr)")
        #expect(written.stdout.contains("next: provsim run \(directory.path)/scenarios"))
        for schema in ["scenario", "systems"] {
            let written = try String(contentsOfFile: directory.appendingPathComponent("schemas/\(schema).schema.json").path, encoding: .utf8)
            #expect(written.contains("\"$id\": \"urn:provsim:schema:\(schema)\""), "the schemas the files' first lines name")
        }
        let scenarios = directory.appendingPathComponent("scenarios").path
        let run = try ProvsimProcess.run(["run", scenarios, "--junit", directory.appendingPathComponent("junit.xml").path])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(run.stdout.contains("1 scenario, 13 steps: all passed"), "\(run.stdout)")

        let again = try ProvsimProcess.run(["init", "--directory", directory.path, "--targets", "afc"])
        #expect(again.status == 2)
        #expect(again.stderr.contains("exist; nothing written (--force replaces)"))
        let kept = try String(contentsOfFile: scenarios + "/onboarding.yaml", encoding: .utf8)
        #expect(kept.contains("btp, cf, afc"), "the first files stay")
        let forced = try ProvsimProcess.run(["init", "--directory", directory.path, "--targets", "afc", "--force"])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: scenarios + "/onboarding.yaml", encoding: .utf8).contains("reach afc through"))
    }

    @Test(arguments: [("nope", "unknown target 'nope' (known: xsuaa, cf, afc)"), (",", "name at least one of xsuaa, cf, afc")])
    func unknownTargetsAreRefused(_ targets: String, _ message: String) throws {
        let result = try ProvsimProcess.run(["init", "--directory", "/nonexistent/never", "--targets", targets])
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test(arguments: ["xsuaa", "cf", "afc"])
    func eachTargetAloneRunsGreen(_ target: String) throws {
        let directory = try ProvsimProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try ProvsimProcess.run(["init", "--directory", directory.path, "--targets", target]).status == 0)
        let run = try ProvsimProcess.run(["run", directory.appendingPathComponent("scenarios").path, "--junit", directory.appendingPathComponent("junit.xml").path])
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
    }
}
