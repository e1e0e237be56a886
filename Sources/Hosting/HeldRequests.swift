import Synchronization

/// Requests a fault holds: those a `hang` leaves unanswered, and those it slows down
/// (`latencyMs`). Each waits until its time is up or its server stops, so that stopping never
/// waits for them; a client that gave up earlier has left a half-closed connection that costs
/// nothing while it waits.
public final class HeldRequests: Sendable {
    private let state = Mutex<State>(State())

    private struct State {
        var stopped = false
        var next = 0
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
        /// Holds under way: a release outside them (a timer or a cancellation after the end) is void.
        var live: Set<Int> = []
        /// Live tickets released before they began to wait (a short hold, a cancelled caller).
        var expired: Set<Int> = []
    }

    /// How long a held request waits at most.
    public static let maximumSeconds = 600

    public init() {}

    /// Suspends until `releaseAll` or the time limit.
    public func hold() async {
        await hold(upTo: .seconds(Self.maximumSeconds))
    }

    /// Suspends for `duration`, or until `releaseAll` or the caller's cancellation.
    public func hold(upTo duration: Duration) async {
        let ticket = state.withLock { s -> Int? in
            guard !s.stopped else { return nil }
            s.next += 1
            s.live.insert(s.next)
            return s.next
        }
        guard let ticket else { return }
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: duration)) != nil else { return }  // cancelled: released already
            self?.release(ticket)
        }
        // A cancelled caller (an in-process client that gave up) stops waiting too.
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { s -> Bool in
                    if s.stopped || s.expired.remove(ticket) != nil { return true }
                    s.waiting[ticket] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: { [weak self] in
            self?.release(ticket)
        }
        timer.cancel()
        state.withLock { s in
            s.live.remove(ticket)
            s.expired.remove(ticket)
        }
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
        let waiting = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard let waiting = s.waiting.removeValue(forKey: ticket) else {
                if s.live.contains(ticket) { s.expired.insert(ticket) }
                return nil
            }
            return waiting
        }
        waiting?.resume()
    }
}
