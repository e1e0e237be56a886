import Chrono

/// Simulated time for the engine: real time multiplied by the same scale the fakes run at, so a
/// 30-second retry interval or an hour-long request budget passes in a fraction of a second
/// when the fakes are time-scaled too.
public struct EngineClock: Sendable {
    /// Simulated seconds per real second.
    public let scale: Double
    private let start: ContinuousClock.Instant

    public init(scale: Double = 1) {
        // The same bounds as the fakes' clock; entry points refuse others with an error.
        self.scale = scale.isFinite ? min(max(scale, 1e-6), 1e6) : 1
        start = .now
    }

    /// Simulated seconds since the clock was made.
    public func now() -> Double {
        (ContinuousClock.now - start).inSeconds * scale
    }

    /// Sleeps for `seconds` of simulated time.
    public func sleep(seconds: Double) async {
        guard seconds > 0 else { return }
        try? await Task.sleep(for: .nanoseconds(Seconds.nanoseconds(seconds / scale)))
    }
}
