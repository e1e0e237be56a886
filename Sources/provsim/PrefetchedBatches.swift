import Dispatch
import JSON

/// Batches of lines, the next one read on another thread while the caller transforms the current
/// one, so reading and splitting lines is not a serial step between batches.
final class PrefetchedBatches: @unchecked Sendable {
    // `reader` and `outcome` are touched by one prefetch at a time, and by `next` only after
    // waiting for it: the group's wait orders the accesses.
    private var reader: LineBatchReader
    private var outcome: Result<LineBatchReader.Batch?, any Error> = .success(nil)
    private var prefetch: DispatchGroup?

    init(_ reader: LineBatchReader) {
        self.reader = reader
        start()
    }

    private func start() {
        let group = DispatchGroup()
        prefetch = group
        DispatchQueue.global().async(group: group) { [self] in
            outcome = Result { try reader.next() }
        }
    }

    /// The next batch, or `nil` at the end; starts reading the one after it. `finished`, the
    /// batch before, is done with: its memory is filled again.
    func next(finished: consuming LineBatchReader.Batch? = nil) throws -> LineBatchReader.Batch? {
        guard let prefetch else { return nil }
        prefetch.wait()
        if let finished { reader.recycle(finished.bytes) }
        let batch = try outcome.get()
        if batch == nil { self.prefetch = nil } else { start() }
        return batch
    }
}
