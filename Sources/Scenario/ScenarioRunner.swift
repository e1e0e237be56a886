import Chrono
import JSONPath
import Report
import Simulation

/// Runs scenarios step by step. A failed expectation does not stop the scenario (later steps are
/// still informative) unless `failFast` is set; a step that errors does, and the remaining steps
/// are reported as skipped. So does cancelling the task that runs it (`provsim run` cancels on
/// Ctrl-C): what the scenario created in systems that are not fakes is still deleted.
public struct ScenarioRunner: Sendable {
    /// The run's seed, used for scenarios that do not fix their own.
    public var seed: UInt64
    /// Stop a scenario at its first failed step too (`provsim run --fail-fast`).
    public var failFast: Bool
    /// Loopback HTTP (the default: HTTP is part of what scenarios check), or in process for
    /// callers that run scenarios only for their verdicts.
    public var transport: SimulationConfiguration.Transport
    /// Endpoints, environment and run ID from outside the files.
    public var options: RunOptions

    public init(seed: UInt64, failFast: Bool = false, transport: SimulationConfiguration.Transport = .loopback, options: RunOptions = RunOptions()) {
        self.seed = seed
        self.failFast = failFast
        self.transport = transport
        self.options = options
    }

    /// Runs one scenario; `observer` hears of every step as it starts and ends (progress lines).
    public func run(_ scenario: Scenario, observer: (@Sendable (RunnerEvent) async -> Void)? = nil) async -> ScenarioResult {
        let seed = scenario.seed ?? self.seed
        let world = World(seed: seed, scenario: scenario.id, transport: transport, options: options)
        let started = ContinuousClock.now
        let timestamp = ReportEnvironment.nowTimestamp()
        var results: [StepResult] = []
        var stopReason: String?
        for planned in scenario.steps {
            if stopReason == nil, Task.isCancelled { stopReason = Self.interrupted }
            if let stopReason {
                results.append(StepResult(name: planned.name, kind: planned.kind, line: planned.line,
                                          outcome: StepOutcome(status: .skipped, message: stopReason), duration: 0))
                continue
            }
            await observer?(.stepStarted(scenario: scenario, index: results.count, world: world))
            let stepStart = ContinuousClock.now
            var outcome = await planned.step.run(in: world).hiding(await world.secrets)
            if Task.isCancelled, outcome.status != .passed {
                // What a step says when its requests were cancelled is noise: say what happened.
                outcome = StepOutcome(status: .error, message: "interrupted while this step ran", details: outcome.message + (outcome.details.isEmpty ? "" : "\n" + outcome.details),
                                      transcript: outcome.transcript, attachments: outcome.attachments)
            }
            results.append(StepResult(name: planned.name, kind: planned.kind, line: planned.line,
                                      outcome: outcome, duration: (ContinuousClock.now - stepStart).inSeconds))
            await observer?(.stepFinished(scenario: scenario, result: results[results.count - 1]))
            if Task.isCancelled {
                stopReason = Self.interrupted
            } else if outcome.status == .error {
                stopReason = "not run: step '\(planned.name)' could not be carried out"
            } else if failFast, outcome.status == .failed {
                stopReason = "not run: step '\(planned.name)' failed (fail fast)"
            }
        }
        if let cleanUp = await Self.cleanUp(world) { results.append(cleanUp) }
        await world.shutdown()
        return ScenarioResult(scenario: scenario, seed: seed, timestamp: timestamp,
                              duration: (ContinuousClock.now - started).inSeconds, steps: results)
    }

    static let interrupted = "not run: the run was interrupted"

    /// The clean-up step of a scenario that reached systems that are not fakes: what it deleted,
    /// and a failure for anything left behind. Nil when the scenario used fakes only.
    static func cleanUp(_ world: World) async -> StepResult? {
        let started = ContinuousClock.now
        var report = await world.earlierCleanUp
        report.append(await world.cleanUpExternal())
        guard !report.isEmpty else { return nil }
        let transcript = (report.deleted.map { "deleted \($0)" } + report.failures.map { "left: \($0)" } + report.keptOut.sorted().map { "not deleted: \($0)" })
            .joined(separator: "\n")
        var summary = "deleted \(report.deleted.count) entit\(report.deleted.count == 1 ? "y" : "ies") the scenario created in external systems"
        if !report.keptOut.isEmpty { summary += "; \(report.keptOut.count) not deleted on purpose (see the transcript)" }
        let outcome = (report.failures.isEmpty
            ? StepOutcome.passed(summary, transcript: transcript)
            : StepOutcome.failed("the clean-up of external systems left \(report.failures.count == 1 ? "a problem" : "\(report.failures.count) problems") (see the transcript); the first: \(report.failures[0])",
                                 details: transcript, transcript: transcript)).hiding(await world.secrets)
        return StepResult(name: "clean up external systems", kind: "cleanup", line: nil, outcome: outcome, duration: (ContinuousClock.now - started).inSeconds)
    }
}

