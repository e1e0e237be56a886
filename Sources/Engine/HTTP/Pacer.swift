import Chrono

/// Client-side pacing under a target's published limits, so that a well-configured job never
/// meets a 429: at most `maxConcurrent` requests in flight, at most `perSecond` started in any
/// second, at most `perWindow` started in any `windowSeconds` (all simulated time).
public struct PaceLimits: Sendable, Equatable {
    public var maxConcurrent: Int?
    public var perSecond: Int?
    public var perWindow: Int?
    public var windowSeconds: Double

    public init(maxConcurrent: Int? = nil, perSecond: Int? = nil, perWindow: Int? = nil, windowSeconds: Double = 3600) {
        self.maxConcurrent = maxConcurrent
        self.perSecond = perSecond
        self.perWindow = perWindow
        self.windowSeconds = windowSeconds
    }

    public static let none = PaceLimits()

    /// The published limits: AFC 3 concurrent and 10,000 per hour; XSUAA 3 per second.
    public static func published(for type: SystemType) -> PaceLimits {
        switch type {
        case .afc: return PaceLimits(maxConcurrent: 3, perWindow: 10_000, windowSeconds: 3600)
        case .xsuaa: return PaceLimits(perSecond: 3)
        case .identityDirectory, .scim, .cfPlatformMembers: return .none
        }
    }

    public var isEmpty: Bool { maxConcurrent == nil && perSecond == nil && perWindow == nil }
}

/// Admits requests under `PaceLimits`. `acquire` waits; every `acquire` is paired with `release`.
public actor Pacer {
    public let limits: PaceLimits
    private let clock: any SimulationClock
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var secondWindow: StartWindow?
    private var longWindow: StartWindow?

    public init(limits: PaceLimits, clock: any SimulationClock) {
        self.limits = limits
        self.clock = clock
        secondWindow = limits.perSecond.map { StartWindow(limit: $0, seconds: 1) }
        longWindow = limits.perWindow.map { StartWindow(limit: $0, seconds: limits.windowSeconds) }
    }

    public func acquire() async {
        while true {
            if let max = limits.maxConcurrent, inFlight >= max {
                await withCheckedContinuation { waiters.append($0) }
                continue
            }
            let now = clock.now()
            let wait = max(secondWindow?.wait(at: now) ?? 0, longWindow?.wait(at: now) ?? 0)
            // A cancelled caller's request fails at once; waiting for it would spin (sleeps return at once).
            if wait > 0, !Task.isCancelled {
                await clock.sleep(seconds: wait)
                continue
            }
            inFlight += 1
            secondWindow?.record(now)
            longWindow?.record(now)
            return
        }
    }

    public func release() {
        inFlight -= 1
        if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
}

/// The last `limit` start times: a new start is allowed once the oldest is `seconds` old.
struct StartWindow {
    let limit: Int
    let seconds: Double
    private var starts: [Double] = []
    private var head = 0

    init(limit: Int, seconds: Double) {
        self.limit = limit
        self.seconds = seconds
        starts.reserveCapacity(min(limit, 1 << 16))
    }

    /// Seconds to wait before a start at `now` keeps within the limit.
    func wait(at now: Double) -> Double {
        guard starts.count - head >= limit else { return 0 }
        // A small margin: the server measures arrival, which is a little later than our start.
        return max(0, starts[head] + seconds * 1.01 - now)
    }

    mutating func record(_ now: Double) {
        starts.append(now)
        if starts.count - head > limit { head += 1 }
        if head > 4096, head * 2 > starts.count {
            starts.removeFirst(head)
            head = 0
        }
    }
}
