import Foundation
import JSON
import JSONPath
import Report
import Testing
@testable import Scenario

@Suite("Scenario runner")
struct ScenarioRunnerTests {
    @Test func passingScenarioReportsEveryStep() async throws {
        let (scenarios, errors) = ScenarioLoader().loadAll([try fixture("passing")])
        #expect(errors.isEmpty)
        var results: [ScenarioResult] = []
        for s in scenarios { results.append(await ScenarioRunner(seed: 1).run(s)) }
        #expect(results.allSatisfy { $0.passed })
        #expect(results[0].seed == 99)  // fixed by the scenario
        #expect(results[1].seed == 1)
        let report = results.junitReport(hostname: "test-host")
        #expect(report.tests == 4 && report.isSuccess)
        #expect(XMLSchema.junit.validate(JUnitXMLWriter.xml(report)) == [])
        #expect(report.suites[0].properties.contains(JUnitProperty("seed", "99")))
        #expect(report.suites[0].properties.contains(JUnitProperty("tags", "smoke")))
    }

    @Test func failuresReachTheReportWithDiffs() async throws {
        let scenario = try ScenarioLoader().load(.init(file: try fixture("failing/wrong-expectations.yaml"), id: "failing/wrong-expectations"))
        let result = await ScenarioRunner(seed: 1).run(scenario)
        #expect(!result.passed)
        #expect(result.steps.map(\.outcome.status) == [.failed, .failed, .failed, .passed])
        #expect(result.steps[0].outcome.message == "$.emails[0].primary: expected false, actual true")
        #expect(result.steps[1].outcome.message == "expected the entity to be skipped, but it was transformed")
        #expect(result.steps[2].outcome.message.hasPrefix("output differs: $.meta: expected (missing), actual {\"location\""))

        let suite = result.junitSuite(hostname: "h")
        #expect(suite.failures == 3 && suite.tests == 4)
        guard case .failed(let problem) = suite.cases[2].outcome else {
            Issue.record("third case should fail")
            return
        }
        #expect(problem.type == "ExpectationFailure")
        #expect(problem.body.contains("wrong-expectations.yaml:18: output differs"))
        #expect(problem.body.contains("expected:\n{\n  \"id\": \"u1\""))
        #expect(suite.cases[0].classname == "failing.wrong-expectations")
        let xml = JUnitXMLWriter.xml(JUnitReport(suites: [suite]))
        #expect(XMLSchema.junit.validate(xml) == [])
        // Markup escaped; the control character (not allowed in XML 1.0) as JSON's \u0001 escape, never raw.
        #expect(xml.contains(#"z&lt;&amp;&gt;\u0001"#))
        #expect(!xml.unicodeScalars.contains { $0.value == 1 })
        #expect(suite.systemErr.contains("── expects the wrong output ──"))
        #expect(suite.systemOut.contains("transformed: {\"id\":\"u1\""))
    }

    @Test func anErroringStepSkipsTheRest() async throws {
        struct Boom: ScenarioStep {
            func run(in world: World) async -> StepOutcome { .error("the server did not start") }
        }
        struct Fine: ScenarioStep {
            func run(in world: World) async -> StepOutcome { .passed() }
        }
        let scenario = Scenario(id: "x", name: "x", description: "", file: "x.yaml", tags: [], seed: nil, steps: [
            PlannedStep(name: "a", kind: "k", line: 1, step: Fine()),
            PlannedStep(name: "b", kind: "k", line: 2, step: Boom()),
            PlannedStep(name: "c", kind: "k", line: 3, step: Fine()),
        ])
        let result = await ScenarioRunner(seed: 1).run(scenario)
        #expect(result.steps.map(\.outcome.status) == [.passed, .error, .skipped])
        #expect(result.steps[2].outcome.message == "not run: step 'b' could not be carried out")
        let suite = result.junitSuite(hostname: "h")
        #expect(suite.errors == 1 && suite.skipped == 1)
    }

    @Test func failFastSkipsTheStepsAfterTheFirstFailure() async throws {
        let scenario = try ScenarioLoader().load(.init(file: try fixture("failing/wrong-expectations.yaml"), id: "failing/wrong-expectations"))
        let result = await ScenarioRunner(seed: 1, failFast: true).run(scenario)
        #expect(result.steps.map(\.outcome.status) == [.failed, .skipped, .skipped, .skipped])
        #expect(result.steps[1].outcome.message == "not run: step '\(result.steps[0].name)' failed (fail fast)")
        let suite = result.junitSuite(hostname: "h")
        #expect(suite.failures == 1 && suite.skipped == 3)
    }

    @Test func registryAcceptsNewStepKinds() throws {
        struct Echo: ScenarioStep {
            let text: String
            func run(in world: World) async -> StepOutcome { .passed(text) }
        }
        var registry = StepRegistry.standard
        registry.register(StepKind(key: "echo", summary: "says something", shape: .text("what to say")) { (node, _) throws(ScenarioError) -> any ScenarioStep in
            Echo(text: try node.string())
        })
        let scenario = try ScenarioLoader(registry: registry).load(yaml: "steps:\n  - echo: hello\n  - transform:\n      transformation: builtin:xsuaa-proxy-read\n      input: {}", entry: .init(file: "e.yaml", id: "e"))
        #expect(scenario.steps.map(\.kind) == ["echo", "transform"])
    }

    @Test func selectionFiltersAndShardsDeterministically() throws {
        func scenario(_ id: String) -> Scenario {
            Scenario(id: id, name: "Name of \(id)", description: "", file: "\(id).yaml", tags: [], seed: nil, steps: [])
        }
        let all = ["e", "a", "d", "b", "c"].map(scenario)
        #expect(ScenarioSelection.shard(all, index: 1, count: 2).map(\.id) == ["a", "c", "e"])
        #expect(ScenarioSelection.shard(all, index: 2, count: 2).map(\.id) == ["b", "d"])
        let union = (1...3).flatMap { ScenarioSelection.shard(all, index: $0, count: 3).map(\.id) }
        #expect(union.sorted() == ["a", "b", "c", "d", "e"])
        #expect(ScenarioSelection.filter(all, matching: try RegexPattern("^[ab]$")).map(\.id) == ["a", "b"])
        #expect(ScenarioSelection.filter(all, matching: try RegexPattern("Name of c")).map(\.id) == ["c"])
    }

    @Test func worldSeedsAreReproducible() async {
        let a = World(seed: 5, scenario: "s")
        let b = World(seed: 5, scenario: "s")
        let a1 = await a.nextSeed()
        let a2 = await a.nextSeed()
        let b1 = await b.nextSeed()
        #expect(a1 == b1)
        #expect(a1 != a2)
    }
}

@Suite("JSON diff")
struct JSONDiffTests {
    @Test func listsDifferencesByPath() {
        let expected: JSONValue = ["a": 1, "b": ["c": [1, 2]], "urn:x": "y"]
        let actual: JSONValue = ["a": 2, "b": ["c": [1]], "extra": true]
        let differences = JSONDiff.differences(expected: expected, actual: actual).map(\.description)
        #expect(differences == [
            "$.a: expected 1, actual 2",
            "$.b.c[1]: expected 2, actual (missing)",
            "$['urn:x']: expected \"y\", actual (missing)",
            "$.extra: expected (missing), actual true",
        ])
        #expect(JSONDiff.differences(expected: ["a": 1], actual: ["a": 1, "b": 2], subset: true).isEmpty)
        #expect(JSONDiff.differences(expected: ["a": 1.0], actual: ["a": 1]).isEmpty)
    }
}