/// What a running scenario reports as it goes.
public enum RunnerEvent: Sendable {
    /// Step `index` (0-based) of `scenario` starts; `world` can be asked how many requests the
    /// fakes have served so far.
    case stepStarted(scenario: Scenario, index: Int, world: World)
    case stepFinished(scenario: Scenario, result: StepResult)
}

/// Choosing which scenarios a run executes.
public enum ScenarioSelection {
    /// Keeps scenarios whose id or name matches the regex (anywhere in the text).
    public static func filter(_ scenarios: [Scenario], matching pattern: RegexPattern?) -> [Scenario] {
        guard let pattern else { return scenarios }
        return scenarios.filter { pattern.occurs(in: $0.id) || pattern.occurs(in: $0.name) }
    }

    /// Shard `index` (1-based) of `count`: every `count`-th scenario of the id-sorted list, so the
    /// split is deterministic and shards are balanced by number of scenarios.
    public static func shard(_ scenarios: [Scenario], index: Int, count: Int) -> [Scenario] {
        scenarios.sorted { $0.id < $1.id }.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}

public struct StepResult: Sendable {
    public let name: String
    public let kind: String
    public let line: Int?
    public let outcome: StepOutcome
    public let duration: Double
}

public struct ScenarioResult: Sendable {
    public let scenario: Scenario
    public let seed: UInt64
    public let timestamp: String
    public let duration: Double
    public let steps: [StepResult]

    public var failedSteps: [StepResult] {
        steps.filter { $0.outcome.status == .failed || $0.outcome.status == .error }
    }

    public var passed: Bool { failedSteps.isEmpty }

    /// The scenario as one JUnit suite, a test case per step.
    public func junitSuite(hostname: String) -> JUnitSuite {
        var properties = [
            JUnitProperty("file", scenario.file),
            JUnitProperty("seed", String(seed)),
            JUnitProperty("provsim.version", ProvsimVersion.current),
        ]
        if !scenario.tags.isEmpty { properties.append(JUnitProperty("tags", scenario.tags.joined(separator: ","))) }
        let cases = steps.map { step -> JUnitCase in
            let location = step.line.map { "\(scenario.file):\($0): " } ?? ""
            let outcome: JUnitCase.Outcome
            switch step.outcome.status {
            case .passed: outcome = .passed
            case .skipped: outcome = .skipped(message: step.outcome.message)
            case .failed: outcome = .failed(JUnitProblem(message: step.outcome.message, type: "ExpectationFailure", body: location + step.outcome.details))
            case .error: outcome = .error(JUnitProblem(message: step.outcome.message, type: "StepError", body: location + step.outcome.details))
            }
            return JUnitCase(name: step.name, classname: scenario.classname, time: step.duration, outcome: outcome)
        }
        var out: [String] = []
        var err: [String] = []
        for step in steps {
            if !step.outcome.transcript.isEmpty {
                out.append("── \(step.name) (\(step.kind)) ──\n\(step.outcome.transcript)")
            }
            if step.outcome.status == .failed || step.outcome.status == .error {
                err.append("── \(step.name) ──\n\(step.outcome.details.isEmpty ? step.outcome.message : step.outcome.details)")
            }
        }
        return JUnitSuite(
            name: scenario.name, package: "provsim.scenarios", timestamp: timestamp, hostname: hostname,
            time: duration, properties: properties, cases: cases,
            systemOut: out.joined(separator: "\n"), systemErr: err.joined(separator: "\n"))
    }
}

extension ScenarioResult {
    /// The scenario as a section of the HTML report.
    public var htmlScenario: HTMLReport.Scenario {
        HTMLReport.Scenario(
            id: scenario.id, name: scenario.name, description: scenario.description, file: scenario.file,
            tags: scenario.tags, seed: seed, duration: duration,
            steps: steps.map { step in
                HTMLReport.Step(
                    name: step.name, kind: step.kind, location: step.line.map { "\(scenario.file):\($0)" } ?? scenario.file,
                    status: HTMLReport.Status(rawValue: step.outcome.status.rawValue) ?? .error, duration: step.duration,
                    message: step.outcome.message, details: step.outcome.details, transcript: step.outcome.transcript,
                    attachments: step.outcome.attachments)
            })
    }
}

extension Array where Element == ScenarioResult {
    /// All results as one report.
    public func junitReport(hostname: String = ReportEnvironment.hostname()) -> JUnitReport {
        JUnitReport(suites: map { $0.junitSuite(hostname: hostname) })
    }

    /// All results as the HTML report's model.
    public func htmlReport(timestamp: String, duration: Double, hostname: String = ReportEnvironment.hostname()) -> HTMLReport {
        HTMLReport(timestamp: timestamp, hostname: hostname, duration: duration, scenarios: map(\.htmlScenario))
    }
}
