import Chrono
import JSON
import Synchronization

/// The limits a fake enforces, all in simulated time (see `SimulatedClock`).
public struct RateLimits: Sendable, Equatable {
    /// At most `requests` per sliding `windowSeconds` (AFC: 10,000 per 3,600).
    public var windowRequests: Int?
    public var windowSeconds: Double
    /// Beyond this many requests in the window, each is slowed down by `slowDelaySeconds`
    /// (IPS's inbound limit: 150 per minute, then slowed; 200 per minute, then 429).
    public var slowAfter: Int?
    public var slowDelaySeconds: Double
    /// At most this many requests in flight (AFC: 3).
    public var maxConcurrent: Int?
    /// At most this many requests started in any second (a burst of that many starts at once),
    /// with up to `queueDepth` waiting for a slot (XSUAA: 3 per second, beyond that queued, then 429).
    public var perSecond: Double?
    public var queueDepth: Int
    /// Paths not counted (the token endpoint).
    public var exemptPaths: [String]

    public init(windowRequests: Int? = nil, windowSeconds: Double = 3600, slowAfter: Int? = nil, slowDelaySeconds: Double = 0,
                maxConcurrent: Int? = nil, perSecond: Double? = nil, queueDepth: Int = 0, exemptPaths: [String] = ["/oauth/token"]) {
        self.windowRequests = windowRequests
        self.windowSeconds = windowSeconds
        self.slowAfter = slowAfter
        self.slowDelaySeconds = slowDelaySeconds
        self.maxConcurrent = maxConcurrent
        self.perSecond = perSecond
        self.queueDepth = queueDepth
        self.exemptPaths = exemptPaths
    }

    public static let none = RateLimits()

    public var isEmpty: Bool { windowRequests == nil && slowAfter == nil && maxConcurrent == nil && perSecond == nil }

    public var json: JSONValue {
        var m: [(String, JSONValue)] = []
        if let windowRequests { m += [("windowRequests", JSONValue(windowRequests)), ("windowSeconds", JSONNumber(windowSeconds).map(JSONValue.number) ?? .null)] }
        if let slowAfter { m += [("slowAfter", JSONValue(slowAfter)), ("slowDelaySeconds", JSONNumber(slowDelaySeconds).map(JSONValue.number) ?? .null)] }
        if let maxConcurrent { m.append(("maxConcurrent", JSONValue(maxConcurrent))) }
        if let perSecond { m += [("perSecond", JSONNumber(perSecond).map(JSONValue.number) ?? .null), ("queueDepth", JSONValue(queueDepth))] }
        m.append(("exemptPaths", .array(exemptPaths.map(JSONValue.string))))
        return .object(JSONObject(m))
    }

    /// Reads the control API's form; every value is checked against `RateLimits.ranges`.
    public init(json: JSONValue) throws(FakeRequestError) {
        let r = RateLimits.ranges
        let f = try ControlFields(json, context: "limits", known: ["windowRequests", "windowSeconds", "slowAfter", "slowDelaySeconds", "maxConcurrent", "perSecond", "queueDepth", "exemptPaths"])
        self.init(
            windowRequests: try f.int("windowRequests", in: r.windowRequests),
            windowSeconds: try f.double("windowSeconds", in: r.windowSeconds) ?? 3600,
            slowAfter: try f.int("slowAfter", in: r.slowAfter),
            slowDelaySeconds: try f.double("slowDelaySeconds", in: r.slowDelaySeconds) ?? 0,
            maxConcurrent: try f.int("maxConcurrent", in: r.maxConcurrent),
            perSecond: try f.double("perSecond", in: r.perSecond),
            queueDepth: try f.int("queueDepth", in: r.queueDepth) ?? 0,
            exemptPaths: try f.strings("exemptPaths") ?? ["/oauth/token"])
    }

    /// What the control API accepts: wide enough for any real service's limit, narrow enough that
    /// no arithmetic on them (windows in milliseconds, queues, Retry-After) can overflow.
    public static let ranges = (
        windowRequests: 1...100_000_000, windowSeconds: 0.001...31_536_000.0, slowAfter: 0...100_000_000,
        slowDelaySeconds: 0...3600.0, maxConcurrent: 1...100_000, perSecond: 0.001...1_000_000.0, queueDepth: 0...1_000_000)
}

