import Chrono
import Engine
import Fakes
import Hosting
import JSON
import Proxy
import Simulation
import Synchronization
import Testing

/// One simulation: its scope always tears down, its engines share its clock, and its store
/// takes one writer at a time.
@Suite("Simulation")
struct SimulationTests {
    struct Stop: Error {}

    @Test func theScopeStopsTheSimulationEvenWhenItsBodyThrows() async throws {
        var configuration = SimulationConfiguration()
        configuration.fakes.services = ["xsuaa"]
        let started = Mutex<Simulation?>(nil)
        await #expect(throws: Stop.self) {
            try await Simulation.run(configuration) { simulation in
                started.withLock { $0 = simulation }
                #expect(!simulation.isStopped && simulation.fleet.servers.count == 1)
                throw Stop()
            }
        }
        let simulation = try #require(started.withLock { $0 })
        #expect(simulation.isStopped)
        // And a stopped simulation serves nothing more.
        let engine = simulation.engine(systems: try simulation.systems(json: try JSONParser.parse(#"{"systems": {"p": {"type": "xsuaa", "role": "proxy", "fake": "xsuaa", "properties": {"xsuaa.origin": "sap.default"}}}}"#)))
        let service = ProxyService(engine: engine, settings: ProxyServiceSettings(technicalUsers: []), realTime: nil, clock: simulation.clock, seed: 1)
        await #expect(throws: FakeServerError.self) { try await simulation.serveProxy(service, seed: 1, inboundLimit: false) }
    }

    @Test func enginesRunOnTheSimulationsClockSoAdvanceMovesBoth() async throws {
        var configuration = SimulationConfiguration()
        configuration.fakes.services = ["xsuaa"]
        configuration.transport = .inProcess
        try await Simulation.run(configuration) { simulation in
            let systems = try simulation.systems(json: try JSONParser.parse(#"{"systems": {"t": {"type": "xsuaa", "role": "target", "fake": "xsuaa", "properties": {"xsuaa.origin": "sap.custom"}}}}"#))
            let engine = simulation.engine(systems: systems)
            #expect((engine.clock as? SimulatedClock) === simulation.clock)
            let before = engine.clock.now()
            simulation.clock.advance(seconds: 3600)
            #expect(engine.clock.now() - before >= 3600)
        }
    }

    @Test func systemsNameTheFakesThatAreNotStarted() async throws {
        var configuration = SimulationConfiguration()
        configuration.fakes.services = ["xsuaa"]
        configuration.transport = .inProcess
        try await Simulation.run(configuration) { simulation in
            #expect(throws: SystemsError.self) {
                try simulation.systems(json: try JSONParser.parse(#"{"systems": {"t": {"type": "afc", "role": "target", "fake": "afc"}}}"#))
            }
            do {
                _ = try simulation.systems(json: try JSONParser.parse(#"{"systems": {"t": {"type": "afc", "role": "target", "fake": "afc"}}}"#))
            } catch {
                #expect("\(error)".contains("the fake 'afc' is not started (started: xsuaa)"))
            }
        }
    }

    @Test func theStoreTakesOneWriterAtATime() async {
        let store = SharedOperationalStore()
        // Each writer reads the store, suspends, and writes what it read plus one: interleaved
        // writers would lose updates.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    await store.update { state in
                        let seen = state.sources.count
                        await Task.yield()
                        state.sources["source-\(seen)"] = OperationalStore.SourceState()
                    }
                }
            }
        }
        #expect(await store.snapshot.sources.count == 20)
    }
}
