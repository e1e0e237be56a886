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

    /// The run ID given, or a new one.
    var chosenRunId: String { runId ?? RunOptions.newRunId() }
}
