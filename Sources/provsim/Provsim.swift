import ArgumentParser
import Report

@main
struct Provsim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provsim",
        abstract: "Simulate SAP BTP identity provisioning end to end, and check it.",
        discussion: """
        provsim runs scripted scenarios against IPS-style transformations and faithful fakes of the \
        services involved, and writes JUnit reports that CI pipelines gate on.

        Exit codes: 0 success, 1 a check or entity failed, 2 invalid input (file, option, expression).
        """,
        version: ProvsimVersion.current,
        subcommands: [
            RunCommand.self, ServeCommand.self, TransformCommand.self, JSONPathCommand.self, ReportCommand.self,
            BenchCommand.self, GenerateCommand.self, TransformationsCommand.self, JobCommand.self, FuzzCommand.self, InitCommand.self, SchemaCommand.self, CheckCommand.self,
        ]
    )

    /// ArgumentParser exits 64 for usage errors; provsim documents 2 for every kind of bad input.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                Terminal.error(fullMessage(for: error))
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}
