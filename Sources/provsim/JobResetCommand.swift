import ArgumentParser
import Engine

/// `provsim job reset`: IPS's system reset on an operational store file.
struct JobResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Forget what the operational store knows about one source or target system (IPS's system reset).",
        discussion: """
        The back-end data stays. The next job treats everything it reads as new; entities a target \
        already has are then found through the unique attributes and count as "existed before", so \
        they are deleted later only with ips.delete.existedbefore.entities=true.

        Exit codes: 0 done (also when the store knew nothing about the system), 2 invalid input.

        Example:
          provsim job reset --store store.json --system btp
        """
    )

    @Option(name: .long, help: "The operational store file.") var store: String
    @Option(name: .long, help: "The source or target system to forget.") var system: String

    func run() async throws {
        try await exiting { try execute() }
    }

    private func execute() throws -> Int32 {
        var operational: OperationalStore
        do throws(OperationalStoreError) { operational = try OperationalStore.load(path: store) } catch { throw CommandFailure(code: 2, message: error.message) }
        let forgotten = operational.reset(system: system)
        do throws(OperationalStoreError) { try operational.save(path: store) } catch { throw CommandFailure(code: 2, message: error.message) }
        Terminal.print("reset \(system): \(forgotten) entity record\(forgotten == 1 ? "" : "s") forgotten")
        return 0
    }
}
