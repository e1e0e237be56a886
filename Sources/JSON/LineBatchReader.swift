/// Reads a byte stream in batches of whole lines, so NDJSON of any length is processed in memory
/// that does not grow with it: about `batchBytes` at a time, more only for a line that is longer.
/// Each line keeps its 1-based number in the whole stream, and each non-blank line its 0-based
/// entry index, so messages and per-entity seeds are the same as when the input is read whole.
public struct LineBatchReader {
    /// One line of a batch, without its newline.
    public struct Line: Sendable, Equatable {
        public let range: Range<Int>
        /// The 1-based line number in the stream.
        public let number: Int
        /// The 0-based index among the stream's non-blank lines.
        public let entry: Int
    }

    /// Whole lines of the stream; blank lines are counted in line numbers but not listed.
    public struct Batch: Sendable {
        public var bytes: [UInt8]
        public var lines: [Line]
    }

    /// Fills the buffer from the front and returns how many bytes it read: 0 at the end of the stream.
    public typealias Source = (UnsafeMutableBufferPointer<UInt8>) throws -> Int

    private let source: Source
    private let batchBytes: Int
    private var carried: [UInt8] = []
    private var chunk: [UInt8]
    /// Byte arrays of batches handed back (`recycle`), filled again instead of fresh ones: a new
    /// array of megabytes is new pages, and faulting them in cost as much as splitting the lines.
    private var spare: [[UInt8]] = []
    private var nextLine = 1
    private var nextEntry = 0
    /// Whether the source has reported its end.
    public private(set) var reachedEnd = false

    public init(batchBytes: Int = 1 << 22, source: @escaping Source) {
        self.batchBytes = max(batchBytes, 1)
        self.source = source
        // Small enough to stay in the core's cache between the read and the copy into the batch.
        chunk = [UInt8](repeating: 0, count: min(max(batchBytes, 1), 1 << 18))
    }

    /// The next batch, or `nil` when the stream is exhausted.
    public mutating func next() throws -> Batch? {
        var bytes = spare.popLast() ?? []
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(batchBytes + chunk.count)
        bytes += carried
        carried.removeAll(keepingCapacity: true)
        // What was carried is what followed the last newline: it holds none.
        var lastNewline: Int?
        while !reachedEnd && (bytes.count < batchBytes || lastNewline == nil) {
            let start = bytes.count
            let read = try chunk.withUnsafeMutableBufferPointer { try source($0) }
            guard read > 0 else {
                reachedEnd = true
                break
            }
            bytes.append(contentsOf: chunk[0..<min(read, chunk.count)])
            if let newline = bytes[start...].lastIndex(of: UInt8(ascii: "\n")) { lastNewline = newline }
        }
        if !reachedEnd, let lastNewline {
            carried += bytes[(lastNewline + 1)...]
            bytes.removeSubrange((lastNewline + 1)...)
        }
        guard !bytes.isEmpty else { return nil }
        return Batch(bytes: bytes, lines: split(bytes))
    }

    /// Hands back the bytes of a batch that is done with, for a later batch to fill.
    public mutating func recycle(_ bytes: consuming [UInt8]) {
        if spare.count < 2 { spare.append(bytes) }
    }

    private mutating func split(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            var start = 0
            while start < count {
                let end = ByteScan.index(of: UInt8(ascii: "\n"), in: base, from: start, count: count)
                var nonBlank = start
                while nonBlank < end, JSONLines.isBlank(base[nonBlank]) { nonBlank += 1 }
                if nonBlank < end {
                    lines.append(Line(range: start..<end, number: nextLine, entry: nextEntry))
                    nextEntry += 1
                }
                nextLine += 1
                start = end + 1
            }
        }
        return lines
    }
}
