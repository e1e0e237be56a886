import Foundation
import JSON
import Testing
@testable import Scenario

func fixture(_ path: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(path)", withExtension: nil))
    return url.path
}

func load(_ yaml: String) throws(ScenarioError) -> Scenario {
    try ScenarioLoader().load(yaml: yaml, entry: .init(file: "s.yaml", id: "s"))
}

func loadError(_ yaml: String) -> String? {
    do {
        _ = try load(yaml)
        return nil
    } catch {
        return error.description
    }
}

@Suite("Scenario loading")
struct ScenarioLoaderTests {
    @Test func loadsAScenario() throws {
        let scenario = try load("""
        name: Demo
        description: text
        tags: [a, b]
        seed: 5
        steps:
          - name: first
            transform:
              transformation: builtin:xsuaa-proxy-write
              input: { userName: x }
          - transform:
              transformation: builtin:xsuaa-proxy-write
              input: { userName: y }
        """)
        #expect(scenario.name == "Demo")
        #expect(scenario.tags == ["a", "b"])
        #expect(scenario.seed == 5)
        #expect(scenario.steps.map(\.name) == ["first", "transform #2"])
        #expect(scenario.steps.map(\.line) == [6, 10])
        #expect(scenario.classname == "s")
    }

    @Test(arguments: [
        ("name: x\nstep: []", "s.yaml:2:1: step: unknown key 'step' (expected one of: description, name, seed, steps, tags)"),
        ("name: x", "s.yaml:1:1: missing required key 'steps'"),
        ("steps: []", "s.yaml:1:8: steps: a scenario needs at least one step"),
        ("steps:\n  - name: a", "s.yaml:2:5: steps[0]: a step needs one of: advance, assert, burst, change, control, fault, properties, proxy.load, proxy.request, realtime, refused, request, run, seed, systems, transform"),
        ("steps:\n  - frobnicate: {}", "s.yaml:2:17: steps[0].frobnicate: unknown step kind 'frobnicate' (known: advance, assert, burst, change, control, fault, properties, proxy.load, proxy.request, realtime, refused, request, run, seed, systems, transform)"),
        ("steps:\n  - transform: {}\n    other: {}", "a step has exactly one kind, found transform and other"),
        ("steps:\n  - transform:\n      input: {}", "s.yaml:3:7: steps[0].transform: missing required key 'transformation'"),
        ("steps:\n  - transform:\n      transformation: builtin:nope\n      input: {}", "steps[0].transform.transformation: no built-in transformation 'builtin:nope'"),
        ("steps:\n  - transform:\n      transformation: builtin:xsuaa-proxy-read\n      entity: role\n      input: {}", "steps[0].transform.transformation: the transformation has no 'role' block"),
        ("steps:\n  - transform:\n      transformation: builtin:xsuaa-proxy-read\n      entity: person\n      input: {}", "steps[0].transform.entity: must be user, group or role, not 'person'"),
        ("steps:\n  - transform:\n      transformation: builtin:xsuaa-proxy-read\n      operation: upsert\n      input: {}", "steps[0].transform.operation: must be one of read, create, update, patch, delete, not 'upsert'"),
        ("steps:\n  - transform:\n      transformation: builtin:xsuaa-proxy-read\n      input: {}\n      expect:\n        paths: { \"$.a[\": 1 }", "steps[0].transform.expect.paths.$.a[: invalid JSONPath '$.a[' at column 4"),
        ("steps:\n  - transform:\n      transformation: builtin:xsuaa-proxy-read\n      input: {}\n      expect:\n        outptu: {}", "steps[0].transform.expect.outptu: unknown key 'outptu'"),
        ("steps:\n  - transform:\n      transformation: builtin:xsuaa-proxy-read\n      input: {}\n      expect: { skipped: true, failed: true }", "an entity cannot be both skipped and failed"),
        ("steps:\n  - transform:\n      transformation: builtin:xsuaa-proxy-read\n      input: {}\n      expect: { skipped: false }", "use true, or text the reason must contain"),
        ("steps:\n  - transform:\n      transformation: builtin:xsuaa-proxy-read", "steps[0].transform: missing required key 'input' (or 'inputFile')"),
        ("steps:\n  - transform:\n      transformation: { user: { mappings: [{ sourcePath: '$.a' }] } }\n      input: {}", "steps[0].transform.transformation: s.yaml (inline): user.mappings[0]: a mapping needs a targetPath or targetVariable"),
        ("steps:\n  - transform:\n      transformation: missing.json\n      input: {}", "cannot read the transformation file missing.json"),
        ("steps:\n  - transform:\n      transformation: builtin:xsuaa-proxy-read\n      input: {}\n      now: yesterday", "steps[0].transform.now: must be an ISO 8601 time"),
        ("name: [unclosed", "s.yaml:2:1: invalid YAML: while parsing a flow sequence did not find expected ',' or ']'"),
        ("seed: -1\nsteps: []", "the seed must not be negative"),
    ])
    func reportsInvalidFilesWithLocation(_ yaml: String, _ expected: String) {
        let message = loadError(yaml)
        #expect(message?.contains(expected) == true, "got: \(message ?? "no error")")
    }

