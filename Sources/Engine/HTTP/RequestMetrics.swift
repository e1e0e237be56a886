import Synchronization

/// Counts what one system's client did: requests by status, retries, token refreshes, and the
/// simulated start time of every request (the request-rate curve against a limit).
public final class RequestMetrics: Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var requests = 0
        public var retries = 0
        public var tooManyRequests = 0
        public var timeouts = 0
        public var connectionErrors = 0
        public var tokenRefreshes = 0
        public var byStatus: [Int: Int] = [:]
        /// Simulated seconds (engine clock) at which each request started.
        public var startTimes: [Double] = []

        /// Nothing counted yet (a system the job sent nothing).
        public init() {}
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func started(at time: Double) {
        state.withLock { $0.requests += 1; $0.startTimes.append(time) }
    }

    func finished(_ outcome: Result<Int, TransportError>) {
        state.withLock { s in
            switch outcome {
            case .success(let status):
                s.byStatus[status, default: 0] += 1
                if status == 429 { s.tooManyRequests += 1 }
            case .failure(.timeout): s.timeouts += 1
            case .failure(.connection): s.connectionErrors += 1
            }
        }
    }

    func retried() { state.withLock { $0.retries += 1 } }
    func refreshedToken() { state.withLock { $0.tokenRefreshes += 1 } }
}

extension RequestMetrics.Snapshot {
    /// What happened after `earlier` was taken (the requests of one job).
    public func since(_ earlier: RequestMetrics.Snapshot) -> RequestMetrics.Snapshot {
        var d = RequestMetrics.Snapshot()
        d.requests = requests - earlier.requests
        d.retries = retries - earlier.retries
        d.tooManyRequests = tooManyRequests - earlier.tooManyRequests
        d.timeouts = timeouts - earlier.timeouts
        d.connectionErrors = connectionErrors - earlier.connectionErrors
        d.tokenRefreshes = tokenRefreshes - earlier.tokenRefreshes
        for (status, n) in byStatus where n - (earlier.byStatus[status] ?? 0) > 0 { d.byStatus[status] = n - (earlier.byStatus[status] ?? 0) }
        d.startTimes = Array(startTimes.dropFirst(earlier.startTimes.count))
        return d
    }
}
