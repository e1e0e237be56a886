/// The time one simulation runs on, shared by the fakes and the engine: `advance` moves rate-limit
/// windows, token expiry and pacing for both, and timestamps come from the same source.
///
/// The engine sees only this protocol, so a test can hand it a clock of its own.
public protocol SimulationClock: Sendable {
    /// Simulated seconds per real second.
    var scale: Double { get }
    /// Simulated seconds since the clock started.
    func now() -> Double
    /// Sleeps for `seconds` of simulated time.
    func sleep(seconds: Double) async
    /// Milliseconds since 1970 for a log entry, without consuming a timestamp tick.
    func milliseconds() -> Int
}
