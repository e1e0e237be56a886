/// The targets a campaign covers: every parser and file format, and every fake's routes, in
/// process and over loopback HTTP.
public enum FuzzTargets {
    /// The services whose routes are fuzzed (the proxy stands for IPS's proxy and real-time APIs).
    public static let services = ["identity-directory", "afc", "uaa", "xsuaa", "cf", "proxy"]

    public static func all(seed: UInt64, scenarioSamples: [String], answerSeconds: Double = 30) -> [any FuzzTarget] {
        let fleet = SharedFleet(seed: seed)
        var targets: [any FuzzTarget] = ParserTargets.all(scenarioSamples: scenarioSamples)
        targets += services.map { FakeRouteTarget(service: $0, fleet: fleet) }
        targets += services.map { LoopbackHTTPTarget(service: $0, fleet: fleet, answerSeconds: answerSeconds) }
        return targets
    }
}
