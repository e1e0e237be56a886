import Synchronization

/// The clock of one simulation, shared by its fakes and its engine.
///
/// *Simulated time* drives rate-limit windows and token expiry: real elapsed time multiplied by
/// `scale` (an hour of AFC budget can pass in a second), plus whatever `advance` added.
/// *Timestamps* (`meta.created`, `lastModified`) come from the wall clock, or — in deterministic
/// mode — from a fixed start that moves one millisecond per timestamp and with `advance`, so two
/// runs produce identical resources.
public final class SimulatedClock: SimulationClock {
    public let scale: Double
    public let deterministic: Bool
    private let started = ContinuousClock.now
    private let startedWallSeconds = SimulatedClock.wallMilliseconds() / 1000
    private let state: Mutex<State>

    private struct State {
        var advanced: Double = 0
        var ticks = 0
        var lastTimestamp = 0
    }

    /// The deterministic clock starts here: 2025-01-01T00:00:00Z.
    public static let deterministicStart = 1_735_689_600_000

    /// The time scales a clock accepts; entry points refuse others with an error, and a clock
    /// given one anyway clamps it (non-finite becomes 1).
    public static let scales = 0.000_001...1_000_000.0
    /// How far simulated time may be advanced in all (about 317 years): far beyond any scenario,
    /// and small enough that timestamps in milliseconds stay exact.
    public static let maximumAdvance = 10_000_000_000.0

    public init(scale: Double = 1, deterministic: Bool = false) {
        self.scale = scale.isFinite ? min(max(scale, SimulatedClock.scales.lowerBound), SimulatedClock.scales.upperBound) : 1
        self.deterministic = deterministic
        state = Mutex(State())
    }

    /// Simulated seconds since the clock was created.
    public func now() -> Double {
        (ContinuousClock.now - started).inSeconds * scale + state.withLock { $0.advanced }
    }

    /// Moves simulated time (and timestamps) forward.
    public func advance(seconds: Double) {
        guard seconds > 0 else { return }  // also NaN
        state.withLock { $0.advanced = min($0.advanced + seconds, SimulatedClock.maximumAdvance) }
    }

    /// Milliseconds since 1970 for resource timestamps; strictly increasing, so every change has a
    /// distinct `lastModified` (delta reads depend on it).
    public func timestamp() -> Int {
        let wall = deterministic ? 0 : SimulatedClock.wallMilliseconds()
        return state.withLock { s in
            s.ticks += 1
            let candidate = deterministic
                ? SimulatedClock.deterministicStart + s.ticks + Seconds.milliseconds(s.advanced)
                : wall + Seconds.milliseconds(s.advanced)
            s.lastTimestamp = max(candidate, s.lastTimestamp + 1)
            return s.lastTimestamp
        }
    }

    /// Milliseconds since 1970 now, without moving the deterministic clock (for the journal:
    /// reading requests must not change the timestamps resources get).
    public func milliseconds() -> Int {
        if deterministic { return state.withLock { SimulatedClock.deterministicStart + $0.ticks + Seconds.milliseconds($0.advanced) } }
        return SimulatedClock.wallMilliseconds() + Seconds.milliseconds(state.withLock { $0.advanced })
    }

    /// The current time as epoch seconds, for token `iat`/`exp` claims.
    public func epochSeconds() -> Int {
        (deterministic ? SimulatedClock.deterministicStart / 1000 : startedWallSeconds) + Seconds.wholeDown(now())
    }

    /// Real seconds that correspond to `simulated` seconds (for sleeping).
    public func realSeconds(forSimulated simulated: Double) -> Double {
        simulated / scale
    }

    /// Sleeps for `seconds` of simulated time (real time over the scale; an `advance` meanwhile
    /// does not cut the sleep short).
    public func sleep(seconds: Double) async {
        guard seconds > 0 else { return }  // also NaN
        try? await Task.sleep(for: .nanoseconds(Seconds.nanoseconds(realSeconds(forSimulated: seconds))))
    }

    static func wallMilliseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
