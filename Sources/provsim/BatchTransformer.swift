import Dispatch
import JSON
import JSONPath
import Synchronization
import Transformation

/// Transforms NDJSON batches on several threads. A batch is cut into contiguous chunks, each with
/// its own output buffer (a share); the threads, each with its own parser and transformation (a
/// worker), take chunks as they become free, and the shares joined in order are the output in
/// the input's order.
/// `provsim transform` writes the output; `provsim bench transform` counts it.
final class BatchTransformer: @unchecked Sendable {
    /// How far each entity goes: the bench times the phases apart.
    enum Mode: String {
        case parse = "parse only"
        case parseAndTransform = "parse + transform"
        case full = "parse + transform + serialize"
    }

    /// Something to say about one entity, on standard error.
    struct Message {
        let line: Int
        let text: String
        let failed: Bool
    }

    /// What one thread transforms with: its own compiled copy of the transformation, parser and
    /// scratch. Threads that shared one would contend on the reference counts of its rules.
    final class Worker {
        let transformation: Transformation
        /// Text to text for the entities it can take (full mode only).
        let rawPlan: RawPlan?
        /// The context, with variables of this thread's own (see `unshared`).
        let context: TransformContext
        fileprivate let parser = JSONParser()
        fileprivate let raw = RawPlan.Scratch()

        fileprivate init(transformation: Transformation, rawPlan: RawPlan?, context: TransformContext) {
            (self.transformation, self.rawPlan, self.context) = (transformation, rawPlan, context)
        }
    }

    /// What one chunk of a batch made: its output and what there is to say about it.
    final class Share {
        let output = JSONOutputBuffer(capacity: 1 << 16)
        /// Entities the raw path took (the rest were parsed and transformed as values).
        var rawEntities = 0
        var messages: [Message] = []
        var entities = 0
        var bytesIn = 0
        var failed = 0
        var skipped = 0

        /// Counts a line that is not JSON, and says where.
        func invalidJSON(_ error: JSONParseError, line: Int) {
            failed += 1
            messages.append(Message(line: line, text: "invalid JSON at column \(error.column): \(error.message)", failed: true))
        }

        fileprivate func reset() {
            output.removeAll()
            messages.removeAll(keepingCapacity: true)
            (entities, bytesIn, failed, skipped, rawEntities) = (0, 0, 0, 0, 0)
        }
    }

    let entity: EntityType
    /// With a seed, entity n gets `seed + n` for `randomPassword`, however the input is batched.
    let seed: UInt64?
    let mode: Mode
    /// Whether warnings become messages (the bench does not collect them).
    let reportsWarnings: Bool
    /// One per chunk of a batch, reused batch after batch; joined in order they are the output.
    let shares: [Share]
    /// One per thread.
    let workers: [Worker]
    let threads: Int

    /// A batch is cut into this many chunks per thread, which the threads take as they become
    /// free: on a busy machine one thread may be descheduled (or share its core with the
    /// reader), and the other waits for it at the end of every batch for as long as its last
    /// chunk takes. With 4 chunks per thread, two threads ran at 1.7 times one; with 16, 1.86.
    static let chunksPerThread = 16

    /// `compile` is called once per thread.
    init(compile: () throws -> Transformation, entity: EntityType, context: TransformContext, seed: UInt64?,
         threads: Int, mode: Mode = .full, reportsWarnings: Bool = true, rawPath: Bool = true) rethrows {
        self.entity = entity
        self.seed = seed
        self.mode = mode
        self.reportsWarnings = reportsWarnings
        self.threads = max(threads, 1)
        workers = try (0..<self.threads).map { _ in
            let transformation = try compile()
            let rawPlan = mode == .full && rawPath ? transformation.rawPlan(for: entity, operation: context.operation) : nil
            return Worker(transformation: transformation, rawPlan: rawPlan, context: Self.unshared(context))
        }
        shares = (0..<(self.threads == 1 ? 1 : self.threads * Self.chunksPerThread)).map { _ in Share() }
    }

    /// Transforms `batch`; afterwards `shares` hold its output and messages, in order.
    func process(_ batch: LineBatchReader.Batch) {
        let lines = batch.lines
        let chunks = min(shares.count, max(lines.count, 1))
        let size = (lines.count + chunks - 1) / chunks
        for share in shares { share.reset() }
        let taken = Atomic<Int>(0)
        batch.bytes.withUnsafeBufferPointer { buffer in
            // Each chunk is taken by one thread and written only to its own share;
            // concurrentPerform returns when all threads are done.
            nonisolated(unsafe) let bytes = buffer
            // Each iteration runs once, so no two threads use one worker at a time.
            DispatchQueue.concurrentPerform(iterations: min(threads, chunks)) { worker in
                while true {
                    let chunk = taken.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard chunk < chunks else { return }
                    let range = min(chunk * size, lines.count)..<min((chunk + 1) * size, lines.count)
                    work(lines[range], in: bytes, worker: workers[worker], share: shares[chunk])
                }
            }
        }
    }

    /// `context` with every variable rebuilt from its text: threads that share a value's storage
    /// contend on its reference count each time an entity copies the variables.
    static func unshared(_ context: TransformContext) -> TransformContext {
        var copy = context
        copy.variables = VariableBindings(context.variables.all.map { binding in
            (String(decoding: Array(binding.name.utf8), as: UTF8.self), (try? JSONParser.parse(JSONWriter().bytes(binding.value))) ?? binding.value)
        })
        return copy
    }

    private func work(_ lines: ArraySlice<LineBatchReader.Line>, in bytes: UnsafeBufferPointer<UInt8>, worker: Worker, share: Share) {
        let writer = JSONWriter()
        var context = worker.context
        // Counted in locals: a class's properties pay an exclusivity check on every change.
        var (bytesIn, rawEntities) = (0, 0)
        defer {
            share.entities += lines.count
            share.bytesIn += bytesIn
            share.rawEntities += rawEntities
        }
        for line in lines {
            bytesIn += line.range.count
            let text = UnsafeBufferPointer(rebasing: bytes[line.range])
            if let seed { context.randomSeed = seed &+ UInt64(line.entry) }
            if let rawPlan = worker.rawPlan, rawPlan.transform(text, context: context, scratch: worker.raw, into: share.output) {
                share.output.append(UInt8(ascii: "\n"))
                rawEntities += 1
                continue
            }
            let value: JSONValue
            do throws(JSONParseError) {
                value = try worker.parser.parse(text)
            } catch {
                share.invalidJSON(error, line: line.number)
                continue
            }
            if mode == .parse { continue }
            apply(value, line: line.number, context: context, worker: worker, share: share, writer: writer)
        }
    }

    /// Applies the transformation to one parsed entity and records, in `share`, its output (one
    /// line, in full mode) and what there is to say about it.
    func apply(_ value: JSONValue, line: Int, context: TransformContext, worker: Worker, share: Share, writer: JSONWriter) {
        switch worker.transformation.apply(value, as: entity, context: context) {
        case .transformed(let transformed):
            if mode == .full {
                writer.write(transformed.value, to: share.output)
                share.output.append(UInt8(ascii: "\n"))
            }
            if reportsWarnings {
                for warning in transformed.warnings { share.messages.append(Message(line: line, text: "warning: \(warning)", failed: false)) }
            }
        case .skipped(let reason):
            share.skipped += 1
            share.messages.append(Message(line: line, text: "skipped: \(reason)", failed: false))
        case .failed(let failure):
            share.failed += 1
            share.messages.append(Message(line: line, text: "failed: \(failure)", failed: true))
        }
    }
}
