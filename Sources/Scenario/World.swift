import Engine
import Fakes
import Proxy
import Transformation

/// The environment one scenario runs in. Steps share it in order: the fakes started by a
/// `systems:` step, the engine over them, and the operational store jobs update.
public actor World {
    /// The scenario's seed: everything random in the run derives from it.
    public let seed: UInt64
    public let scenario: String

    /// The fakes, the engine and what the jobs remember, once a `systems:` step has run.
    public struct Provisioning: Sendable {
        public let fleet: FakeFleet
        public let engine: ProvisioningEngine
        let transport: AsyncHTTPTransport
        /// System name → the fake service it talks to (systems declared with `fake:`).
        public let fakeOfSystem: [String: String]
        public var store = OperationalStore()
        /// IPS's proxy and real-time APIs over these systems, when the step asked for them.
        public var proxy: ProxyEndpoint?
        /// IDs of entities looked up in a source by name (`realtime:` steps), kept so that a
        /// deletion can still name the entity after it is gone from the source.
        var knownIds: [String: String] = [:]
        /// Proxy system → the IDs its answers to the scenario's creates carried, by
        /// `userName:<name>` / `displayName:<name>`.
        var proxyIds: [String: [String: String]] = [:]
    }

    /// The served proxy and the technical user scenario steps call it as.
    public struct ProxyEndpoint: Sendable {
        public let server: FakeServer
        public let service: ProxyService
        public let technicalUser: ProxyTechnicalUser
    }

    public private(set) var provisioning: Provisioning?

    public init(seed: UInt64, scenario: String) {
        self.seed = seed
        self.scenario = scenario
    }

    private var counter: UInt64 = 0

    /// A fresh seed derived from the scenario seed, different for each call but the same across runs.
    public func nextSeed() -> UInt64 {
        counter += 1
        var z = seed &+ counter &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func start(fleet: FakeFleet, engine: ProvisioningEngine, transport: AsyncHTTPTransport, fakeOfSystem: [String: String]) async {
        await shutdown()
        provisioning = Provisioning(fleet: fleet, engine: engine, transport: transport, fakeOfSystem: fakeOfSystem)
    }

    func attach(proxy: ProxyEndpoint) {
        provisioning?.proxy = proxy
    }

    /// Real-time provisioning with the scenario's store, which its jobs share.
    func realTime(source: String, type: EntityType, id: String, deleted: Bool) async throws(RealTimeError) -> RealTimeLog {
        guard var p = provisioning else { throw RealTimeError(status: 503, "no systems are running") }
        let log = try await p.engine.provisionRealTime(source: source, type: type, sourceId: id, deleted: deleted, store: &p.store)
        provisioning?.store = p.store
        return log
    }

    func rememberId(_ id: String, for key: String) {
        provisioning?.knownIds[key] = id
    }

    func knownId(for key: String) -> String? {
        provisioning?.knownIds[key]
    }

    /// IDs a proxy answered to the scenario's creates, by `userName:<name>` / `displayName:<name>`.
    func proxyIds(system: String) -> [String: String] {
        provisioning?.proxyIds[system] ?? [:]
    }

    func rememberProxyId(_ id: String, system: String, _ name: String) {
        provisioning?.proxyIds[system, default: [:]][name] = id
    }

    /// Runs a job and keeps what it changed in the store.
    func run(source: String, job: JobType, trigger: JobTrigger) async -> JobLog? {
        guard var p = provisioning else { return nil }
        let log = await p.engine.run(source: source, job: job, trigger: trigger, store: &p.store)
        provisioning?.store = p.store
        return log
    }

    /// Requests the running fakes have served so far (for progress lines).
    public func requestsServed() -> Int {
        guard let p = provisioning else { return 0 }
        return p.fleet.servers.reduce(0) { $0 + $1.host.journal.lastSequence } + (p.proxy?.server.host.journal.lastSequence ?? 0)
    }

    /// Stops the fakes and closes connections; the runner calls it when the scenario ends.
    public func shutdown() async {
        guard let p = provisioning else { return }
        provisioning = nil
        await p.proxy?.server.stop()
        await p.transport.shutdown()
        await p.fleet.stop()
    }
}

/// Real-time requests to a scenario's proxy run with the scenario's store.
struct WorldRealTimeProvisioner: RealTimeProvisioner {
    let world: World

    func provision(source: String, type: EntityType, id: String, deleted: Bool) async throws(RealTimeError) -> RealTimeLog {
        try await world.realTime(source: source, type: type, id: id, deleted: deleted)
    }
}
