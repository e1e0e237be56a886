import Engine
import Fakes

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

    /// Runs a job and keeps what it changed in the store.
    func run(source: String, job: JobType, trigger: JobTrigger) async -> JobLog? {
        guard var p = provisioning else { return nil }
        let log = await p.engine.run(source: source, job: job, trigger: trigger, store: &p.store)
        provisioning?.store = p.store
        return log
    }

    /// Requests the running fakes have served so far (for progress lines).
    public func requestsServed() -> Int {
        provisioning?.fleet.servers.reduce(0) { $0 + $1.host.journal.lastSequence } ?? 0
    }

    /// Stops the fakes and closes connections; the runner calls it when the scenario ends.
    public func shutdown() async {
        guard let p = provisioning else { return }
        provisioning = nil
        await p.transport.shutdown()
        await p.fleet.stop()
    }
}
