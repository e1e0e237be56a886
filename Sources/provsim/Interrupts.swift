import Dispatch
import Foundation
import Synchronization

/// Signals turned into something to await: installed once, then `wait()` returns on the first one.
final class Interrupts: Sendable {
    private let stream: AsyncStream<Int32>
    /// Dispatch sources are thread-safe but not marked Sendable; the mutex makes that explicit.
    private let sources: Mutex<[any DispatchSourceSignal]>

    private init(stream: AsyncStream<Int32>, sources: sending [any DispatchSourceSignal]) {
        self.stream = stream
        self.sources = Mutex(sources)
    }

    /// Stops the default action of `signals` (termination) and records them from now on.
    static func catching(_ signals: [Int32]) -> Interrupts {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in signals {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            sources.append(source)
        }
        return Interrupts(stream: stream, sources: sources)
    }

    /// Returns the first signal received (at once if one came already).
    @discardableResult
    func wait() async -> Int32? {
        defer { sources.withLock { $0.forEach { $0.cancel() } } }
        for await signal in stream { return signal }
        return nil
    }
}

extension Interrupts {
    /// Runs `work` in a task of its own and cancels it at the first SIGINT or SIGTERM, after
    /// printing `notice`; a second SIGINT (Ctrl-C) ends the process at once, as it would without
    /// provsim. A later SIGTERM is ignored: CI runners send one soon after the SIGINT that cancels
    /// a job, and it must not cut the clean-up short. Returns what `work` returned and the
    /// signal, if one came.
    static func cancelling<T: Sendable>(notice: String, _ work: @escaping @Sendable () async -> T) async -> (value: T, signal: Int32?) {
        let interrupts = Interrupts.catching([SIGINT, SIGTERM])
        let task = Task { await work() }
        let watcher = Task { () -> Int32? in
            guard let received = await interrupts.wait() else { return nil }
            signal(SIGINT, SIG_DFL)
            Terminal.error(notice)
            task.cancel()
            return received
        }
        let value = await task.value
        watcher.cancel()
        let received = await watcher.value
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        return (value, received)
    }
}
