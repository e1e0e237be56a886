import ArgumentParser
import Scenario

/// `--run-id` and `--keep-created`, declared once for `provsim run` and `provsim check scim`.
struct ExternalRunOptions: ParsableArguments {
    @Option(name: .customLong("run-id"), help: "The run ID that ${run} stands for in what is created in services that are not fakes (default: p and 8 random hexadecimal digits).")
    var runId: String?

    @Flag(name: .customLong("keep-created"), help: "Leave what was created in services that are not fakes (by default it is deleted when each scenario ends).")
    var keepCreated = false

    func validate() throws {
        if let runId, let problem = RunOptions.problem(withRunId: runId) { throw ValidationError("--run-id '\(runId)': \(problem)") }
    }

    /// A run's options with these: the run ID given (or a new one) and whether to clean up.
    func runOptions(targets: [String: String] = [:], environment: [String: String]) -> RunOptions {
        RunOptions(targets: targets, environment: environment, runId: runId ?? RunOptions.newRunId(), cleanUp: !keepCreated)
    }
}
