import Synchronization

/// Requests a `hang` fault leaves unanswered. Each waits until its server stops, or at most
/// `maximumSeconds`; a client that gave up earlier has left a half-closed connection that costs
/// nothing while it waits.
public final class HeldRequests: Sendable {
    private let state = Mutex<State>(State())

    private struct State {
        var stopped = false
        var next = 0
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    /// How long a held request waits at most.
    public static let maximumSeconds = 600

    public init() {}

    /// Suspends until `releaseAll` or the time limit.
    public func hold() async {
        let ticket = state.withLock { s -> Int? in
            guard !s.stopped else { return nil }
            s.next += 1
            return s.next
        }
        guard let ticket else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .seconds(HeldRequests.maximumSeconds))
            self?.release(ticket)
        }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { s -> Bool in
                if s.stopped { return true }
                s.waiting[ticket] = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer.cancel()
    }

    /// Ends every hold, now and for requests still to come (the server is stopping).
    public func releaseAll() {
        let waiting = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.stopped = true
            defer { s.waiting.removeAll() }
            return Array(s.waiting.values)
        }
        for continuation in waiting { continuation.resume() }
    }

    private func release(_ ticket: Int) {
        state.withLock { $0.waiting.removeValue(forKey: ticket) }?.resume()
    }
}
