import ArgumentParser
import Chrono
import Engine
import Fakes
import Foundation
import Hosting
import JSON
import Scenario

struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Run provisioning jobs.",
        subcommands: [JobRunCommand.self, JobResetCommand.self]
    )
}

struct JobRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one job of a source system against reachable endpoints and print its job log.",
        discussion: """
        The systems file (YAML or JSON) declares sources, targets and their links with IPS \
        properties (see docs/engine.md). The endpoints may be the fakes of `provsim serve` (pass \
        its --ports-file as --fakes and write `fake: <service>` on a system) or a real tenant.

        The operational store (which source entity became which target entity, what existed \
        before, what changed) is kept in --store, so a later run sees earlier ones.

        Exit codes: 0 the job succeeded, 1 it finished with error, 2 invalid input.

        Examples:
          provsim serve --ports-file /tmp/fakes.json &
          provsim job run --systems systems.yaml --fakes /tmp/fakes.json \\
              --source directory --store store.json
          provsim job run --systems systems.yaml --source directory \\
              --job simulate --format json
        """
    )

    @Option(name: .long, help: "The systems file.") var systems: String
    @Option(name: .long, help: "The source system whose job runs.") var source: String
    @Option(name: .long, help: "read, resync or simulate.") var job: String = "read"
    @Option(name: .long, help: "immediate (Run Now) or scheduled (counts towards ips.full.read.force.count).") var trigger: String = "immediate"
    @Option(name: .long, help: "The operational store file (created when missing, replaced atomically).") var store: String?
    @Option(name: .long, help: "The services line of `provsim serve --ports-file`, for systems written with `fake:`.") var fakes: String?
    @Option(name: .long, help: "text or json.") var format: String = "text"
    @Option(name: .customLong("time-scale"), help: "Simulated seconds per real second; match `provsim serve --time-scale`.") var timeScale: Double = 1
    @Flag(name: .customLong("no-pacing"), help: "Do not pace requests under the targets' published limits (shows the 429s).") var noPacing = false

    func run() async throws {
        try await exiting { try await runJob() }
    }

    private func runJob() async throws -> Int32 {
        guard let jobType = JobType(name: job) else { throw CommandFailure(code: 2, message: "--job must be read, resync or simulate, not '\(job)'") }
        let jobTrigger: JobTrigger
        switch trigger {
        case "immediate": jobTrigger = .immediate
        case "scheduled": jobTrigger = .scheduled
        default: throw CommandFailure(code: 2, message: "--trigger must be immediate or scheduled, not '\(trigger)'")
        }
        guard format == "text" || format == "json" else { throw CommandFailure(code: 2, message: "--format must be text or json") }
        guard timeScale.isFinite, SimulatedClock.scales.contains(timeScale) else { throw CommandFailure(code: 2, message: "--time-scale must be a number from 0.000001 to 1000000") }

        let services = try fakes.map(Self.loadFakes) ?? [:]
        let fakesPath = fakes
        let configuration: SystemsConfiguration
        do throws(ScenarioError) {
            configuration = try SystemsFile.load(path: systems, connection: { (_, fake) throws(SystemsError) -> [String: String] in
                guard let path = fakesPath else { throw SystemsError(field: "fake", message: "'fake: \(fake)' needs --fakes (the --ports-file of provsim serve)") }
                guard let properties = services[fake] else {
                    throw SystemsError(field: "fake", message: "\(path) has no service '\(fake)' (it has: \(services.keys.sorted().joined(separator: ", ")))")
                }
                return properties
            })
        } catch {
            throw CommandFailure(code: 2, message: error.description)
        }
        guard configuration[source]?.role == .source else {
            throw CommandFailure(code: 2, message: "\(systems): no source system named '\(source)' (sources: \(configuration.sources.map(\.name).joined(separator: ", ")))")
        }
        var operational = OperationalStore()
        if let store {
            do throws(OperationalStoreError) { operational = try OperationalStore.load(path: store) } catch { throw CommandFailure(code: 2, message: error.message) }
        }
        let transport = AsyncHTTPTransport()
        let engine = ProvisioningEngine(systems: configuration, transport: transport, clock: SimulatedClock(scale: timeScale), pacing: noPacing ? false : nil)
        let log = await engine.run(source: source, job: jobType, trigger: jobTrigger, store: &operational)
        await transport.shutdown()
        if let store {
            do throws(OperationalStoreError) { try operational.save(path: store) } catch { throw CommandFailure(code: 1, message: error.message) }
        }
        if format == "json" {
            Terminal.print(log.json.serialized(pretty: true))
        } else {
            FileHandle.standardOutput.write(Data(log.text().utf8))
        }
        return log.status == .success ? 0 : 1
    }

    private static func loadFakes(_ path: String) throws -> [String: [String: String]] {
        let bytes = try InputFiles.read(path, what: "the fakes file ")
        guard let json = try? JSONParser.parse(bytes), let list = json["services"]?.arrayValue else {
            throw CommandFailure(code: 2, message: "\(path): not the services line of provsim serve ({\"services\": [...]})")
        }
        var result: [String: [String: String]] = [:]
        for service in list {
            guard let name = service["name"]?.stringValue else { continue }
            guard let fields = service["systemProperties"]?.objectValue else {
                throw CommandFailure(code: 2, message: "\(path): the entry '\(name)' has no systemProperties (written by an older provsim serve? start it again)")
            }
            result[name] = Dictionary(fields.compactMap { member in member.value.stringValue.map { (member.key, $0) } }, uniquingKeysWith: { first, _ in first })
        }
        return result
    }
}
