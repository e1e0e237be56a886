import Chrono
import Engine
import Fakes
import Hosting
import JSON
import Proxy
import Synchronization

/// How to build a simulation.
public struct SimulationConfiguration: Sendable {
    /// How the engine reaches the fakes.
    public enum Transport: Sendable, Equatable {
        /// HTTP/1.1 over loopback sockets, each fake on its own port (scenarios, `serve`, benches).
        case loopback
        /// Straight to the fakes' hosts in this process, no sockets (unit tests, the sabotage tests,
        /// `bench job --in-process`).
        case inProcess
    }

    /// Which fakes, with which clock, seed, limits and defects.
    public var fakes = FakeFleetConfiguration()
    public var transport = Transport.loopback

    public init() {}
}

/// One running simulation: the fakes, the one clock they and the engine share, the transport
/// between them, the operational store jobs and real-time requests write, and any proxies served
/// over it. The only place that wires these together: scenarios, `provsim serve`, the benches and
/// the tests all build their engines here.
///
/// Use `Simulation.run(_:_:)`, which always tears down; `start` and `stop` are for owners whose
/// lifetime is not one scope (a scenario's world, a server running until interrupted).
public final class Simulation: Sendable {
    public let configuration: SimulationConfiguration
    public let fleet: FakeFleet
    /// What every engine of this simulation sends through.
    public let transport: any HTTPTransport
    /// The operational store the simulation's jobs and real-time requests share.
    public let store = SharedOperationalStore()
    private let loopback: AsyncHTTPTransport?
    private let inProcess: InProcessTransport?
    private let proxies = Mutex<[ProxyEndpoint]>([])
    private let stopped = Mutex(false)

    /// The clock of the fakes and of every engine built here (`advance` moves both).
    public var clock: SimulatedClock { fleet.clock }

    private init(configuration: SimulationConfiguration, fleet: FakeFleet) {
        self.configuration = configuration
        self.fleet = fleet
        switch configuration.transport {
        case .loopback:
            let transport = AsyncHTTPTransport()
            (loopback, inProcess) = (transport, nil)
            self.transport = transport
        case .inProcess:
            let transport = InProcessTransport(hosts: fleet.hosts)
            (loopback, inProcess) = (nil, transport)
            self.transport = transport
        }
    }

    /// Starts the configured fakes (on loopback ports, or only in process).
    public static func start(_ configuration: SimulationConfiguration) async throws -> Simulation {
        let fleet = try await FakeFleet.start(configuration.fakes, serve: configuration.transport == .loopback)
        return Simulation(configuration: configuration, fleet: fleet)
    }

    /// Runs `body` with a started simulation and tears it down afterwards, also when `body` throws.
    public static func run<Result>(_ configuration: SimulationConfiguration, _ body: (Simulation) async throws -> Result) async throws -> Result {
        let simulation = try await start(configuration)
        do {
            let result = try await body(simulation)
            await simulation.stop()
            return result
        } catch {
            await simulation.stop()
            throw error
        }
    }

    /// Whether `stop` has run.
    public var isStopped: Bool { stopped.withLock { $0 } }

    /// Stops the proxies, closes the engine's connections and stops the fakes; later calls do nothing.
    public func stop() async {
        guard !stopped.withLock({ s in defer { s = true }; return s }) else { return }
        for proxy in proxies.withLock({ $0 }) { await proxy.stop() }
        await loopback?.shutdown()
        await fleet.stop()
    }

    /// The fake named `service`, if started.
    public func host(_ service: String) -> FakeHost? {
        fleet.host(named: service)
    }

    /// The connection properties of a system declared with `fake: <service>`.
    public func connectionProperties(service: String) -> [String: String]? {
        fleet.connection(service: service)?.systemProperties
    }

    /// A systems file's systems, `fake: <service>` resolved to this simulation's fakes.
    public func systems(json: JSONValue, loadFile: (String) throws(SystemsError) -> String = Simulation.noFiles) throws(SystemsError) -> SystemsConfiguration {
        try SystemsConfiguration(json: json, loadFile: loadFile, connection: fakeConnection)
    }

    /// The connection properties of `system`, declared with `fake: <service>`: the
    /// `ConnectionProvider` of systems loaded against this simulation.
    public func fakeConnection(_ system: String, _ fake: String) throws(SystemsError) -> [String: String] {
        guard let properties = connectionProperties(service: fake) else {
            throw SystemsError(field: "fake", message: "the fake '\(fake)' is not started (started: \(fleet.names.joined(separator: ", ")))")
        }
        return properties
    }

    /// For systems that name no transformation files.
    public static func noFiles(_ path: String) throws(SystemsError) -> String {
        throw SystemsError(field: "transformation", message: "no transformation files here: \(path)")
    }

    /// An engine over `systems` on this simulation's transport and clock.
    public func engine(systems: SystemsConfiguration, pacing: Bool? = nil, randomSeed: UInt64? = nil) -> ProvisioningEngine {
        ProvisioningEngine(systems: systems, transport: transport, clock: clock, pacing: pacing, randomSeed: randomSeed)
    }

    /// Serves IPS's proxy and real-time APIs of `service` next to the fakes: on a loopback port, or
    /// in process, where this simulation's transport reaches it at `http://proxy.provsim.test`.
    public func serveProxy(_ service: ProxyService, seed: UInt64, inboundLimit: Bool, bindHost: String = "127.0.0.1", port: Int = 0,
                           controlAccess: ControlAccess = ControlAccess()) async throws -> ProxyEndpoint {
        guard !stopped.withLock({ $0 }) else { throw FakeServerError(message: "the simulation is stopped") }
        let host = service.host(clock: clock, seed: seed, inboundLimit: inboundLimit, controlAccess: controlAccess)
        let endpoint: ProxyEndpoint
        if let inProcess {
            guard proxies.withLock({ $0.isEmpty }) else { throw FakeServerError(message: "a simulation in process serves one proxy") }
            host.baseURL = FakeFleet.inProcessURL(service.name)
            inProcess.register(host)
            endpoint = ProxyEndpoint(service: service, host: host, server: nil)
        } else {
            endpoint = ProxyEndpoint(service: service, host: host, server: try await FakeServer.start(host, bindHost: bindHost, port: port))
        }
        // A stop that ran while the server started has not seen it: stop it here.
        let orphaned = stopped.withLock { isStopped -> Bool in
            if !isStopped { proxies.withLock { $0.append(endpoint) } }
            return isStopped
        }
        if orphaned {
            await endpoint.stop()
            throw FakeServerError(message: "the simulation is stopped")
        }
        return endpoint
    }
}

/// A proxy served by a simulation.
public struct ProxyEndpoint: Sendable {
    public let service: ProxyService
    public let host: FakeHost
    /// Its HTTP server; none in process.
    public let server: FakeServer?

    public var baseURL: String { host.baseURL }

    func stop() async {
        await server?.stop()
        host.held.releaseAll()
    }
}
