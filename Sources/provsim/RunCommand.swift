import ArgumentParser
import Chrono
import Foundation
import JSONPath
import Report
import Scenario

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run scenario files and write a JUnit report.",
        discussion: """
        Directories are searched recursively for *.yaml and *.yml (directories named 'fixtures' are \
        skipped). Every file is validated before anything runs.

        Writes the JUnit report (--junit) and a self-contained HTML report (--html, by default \
        index.html next to the JUnit file): totals, every step with its time, failures with their \
        differences, job statistics and request-rate charts. While a scenario runs, a progress \
        line shows its step and the requests served; at the end a summary table.

        Systems need not be fakes. --target btp=URL sends the system btp of every scenario \
        to URL instead of its fake; its credentials come from its properties, where \
        ${env:NAME} takes a value from the environment (or --env-file) and never reaches a \
        report. Seeds, changes and assertions then go through the system's public API, names \
        may carry ${run} (the run ID) so that parallel runs and real data never collide, and \
        what a scenario created there is deleted when it ends, whether it passed or not \
        (docs/scenarios.md, "Systems that are not fakes").

        Ctrl-C (or SIGTERM) ends the step under way, skips the rest, cleans up what was \
        created in systems that are not fakes and writes the reports; a second Ctrl-C stops \
        at once.

        Exit codes: 0 all passed, 1 a step failed, 2 a scenario file is invalid, 130 (143) \
        interrupted by Ctrl-C (SIGTERM).

        Examples:
          provsim run scenarios --junit reports/junit.xml --shard 1/4 --seed 7
          provsim run scenarios --target btp=https://uaa.example --env-file ci.env
        """
    )

    @Argument(help: "Scenario files or directories.")
    var paths: [String] = ["scenarios"]

    @Option(name: .long, help: "Where to write the JUnit report.")
    var junit: String = "reports/junit.xml"

    @Option(name: .long, help: "Where to write the HTML report (default: index.html next to the JUnit report).")
    var html: String?

    @Option(name: .long, help: "Only run scenarios whose id or name matches this regular expression.")
    var filter: String?

    @Option(name: .long, help: "Run shard I of N (1-based), e.g. 2/4: a deterministic split for parallel CI jobs.")
    var shard: Shard?

    @Option(name: .long, help: "Seed for everything random (IDs, passwords), unless a scenario fixes its own.")
    var seed: UInt64 = 1

    @Flag(name: .customLong("fail-fast"), help: "Stop each scenario at its first failed step and report the rest as skipped (by default a failed expectation does not stop a scenario).")
    var failFast = false

    @Flag(name: .long, help: "List the selected scenarios and their steps without running them.")
    var list = false

    @Option(name: .long, help: ArgumentHelp("Send a system to URL instead of its fake, in every scenario that declares it (repeatable).", valueName: "system=url"))
    var target: [KeyValue] = []

    @Option(name: .customLong("env-file"), help: "NAME=VALUE lines for ${env:NAME} in system properties (PROVSIM_TARGET_<system>=URL lines are targets too); the process environment fills in the rest.")
    var envFile: String?

    @OptionGroup var external: ExternalRunOptions

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
            let options = try runOptions()
            let declared = selected.reduce(into: Set<String>()) { $0.formUnion($1.declaredSystems) }
            if let unknown = options.targets.keys.sorted().first(where: { !declared.contains($0) }) {
                throw CommandFailure(code: 2, message: "--target \(unknown): no selected scenario declares a system named \(unknown) (systems: \(declared.sorted().joined(separator: ", ")))")
            }
            return try await execute(selected, options: options)
        }
    }

    /// Targets, environment and run ID: `--target` over the env file over the process environment.
    func runOptions() throws -> RunOptions {
        var environment = ProcessInfo.processInfo.environment
        if let envFile {
            let text: String
            do {
                text = try String(contentsOfFile: envFile, encoding: .utf8)
            } catch {
                throw CommandFailure(code: 2, message: "--env-file: cannot read \(envFile): \(error.localizedDescription)")
            }
            do throws(ScenarioError) {
                environment.merge(try EnvironmentFile.parse(text, file: envFile)) { $1 }
            } catch {
                throw CommandFailure(code: 2, message: "--env-file: \(error.description)")
            }
        }
        var targets = EnvironmentFile.targets(in: environment)
        for pair in target {
            guard pair.value.hasPrefix("http://") || pair.value.hasPrefix("https://") else {
                throw CommandFailure(code: 2, message: "--target \(pair.key)=\(pair.value): the URL must start with http:// or https://")
            }
            targets[pair.key] = pair.value
        }
        return external.runOptions(targets: targets, environment: environment)
    }

    private func execute(_ scenarios: [Scenario], options: RunOptions) async throws -> Int32 {
        try await ScenarioReports.run(scenarios, with: ScenarioRunner(seed: seed, failFast: failFast, options: options), junit: junit,
                                      html: html ?? ScenarioReports.path("index.html", nextTo: junit))
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

    /// A table of every scenario, the failures again with their locations, the totals and where
    /// the reports are.
    static func summary(_ results: [ScenarioResult], elapsed: Duration, reports: [String]) -> String {
        let steps = results.flatMap(\.steps)
        let failedScenarios = results.filter { !$0.passed }
        let failedSteps = results.reduce(0) { $0 + $1.failedSteps.count }
        let skipped = steps.filter { $0.outcome.status == .skipped }.count
        let idWidth = min(48, results.map(\.scenario.id.count).max() ?? 8)
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        func padLeft(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        var lines = ["", "\(pad("scenario", idWidth))  \(padLeft("steps", 7))  \(padLeft("time", 9))  result"]
        for result in results {
            let passedSteps = result.steps.filter { $0.outcome.status == .passed }.count
            lines.append("\(pad(result.scenario.id, idWidth))  \(padLeft("\(passedSteps)/\(result.steps.count)", 7))  \(padLeft(JUnitXMLWriter.seconds(result.duration) + " s", 9))  \(result.passed ? "PASS" : "FAIL")")
        }
        if !failedScenarios.isEmpty {
            lines.append("")
            lines.append("Failures:")
            for result in failedScenarios {
                for step in result.failedSteps {
                    let at = step.line.map { "\(result.scenario.file):\($0)" } ?? result.scenario.file
                    lines.append("  \(result.scenario.id) › \(step.name)")
                    lines.append("    \(step.outcome.message)")
                    lines.append("    at \(at)")
                }
            }
        }
        lines.append("")
        var text = "\(results.count) scenario\(results.count == 1 ? "" : "s"), \(steps.count) steps: "
        text += failedScenarios.isEmpty
            ? "all passed"
            : "\(failedScenarios.count) scenario\(failedScenarios.count == 1 ? "" : "s") failed (\(failedSteps) step\(failedSteps == 1 ? "" : "s"))"
        if skipped > 0 { text += ", \(skipped) skipped" }
        text += " in \(JUnitXMLWriter.seconds(elapsed.inSeconds)) s"
        lines.append(text)
        lines.append("reports: \(reports.joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }
}