    @Test func namesTheTransformationFileAndLineOfACompileError() throws {
        let entry = ScenarioLoader.Entry(file: try fixture("invalid/bad-transformation.yaml"), id: "bad")
        do {
            _ = try ScenarioLoader().load(entry)
            Issue.record("should not load")
        } catch {
            #expect(error.description.contains("bad-transformation.yaml:4:23: steps[0].transform.transformation: "))
            #expect(error.description.contains("bad-transformation.json:5: user.mappings[1].sourcePath: invalid JSONPath '$.b[?(@.c = 1)]' at column 11: '=' is not an operator"))
        }
    }

    @Test func findsFilesSkippingFixtureDirectoriesAndMakesNamesUnique() throws {
        let directory = try fixture("passing")
        let entries = try ScenarioLoader().scenarioFiles(in: [directory])
        #expect(entries.map(\.id) == ["one", "two"])
        let (scenarios, errors) = ScenarioLoader().loadAll([directory])
        #expect(errors.isEmpty)
        #expect(scenarios[1].steps.map(\.name) == ["same name", "same name (2)"])
        #expect(throws: ScenarioError.self) { try ScenarioLoader().scenarioFiles(in: [directory + "/nope"]) }
    }

    @Test func collectsAllInvalidFiles() throws {
        let (scenarios, errors) = ScenarioLoader().loadAll([try fixture("invalid")])
        #expect(scenarios.isEmpty)
        #expect(errors.count == 1)
    }

    @Test func yamlScalarsKeepTheirTypes() throws {
        let scenario = try load("""
        steps:
          - transform:
              transformation: { user: { mappings: [{ sourcePath: "$", targetPath: "$" }] } }
              input: { i: 42, f: 1.5, b: true, n: null, s: "42", q: 'true', plain: text, date: 2024-01-01, neg: -3 }
              expect:
                output: { i: 42, f: 1.5, b: true, s: "42", q: "true", plain: text, date: "2024-01-01", neg: -3 }
        """)
        #expect(scenario.steps.count == 1)
    }

    @Test func scenarioFilesThatExpectEachOtherRefusedCannotLoadEachOtherWithoutEnd() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("provsim-refused-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, other) in [("a", "b"), ("b", "a")] {
            try "steps:\n  - refused: { scenario: \(other).yaml, error: x }\n".write(to: directory.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        // a loads; b, loaded for a's step, is refused for naming a again, and a's step holds that error.
        let scenario = try ScenarioLoader().load(.init(file: directory.appendingPathComponent("a.yaml").path, id: "a"))
        let step = try #require(scenario.steps.first?.step as? RefusedStep)
        #expect(step.error?.contains("scenario files name each other in a loop") == true, "\(step.error ?? "loaded")")
    }

    @Test func filesLoadedThroughRefusedAreBounded() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("provsim-refused-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "steps:\n  - advance: { seconds: 1 }\n".write(to: directory.appendingPathComponent("ok.yaml"), atomically: true, encoding: .utf8)
        let steps = (0...RefusedStep.maximumLoads).map { _ in "  - refused: { scenario: ok.yaml, error: x }" }.joined(separator: "\n")
        try "steps:\n\(steps)\n".write(to: directory.appendingPathComponent("many.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioLoader().load(.init(file: directory.appendingPathComponent("many.yaml").path, id: "many"))
            Issue.record("loaded \(RefusedStep.maximumLoads + 1) files through refused")
        } catch {
            #expect(error.description.contains("more than \(RefusedStep.maximumLoads) scenario files loaded through refused: scenario:"), "\(error.description)")
        }
    }
}
