import ArgumentParser
import Foundation
import Scenario

struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of scenario or systems files, for editors and validators.",
        discussion: """
        The schemas are built from the definitions the loaders check keys with, so an editor \
        completes and flags what provsim accepts. The repository keeps them in schemas/; a \
        yaml-language-server modeline in the first line of a file connects it (docs/scenarios.md). \
        The loader checks more than a schema can (JSONPaths, references between steps, files).

        Examples:
          provsim schema scenario > schemas/scenario.schema.json
          provsim schema systems --output schemas/systems.schema.json
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case scenario, systems
    }

    @Argument(help: "Which format: scenario or systems.")
    var format: Format

    @Option(name: .long, help: "Write the schema to this file instead of standard output.")
    var output: String?

    func run() async throws {
        try await exiting {
            let text = (format == .scenario ? ScenarioSchema.scenario() : ScenarioSchema.systems).text
            guard let output else {
                print(text, terminator: "")
                return 0
            }
            do {
                try InputFiles.write(text, to: output)
            } catch {
                throw CommandFailure(code: 2, message: "cannot write \(output): \(error.localizedDescription)")
            }
            return 0
        }
    }
}
