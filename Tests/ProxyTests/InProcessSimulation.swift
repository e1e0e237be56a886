import Simulation

extension Simulation {
    /// Fakes in process for proxy tests: no sockets, so nothing to tear down.
    static func inProcess(_ services: [String], rateLimits: Bool = false, timeScale: Double = 1) async throws -> Simulation {
        var configuration = SimulationConfiguration()
        configuration.fakes.services = services
        configuration.fakes.rateLimits = rateLimits
        configuration.fakes.timeScale = timeScale
        configuration.transport = .inProcess
        return try await Simulation.start(configuration)
    }
}
