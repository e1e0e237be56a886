import Chrono
#if canImport(Glibc)
import Glibc
#endif
import Engine
import Fakes
import Hosting
import JSON
import Simulation
import Synchronization
import Testing

/// One simulation: its scope always tears down, its engines share its clock, and its store
/// takes one writer at a time.
@Suite("Simulation")
struct SimulationTests {
    struct Stop: Error {}

    @Test func theScopeStopsTheFakesEvenWhenItsBodyThrows() async throws {
        var configuration = SimulationConfiguration()
        configuration.fakes.services = ["xsuaa"]
        let url = Mutex<String?>(nil)
        await #expect(throws: Stop.self) {
            try await Simulation.run(configuration) { simulation in
                let base = try #require(simulation.host("xsuaa")?.baseURL)
                url.withLock { $0 = base }
                #expect(Self.connects(port: Int(base.split(separator: ":").last ?? "") ?? 0), "the fake listens while the scope runs")
                throw Stop()
            }
        }
        let base = try #require(url.withLock { $0 })
        let port = try #require(base.split(separator: ":").last.flatMap { Int($0) })
        #expect(Self.connects(port: port) == false, "the fake still listens on \(port)")
    }

    /// Whether a TCP connection to 127.0.0.1:`port` is accepted (refused at once when nothing listens).
    static func connects(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
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
