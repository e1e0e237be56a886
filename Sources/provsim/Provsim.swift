import ArgumentParser
import Report

@main
struct Provsim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provsim",
        abstract: "Simulate SAP BTP identity provisioning end to end, and check it.",
        discussion: """
        provsim runs scripted scenarios against IPS-style transformations and faithful fakes of the
        services involved, and writes JUnit reports that CI pipelines gate on.

        Exit codes: 0 success, 1 a check or entity failed, 2 invalid input (file, option, expression).
        """,
        version: ProvsimVersion.current,
        subcommands: [
            RunCommand.self, TransformCommand.self, JSONPathCommand.self, ReportCommand.self,
            BenchCommand.self, GenerateCommand.self, TransformationsCommand.self,
        ]
    )
}
