import Chrono
import Dispatch
import Foundation
import JSON
import Transformation

/// The benchmark loop, split over threads. Each thread owns its parser and output buffer.
struct TransformWorkload: Sendable {
    enum Mode: String { case parse = "parse only", parseAndTransform = "parse + transform", full = "parse + transform + serialize" }

    let bytes: [UInt8]
    let lines: [Range<Int>]
    let transformation: Transformation
    let entity: EntityType
    let context: TransformContext

    struct Result {
        var entities = 0
        var bytesIn = 0
        var bytesOut = 0
        var failed = 0
        var skipped = 0
        var seconds = 0.0
    }

    func timed(threads: Int, iterations: Int, mode: Mode) -> Result {
        let start = ContinuousClock.now
        var total = Result()
        for _ in 0..<iterations {
            let r = run(threads: threads, mode: mode)
            total.entities += r.entities
            total.bytesIn += r.bytesIn
            total.bytesOut += r.bytesOut
            total.failed += r.failed
            total.skipped += r.skipped
        }
        let elapsed = ContinuousClock.now - start
        total.seconds = elapsed.inSeconds
        return total
    }

    func run(threads: Int, mode: Mode) -> Result {
        let chunk = (lines.count + threads - 1) / threads
        let results = UnsafeMutableBufferPointer<Result>.allocate(capacity: threads)
        results.initialize(repeating: Result())
        defer { results.deallocate() }
        // concurrentPerform blocks until every worker finished; each writes only its own slot.
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            let range = min(worker * chunk, lines.count)..<min((worker + 1) * chunk, lines.count)
            slots[worker] = work(range, mode: mode)
        }
        return results.reduce(into: Result()) { total, r in
            total.entities += r.entities
            total.bytesIn += r.bytesIn
            total.bytesOut += r.bytesOut
            total.failed += r.failed
            total.skipped += r.skipped
        }
    }

    private func work(_ range: Range<Int>, mode: Mode) -> Result {
        var result = Result()
        let parser = JSONParser()
        let writer = JSONWriter()
        let out = JSONOutputBuffer(capacity: 4096)
        bytes.withUnsafeBufferPointer { buffer in
            for index in range {
                let line = lines[index]
                result.entities += 1
                result.bytesIn += line.count
                guard let value = try? parser.parse(UnsafeBufferPointer(rebasing: buffer[line])) else {
                    result.failed += 1
                    continue
                }
                if mode == .parse { continue }
                switch transformation.apply(value, as: entity, context: context) {
                case .transformed(let t):
                    if mode == .full {
                        out.removeAll()
                        writer.write(t.value, to: out)
                        result.bytesOut += out.count + 1
                    }
                case .skipped: result.skipped += 1
                case .failed: result.failed += 1
                }
            }
        }
        return result
    }
}
