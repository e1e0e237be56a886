import Chrono
import JSON

extension BenchCommand.Transform {
    /// One timed pass of the bench over its input file, or several added up.
    struct Pass {
        var entities = 0
        var bytesIn = 0
        var bytesOut = 0
        var failed = 0
        var skipped = 0
        var raw = 0
        var seconds = 0.0
        /// Of `seconds`, the time the threads waited for lines to be read and split.
        var readingSeconds = 0.0

        /// Streams `file` through `transformer` once, counting what goes in and out.
        static func run(_ transformer: BatchTransformer, over file: StreamedInput) throws -> Pass {
            var pass = Pass()
            let started = ContinuousClock.now
            let batches = PrefetchedBatches(file.batches())
            var finished: LineBatchReader.Batch?
            while true {
                let reading = ContinuousClock.now
                guard let batch = try batches.next(finished: finished.take()) else { break }
                pass.readingSeconds += (ContinuousClock.now - reading).inSeconds
                transformer.process(batch)
                finished = batch
                for share in transformer.shares {
                    pass.entities += share.entities
                    pass.bytesIn += share.bytesIn
                    pass.bytesOut += share.output.count
                    pass.failed += share.failed
                    pass.skipped += share.skipped
                    pass.raw += share.rawEntities
                }
            }
            pass.seconds = (ContinuousClock.now - started).inSeconds
            return pass
        }

        static func + (a: Pass, b: Pass) -> Pass {
            Pass(entities: a.entities + b.entities, bytesIn: a.bytesIn + b.bytesIn, bytesOut: a.bytesOut + b.bytesOut,
                 failed: a.failed + b.failed, skipped: a.skipped + b.skipped, raw: a.raw + b.raw,
                 seconds: a.seconds + b.seconds, readingSeconds: a.readingSeconds + b.readingSeconds)
        }
    }
}
