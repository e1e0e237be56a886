import Engine
import Fakes
import Hosting
import JSON
import Proxy
import Simulation
import Transformation

/// What one scenario sees of its simulation. Steps share it in order: the simulation a
/// `systems:` step starts (fakes, clock, transport, operational store), the engine over it, and
/// what the scenario's steps remember between them.
public actor World {
    /// The scenario's seed: everything random in the run derives from it.
    public let seed: UInt64
    public let scenario: String
    /// How the scenario's engine reaches its fakes: loopback HTTP unless a caller (the sabotage
    /// tests) has no use for the HTTP layer.
    public let transport: SimulationConfiguration.Transport
    /// Other endpoints, the environment and the run ID (`provsim run --target …`).
    public let options: RunOptions

    /// The simulation and the engine over it, once a `systems:` step has run.
    public struct Provisioning: Sendable {
        public let simulation: Simulation
        public internal(set) var engine: ProvisioningEngine
        /// System name → the fake service it talks to (systems declared with `fake:`).
        public let fakeOfSystem: [String: String]
        /// System name → URL, for systems that are not fakes (declared with a URL, or sent
        /// elsewhere by `--target`): reached through their public APIs.
        public var external: [String: String] = [:]
        /// Fake → the systems declared with it that `--target` sent elsewhere.
        public var redirected: [String: [String]] = [:]

        /// The systems `fake` stood for, when `--target` sent them all elsewhere and no system
        /// still uses the fake; nil when the fake is still one.
        func redirectedSystems(of fake: String) -> [String]? {
            guard let systems = redirected[fake], !fakeOfSystem.values.contains(fake) else { return nil }
            return systems
        }
        /// What the scenario created in external systems, oldest first, to delete at the end.
        var createdExternally: [ExternalEntity] = []
        /// The systems as declared (`{systems: …}`) and the file they came from, and the pacing
        /// asked for: what a `properties` step changes and rebuilds the engine from.
        public internal(set) var declaration: SystemsDeclaration
        /// IPS's proxy and real-time APIs over these systems, when the step asked for them.
        public var proxy: ScenarioProxy?
        /// IDs of entities looked up in a source by name (`realtime:` steps), kept so that a
        /// deletion can still name the entity after it is gone from the source.
        var knownIds: [String: String] = [:]
        /// Proxy system → the IDs its answers to the scenario's creates carried, by
        /// `userName:<name>` / `displayName:<name>`.
        var proxyIds: [String: [String: String]] = [:]
    }

    public struct SystemsDeclaration: Sendable {
        public var json: JSONValue
        public let file: String
        public let pacing: Bool?
    }

    /// The served proxy and the technical user scenario steps call it as.
    public struct ScenarioProxy: Sendable {
        public let endpoint: ProxyEndpoint
        public let technicalUser: ProxyTechnicalUser
    }

    public private(set) var provisioning: Provisioning?
    /// Credentials from the environment, which no step outcome may show.
    public private(set) var secrets: [String] = []

    func hide(_ values: [String]) {
        secrets += values.filter { !secrets.contains($0) }
    }

    /// What clean-ups before the last `systems` step did, for the scenario's clean-up step.
    var earlierCleanUp = CleanUpReport()

    /// An entity a scenario created in an external system.
    struct ExternalEntity: Sendable, Equatable {
        let system: String
        let type: EntityType
        let id: String
    }

    public init(seed: UInt64, scenario: String, transport: SimulationConfiguration.Transport = .loopback, options: RunOptions = RunOptions()) {
        self.seed = seed
        self.scenario = scenario
        self.transport = transport
        self.options = options
        savedValues["run"] = .string(options.runId)
    }

    private var counter: UInt64 = 0

    /// Values `request` steps saved (`save:`), by name, for `${name}` in later steps. They belong
    /// to the scenario, so a second `systems:` step keeps them.
    public private(set) var savedValues: [String: JSONValue] = [:]

    func save(_ value: JSONValue, as name: String) {
        savedValues[name] = value
    }

    /// A fresh seed derived from the scenario seed, different for each call but the same across runs.
    public func nextSeed() -> UInt64 {
        counter += 1
        var z = seed &+ counter &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func start(simulation: Simulation, engine: ProvisioningEngine, fakeOfSystem: [String: String], declaration: SystemsDeclaration,
               external: [String: String] = [:], redirected: [String: [String]] = [:]) async {
        // What the simulation before created in real services goes first.
        earlierCleanUp.append(await cleanUpExternal())
        await shutdown()
        provisioning = Provisioning(simulation: simulation, engine: engine, fakeOfSystem: fakeOfSystem, declaration: declaration)
        provisioning?.external = external
        provisioning?.redirected = redirected
    }

    func rememberExternal(system: String, type: EntityType, id: String) {
        provisioning?.createdExternally.append(ExternalEntity(system: system, type: type, id: id))
    }

    func forgetExternal(system: String, id: String) {
        provisioning?.createdExternally.removeAll { $0.system == system && $0.id == id }
    }


    /// Runs later jobs on `engine`, declared as `declaration`: same fakes, clock and store.
    func replace(engine: ProvisioningEngine, declaration: SystemsDeclaration) {
        provisioning?.engine = engine
        provisioning?.declaration = declaration
    }

    func attach(proxy: ScenarioProxy) {
        provisioning?.proxy = proxy
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
    func run(source: String, job: JobType, trigger: JobTrigger, triggeredBy: String? = nil) async -> JobLog? {
        guard let engine = provisioning?.engine, let store = provisioning?.simulation.store else { return nil }
        return await store.update { store in await engine.run(source: source, job: job, trigger: trigger, triggeredBy: triggeredBy, store: &store) }
    }

    /// Requests the running fakes have served so far (for progress lines).
    public func requestsServed() -> Int {
        guard let p = provisioning else { return 0 }
        return p.simulation.fleet.hosts.reduce(0) { $0 + $1.journal.lastSequence } + (p.proxy?.endpoint.host.journal.lastSequence ?? 0)
    }

    /// Stops the simulation; the runner calls it when the scenario ends (after `cleanUp`).
    public func shutdown() async {
        guard let p = provisioning else { return }
        provisioning = nil
        // To the end even while the run is being interrupted (the servers must let go their ports).
        await Task.detached { await p.simulation.stop() }.value
    }
}