/// Admits or rejects requests under `RateLimits`.
public final class RateLimiter: Sendable {
    public enum Decision: Sendable, Equatable {
        /// Go ahead, after waiting this many simulated seconds (queued by the per-second limit).
        case admitted(waitSeconds: Double)
        /// Refuse with 429; `Retry-After` in simulated seconds.
        case rejected(retryAfter: Int, reason: String)
        /// Not counted (an exempt path such as the token endpoint); nothing to release.
        case exempt
    }

    private let clock: SimulatedClock
    private let state: Mutex<State>

    private struct State {
        var limits: RateLimits
        var window: [Double] = []  // start times in the sliding window, oldest first
        var windowHead = 0
        var inFlight = 0
        var starts: [Double] = []  // recent and scheduled start times under the per-second limit, ascending

        /// Whether a limit counts requests in the sliding window (the hard one or the slow-down).
        var countsWindow: Bool { limits.windowRequests != nil || limits.slowAfter != nil }

        /// Requests in the window ending `now`, after dropping older ones.
        mutating func windowCount(at now: Double) -> Int {
            while windowHead < window.count, window[windowHead] <= now - limits.windowSeconds { windowHead += 1 }
            if windowHead > 4096 {
                window.removeFirst(windowHead)
                windowHead = 0
            }
            return window.count - windowHead
        }
    }

    public init(limits: RateLimits, clock: SimulatedClock) {
        self.clock = clock
        state = Mutex(State(limits: limits))
    }

    public var limits: RateLimits {
        get { state.withLock { $0.limits } }
    }

    public func setLimits(_ limits: RateLimits) {
        state.withLock { s in
            s.limits = limits
            s.window.removeAll()
            s.windowHead = 0
            s.starts.removeAll()
        }
    }

    /// Admits a request to `path` (counting it as in flight) or refuses it. Admitted requests must
    /// be released; exempt ones not.
    public func admit(path: String? = nil) -> Decision {
        let now = clock.now()
        return state.withLock { s in
            if let path, s.limits.exemptPaths.contains(where: { FaultRule.glob($0, path) }) { return .exempt }
            if let max = s.limits.maxConcurrent, s.inFlight >= max {
                return .rejected(retryAfter: 1, reason: "more than \(max) concurrent requests")
            }
            let inWindow = s.countsWindow ? s.windowCount(at: now) : 0
            if let limit = s.limits.windowRequests, inWindow >= limit {
                let oldest = s.windowHead < s.window.count ? s.window[s.windowHead] : now
                let retry = Seconds.wholeUp(oldest + s.limits.windowSeconds - now)
                return .rejected(retryAfter: max(1, retry), reason: "more than \(limit) requests in \(Seconds.text(s.limits.windowSeconds)) s")
            }
            var wait = 0.0
            if let soft = s.limits.slowAfter, inWindow >= soft { wait = s.limits.slowDelaySeconds }
            if let rate = s.limits.perSecond, rate > 0 {
                // Up to `rate` requests start within any second at once; later ones wait for a
                // start a second after the one `rate` places earlier, at most `queueDepth` waiting.
                let burst = max(1, Seconds.wholeDown(rate))
                let span = Double(burst) / rate
                while let first = s.starts.first, first <= now - span, s.starts.count > burst { s.starts.removeFirst() }
                let start = s.starts.count >= burst ? max(now, s.starts[s.starts.count - burst] + span) : now
                let queued = start - now
                if queued > 1e-9, s.starts.filter({ $0 > now }).count >= s.limits.queueDepth {
                    return .rejected(retryAfter: max(1, Seconds.wholeUp(queued)), reason: "more than \(Seconds.text(rate)) requests per second")
                }
                wait = max(wait, queued)
                s.starts.append(start)
                let keep = burst + s.limits.queueDepth
                if s.starts.count > 4 * burst + s.limits.queueDepth { s.starts.removeFirst(max(0, s.starts.count - keep)) }
            }
            if s.countsWindow { s.window.append(now + wait) }
            s.inFlight += 1
            return .admitted(waitSeconds: wait)
        }
    }

    public func release() {
        state.withLock { $0.inFlight = max(0, $0.inFlight - 1) }
    }

    public var inFlight: Int { state.withLock { $0.inFlight } }
}
