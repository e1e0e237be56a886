import ArgumentParser
import Foundation

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a starter scenario and systems file for the targets you provision.",
        discussion: """
        Writes scenarios/onboarding.yaml (the Identity Directory onboards two users into each target \
        through their groups, a second Read writes nothing, an offboarding takes one out) and \
        systems.yaml (the same systems, for provsim job run against provsim serve). Both run \
        green as written: change them from there. The JSON Schemas of both formats go to schemas/, \
        which the files' first lines name for editors (completion and checks as you type).

        Examples:
          provsim init --targets xsuaa,cf,afc
          provsim run scenarios
        """
    )

    @Option(name: .long, help: "Where to write (created when missing).")
    var directory: String = "."

    @Option(name: .long, help: "Targets, comma-separated: xsuaa, cf, afc.")
    var targets: String = "xsuaa"

    @Flag(name: .long, help: "Replace files that exist (by default, nothing is written when one does).")
    var force = false

    func validate() throws {
        _ = try chosenTargets()
    }

    func chosenTargets() throws -> [StarterProject.Target] {
        var chosen: [StarterProject.Target] = []
        for name in targets.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let target = StarterProject.Target(rawValue: name) else {
                throw ValidationError("--targets: unknown target '\(name)' (known: \(StarterProject.Target.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if !chosen.contains(target) { chosen.append(target) }
        }
        guard !chosen.isEmpty else { throw ValidationError("--targets: name at least one of \(StarterProject.Target.allCases.map(\.rawValue).joined(separator: ", "))") }
        return chosen
    }

    func run() async throws {
        try await exiting {
            let project = StarterProject(targets: try chosenTargets())
            let root = URL(fileURLWithPath: directory)
            let existing = project.files.map { root.appendingPathComponent($0.path).path }.filter { FileManager.default.fileExists(atPath: $0) }
            if !existing.isEmpty, !force {
                throw CommandFailure(code: 2, message: "\(existing.joined(separator: ", ")) exist\(existing.count == 1 ? "s" : ""); nothing written (--force replaces)")
            }
            for file in project.files {
                let url = root.appendingPathComponent(file.path)
                do {
                    try InputFiles.write(file.content, to: url.path)
                } catch {
                    throw CommandFailure(code: 2, message: "cannot write \(url.path): \(error.localizedDescription)")
                }
                print("wrote \(url.path)")
            }
            let scenarios = root.appendingPathComponent("scenarios").path
            print("next: provsim run \(scenarios)")
            return 0
        }
    }
}
