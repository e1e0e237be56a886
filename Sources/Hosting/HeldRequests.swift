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
            return s.next
        }
        guard let ticket else { return }
        var timer: Task<Void, Never>?
        // A cancelled caller (an in-process client that gave up) stops waiting too: cancelled
        // before the wait is stored, it is seen under the lock; after, `onCancel` finds the wait.
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let waits = state.withLock { s -> Bool in
                    guard !s.stopped, !Task.isCancelled else { return false }
                    s.waiting[ticket] = continuation
                    return true
                }
                guard waits else { return continuation.resume() }
                // Started once the wait is stored, so its release always finds it (or nothing).
                timer = Task { [weak self] in
                    guard (try? await Task.sleep(for: duration)) != nil else { return }  // cancelled: released already
                    self?.release(ticket)
                }
            }
        } onCancel: { [weak self] in
            self?.release(ticket)
        }
        timer?.cancel()
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

    /// Ends one hold; a hold that ended already is not there, and nothing happens.
    private func release(_ ticket: Int) {
        state.withLock { $0.waiting.removeValue(forKey: ticket) }?.resume()
    }
}
