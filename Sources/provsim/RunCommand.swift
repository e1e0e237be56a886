import ArgumentParser
import Foundation
import JSONPath
import Report
import Scenario

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenario files and write a JUnit report.",
        discussion: """
        Directories are searched recursively for *.yaml and *.yml (directories named 'fixtures' are
        skipped). Every file is validated before anything runs.

        Exit codes: 0 all passed, 1 a step failed, 2 a scenario file is invalid.

        Example:
          provsim run scenarios --junit reports/junit.xml --shard 1/4 --seed 7
        """
    )

    @Argument(help: "Scenario files or directories.")
    var paths: [String] = ["scenarios"]

    @Option(name: .long, help: "Where to write the JUnit report.")
    var junit: String = "reports/junit.xml"

    @Option(name: .long, help: "Only run scenarios whose id or name matches this regular expression.")
    var filter: String?

    @Option(name: .long, help: "Run shard I of N (1-based), e.g. 2/4: a deterministic split for parallel CI jobs.")
    var shard: Shard?

    @Option(name: .long, help: "Seed for everything random (IDs, passwords), unless a scenario fixes its own.")
    var seed: UInt64 = 1

    @Flag(name: .long, help: "List the selected scenarios and their steps without running them.")
    var list = false

    func run() async throws {
        try await exiting {
            let loader = ScenarioLoader()
            let (loaded, errors) = loader.loadAll(paths)
            if !errors.isEmpty {
                for error in errors { Terminal.error(error.description) }
                Terminal.error("provsim: \(errors.count) invalid scenario file\(errors.count == 1 ? "" : "s"); nothing was run")
                return 2
            }
            var selected = loaded
            if let filter {
                let pattern: RegexPattern
                do throws(RegexPatternError) {
                    pattern = try RegexPattern(filter)
                } catch {
                    throw CommandFailure(code: 2, message: "--filter: \(error.reason)")
                }
                selected = ScenarioSelection.filter(selected, matching: pattern)
                if selected.isEmpty {
                    throw CommandFailure(code: 1, message: "--filter '\(filter)' matches none of the \(loaded.count) scenarios")
                }
            }
            if let shard {
                selected = ScenarioSelection.shard(selected, index: shard.index, count: shard.count)
            }
            if list {
                for scenario in selected {
                    Terminal.print("\(scenario.id)  \(scenario.name)  (\(scenario.file))")
                    for step in scenario.steps { Terminal.print("    \(step.kind): \(step.name)") }
                }
                return 0
            }
            return try await execute(selected)
        }
    }

    private func execute(_ scenarios: [Scenario]) async throws -> Int32 {
        let runner = ScenarioRunner(seed: seed)
        let started = ContinuousClock.now
        var results: [ScenarioResult] = []
        for scenario in scenarios {
            let result = await runner.run(scenario)
            results.append(result)
            Terminal.print(ProgressLine.scenario(result))
        }
        let report = results.junitReport()
        do {
            try InputFiles.write(JUnitXMLWriter.xml(report), to: junit)
        } catch {
            throw CommandFailure(code: 2, message: "cannot write \(junit): \(error.localizedDescription)")
        }
        let elapsed = ContinuousClock.now - started
        Terminal.print(ProgressLine.summary(results, elapsed: elapsed, reportPath: junit))
        return results.allSatisfy(\.passed) ? 0 : 1
    }
}

/// `I/N` for `--shard`.
struct Shard: ExpressibleByArgument, Sendable {
    let index: Int
    let count: Int

    init?(argument: String) {
        let parts = argument.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else { return nil }
        index = i
        count = n
    }
}

/// The lines `provsim run` prints: one per scenario as it finishes, then a summary.
enum ProgressLine {
    static func scenario(_ result: ScenarioResult) -> String {
        let steps = result.steps.count
        let failed = result.failedSteps
        let status = failed.isEmpty ? "PASS" : "FAIL"
        var line = "\(status)  \(result.scenario.id)  \(result.scenario.name)  (\(steps) step\(steps == 1 ? "" : "s"), \(JUnitXMLWriter.seconds(result.duration)) s)"
        for step in failed {
            let at = step.line.map { "\(result.scenario.file):\($0)" } ?? result.scenario.file
            line += "\n      ✗ \(step.name): \(step.outcome.message)\n        at \(at)"
        }
        return line
    }

    static func summary(_ results: [ScenarioResult], elapsed: Duration, reportPath: String) -> String {
        let steps = results.flatMap(\.steps)
        let failedScenarios = results.filter { !$0.passed }.count
        let failedSteps = steps.filter { $0.outcome.status == .failed || $0.outcome.status == .error }.count
        let skipped = steps.filter { $0.outcome.status == .skipped }.count
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var text = "\(results.count) scenario\(results.count == 1 ? "" : "s"), \(steps.count) steps: "
        text += failedScenarios == 0
            ? "all passed"
            : "\(failedScenarios) scenario\(failedScenarios == 1 ? "" : "s") failed (\(failedSteps) step\(failedSteps == 1 ? "" : "s"))"
        if skipped > 0 { text += ", \(skipped) skipped" }
        text += " in \(JUnitXMLWriter.seconds(seconds)) s; report: \(reportPath)"
        return text
    }
}
