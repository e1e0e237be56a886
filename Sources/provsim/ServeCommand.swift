import ArgumentParser
import Chrono
import Dispatch
import Fakes
import Foundation
import Hosting
import JSON
import Proxy
import Simulation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the fake services on local ports until interrupted.",
        discussion: """
        Prints one line of JSON describing each service on standard output (also written to \
        --ports-file), then logs every request on standard error: service, method, path, status, \
        latency, client. Credentials are printed once, in that first line, and never logged.

        Every fake has a control API under /_provsim (reset, seed, state, journal, faults, limits, \
        clock/advance); GET /_provsim lists it.

        With XSUAA or cf served, the line ends with an entry "proxy": IPS's proxy SCIM API over \
        the fakes (scim = the base of the XSUAA proxy system, proxySystems.cf = SAP BTP Platform \
        Members over cf for users of origin provsim-platform, clientId/clientSecret = the \
        technical user for Basic, tokenURL for OAuth) and, with the Identity Directory served, \
        its real-time API towards XSUAA (realTime.ias). --no-proxy leaves it out.

        Examples:
          provsim serve
          provsim serve --port identity-directory=8080 --port afc=8081 \\
              --seed 7 --state data.json
          provsim serve --time-scale 3600 --ports-file /tmp/fakes.json  # 1 h in 1 s
        """
    )

    @Option(name: .long, help: "Address to listen on: a loopback address unless --allow-remote is given.")
    var host: String = "127.0.0.1"

    @Flag(name: .customLong("allow-remote"), help: "Allow a --host other machines can reach. The control API then needs the token printed at start-up (\"controlToken\", sent as Authorization: Bearer).")
    var allowRemote = false

    @Option(name: .customLong("port"), help: "A fixed port for a service, NAME=PORT (identity-directory, afc, xsuaa, uaa, cf, proxy). Repeatable; others get free ports.")
    var ports: [KeyValue] = []

    @Option(name: .long, help: "Seed for generated IDs and secrets: the same seed gives the same IDs.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Initial data, JSON keyed by service: {\"identity-directory\": {\"users\": [...], \"groups\": [...]}, \"cf\": {\"organizations\": [...]}, ...}.")
    var state: String?

    @Option(name: .customLong("time-scale"), help: "Simulated seconds per real second for rate-limit windows and token expiry.")
    var timeScale: Double = 1

    @Flag(name: .customLong("no-rate-limits"), help: "Switch off the documented limits (AFC 10,000 requests/hour and 3 concurrent; XSUAA 3 requests/s).")
    var noRateLimits = false

    @Flag(name: .long, help: "Timestamps from a fixed start instead of the wall clock, and IDs, signing keys and secrets from --seed, so runs repeat exactly. Without it, keys and secrets are random for every run.")
    var deterministic = false

    @Option(name: .customLong("ports-file"), help: "Also write the services line to this file (created readable by its owner only: it holds credentials).")
    var portsFile: String?

    @Option(name: .long, help: "Which services to run, comma-separated (cf needs uaa before it).")
    var services: String = FakeFleet.serviceNames.joined(separator: ",")

    @Flag(name: .customLong("no-proxy"), help: "Do not serve IPS's proxy and real-time APIs over the fakes.")
    var noProxy = false

    func validate() throws {
        guard timeScale.isFinite, SimulatedClock.scales.contains(timeScale) else { throw ValidationError("--time-scale must be a number from 0.000001 to 1000000") }
        for p in ports where !(Int(p.value).map { (0...65_535).contains($0) } ?? false) {
            throw ValidationError("--port \(p.key)=\(p.value): the port must be a number from 0 to 65535")
        }
        guard allowRemote || Self.isLoopback(host) else {
            throw ValidationError("--host \(host) can be reached from other machines, and the fakes' control API has no accounts: give --allow-remote to serve there anyway (the control API then needs a token)")
        }
    }

    /// 127.0.0.0/8, ::1 and localhost: addresses only this machine reaches.
    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" || h == "[::1]" { return true }
        let octets = h.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    func run() async throws {
        // Catch signals before anything is printed, so a client that stops us right away is heard.
        let interrupted = Interrupts.catching([SIGINT, SIGTERM])
        try await exiting {
            var simulationConfiguration = SimulationConfiguration()
            var configuration = FakeFleetConfiguration()
            configuration.bindHost = host
            configuration.seed = seed
            configuration.timeScale = timeScale
            configuration.rateLimits = !noRateLimits
            configuration.deterministic = deterministic
            let controlToken = Self.isLoopback(host) ? nil : SecretSource.secret(purpose: "control-token", seed: seed, deterministic: false)
            configuration.controlAccess = ControlAccess(token: controlToken)
            configuration.services = services.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            for p in ports where p.key != "proxy" {
                guard configuration.services.contains(p.key) else {
                    throw CommandFailure(code: 2, message: "--port \(p.key): no such service (running: \(configuration.services.joined(separator: ", ")))")
                }
                configuration.ports[p.key] = Int(p.value)
            }
            let initial = try loadState()
            simulationConfiguration.fakes = configuration
            let simulation: Simulation
            do {
                simulation = try await Simulation.start(simulationConfiguration)
            } catch {
                throw CommandFailure(code: 2, message: "cannot start the fakes: \(error)")
            }
            if let initial { try await seed(simulation, with: initial) }
            var proxy: ProxyEndpoint?
            if !noProxy {
                do {
                    proxy = try await simulation.serveStandardProxy(bindHost: host, port: ports.first { $0.key == "proxy" }.flatMap { Int($0.value) } ?? 0,
                                                                    seed: seed, rateLimits: !noRateLimits, controlAccess: configuration.controlAccess)
                } catch {
                    await simulation.stop()
                    throw CommandFailure(code: 2, message: "cannot start the proxy: \(error)")
                }
            }
            var descriptor = simulation.fleet.descriptor
            if let proxy, case .array(let list)? = descriptor["services"] { descriptor["services"] = .array(list + [proxy.descriptor]) }
            if let controlToken { descriptor["controlToken"] = .string(controlToken) }
            // The file first: whoever has seen the line can rely on the file.
            let line = descriptor.serialized()
            if let portsFile {
                do {
                    try InputFiles.writePrivate(line + "\n", to: portsFile)
                } catch {
                    await simulation.stop()
                    throw CommandFailure(code: 2, message: "cannot write \(portsFile): \(error.localizedDescription)")
                }
            }
            Terminal.print(line)
            for host in simulation.fleet.hosts + (proxy.map { [$0.host] } ?? []) {
                let name = host.service.name
                host.observe { entry in
                    var text = "\(name) \(entry.method) \(entry.path)\(entry.query.isEmpty ? "" : "?" + entry.query) \(entry.status == 0 ? "no-response" : String(entry.status)) \(String(format: "%.1f", entry.latencyMilliseconds))ms"
                    if let client = entry.clientId { text += " client=\(client)" }
                    if let fault = entry.fault { text += " fault=\(fault)" }
                    Terminal.error(text)
                }
            }
            await interrupted.wait()
            Terminal.error("provsim: stopping")
            await simulation.stop()
            return 0
        }
    }

    private func loadState() throws -> JSONValue? {
        guard let state else { return nil }
        let value = try InputFiles.readJSON(state, what: "--state ")
        guard case .object = value else { throw CommandFailure(code: 2, message: "\(state): expected an object keyed by service name") }
        return value
    }

    private func seed(_ simulation: Simulation, with initial: JSONValue) async throws {
        guard case .object(let byService) = initial else { return }
        for member in byService {
            guard let host = simulation.host(member.key) else {
                await simulation.stop()
                throw CommandFailure(code: 2, message: "--state: no service '\(member.key)' is running")
            }
            do throws(FakeRequestError) {
                _ = try host.service.seed(member.value, context: host.context)
            } catch {
                await simulation.stop()
                throw CommandFailure(code: 2, message: "--state \(member.key): \(error.message)")
            }
        }
    }
}
