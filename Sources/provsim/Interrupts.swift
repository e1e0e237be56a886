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
