import JSON
import Testing

@Suite("Line batch reader")
struct LineBatchReaderTests {
    /// A source that hands out `bytes` at most `step` bytes a call.
    private func reader(_ text: String, batchBytes: Int, step: Int = .max) -> LineBatchReader {
        let bytes = Array(text.utf8)
        var offset = 0
        return LineBatchReader(batchBytes: batchBytes) { buffer in
            let count = min(buffer.count, step, bytes.count - offset)
            for i in 0..<count { buffer[i] = bytes[offset + i] }
            offset += count
            return count
        }
    }

    /// With `recycling`, each batch's bytes are handed back once read, to be filled again.
    private func lines(_ text: String, batchBytes: Int, step: Int = .max, recycling: Bool = false) throws -> (lines: [(String, Int, Int)], batches: Int) {
        var reader = reader(text, batchBytes: batchBytes, step: step)
        var found: [(String, Int, Int)] = []
        var batches = 0
        while let batch = try reader.next() {
            batches += 1
            #expect(batch.bytes.last == UInt8(ascii: "\n") || reader.reachedEnd, "a batch ends at a line's end")
            for line in batch.lines { found.append((String(decoding: batch.bytes[line.range], as: UTF8.self), line.number, line.entry)) }
            if recycling { reader.recycle(batch.bytes) }
        }
        return (found, batches)
    }

    @Test func linesKeepTheirNumbersAndEntriesAcrossBatches() throws {
        let text = "a1\n\nb22\n   \nc333\nd4444"
        for batchBytes in [1, 2, 5, 8, 100] {
            for step in [1, 3, 1000] {
                let (found, batches) = try lines(text, batchBytes: batchBytes, step: step)
                #expect(found.map(\.0) == ["a1", "b22", "c333", "d4444"], "batch \(batchBytes) step \(step)")
                #expect(found.map(\.1) == [1, 3, 5, 6])
                #expect(found.map(\.2) == [0, 1, 2, 3])
                if batchBytes >= 100 { #expect(batches == 1) }
            }
        }
    }

    @Test func aLineLongerThanABatchStaysWhole() throws {
        let long = String(repeating: "x", count: 5000)
        for recycling in [false, true] {
            let (found, batches) = try lines("s\n\(long)\nt\n", batchBytes: 64, step: 700, recycling: recycling)
            #expect(found.map(\.0) == ["s", long, "t"])
            #expect(batches >= 2)
        }
    }

    @Test func emptyAndBlankInputs() throws {
        #expect(try lines("", batchBytes: 4).lines.isEmpty)
        let blank = try lines("\n \n\t\r\n", batchBytes: 2)
        #expect(blank.lines.isEmpty)
    }

    /// Any text, batched any way, gives back the same non-blank lines with the same numbers as splitting it whole.
    @Test func batchingNeverChangesTheLines() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet: [Character] = ["a", "{", "}", " ", "\n", "\n", "\r", "é"]
        for round in 0..<200 {
            // Some texts with long lines, so whole 32-byte blocks without a newline are skipped.
            let longRuns = round % 2 == 0
            let text = String((0..<next(300)).flatMap { _ in
                longRuns && next(8) == 0 ? Array(repeating: "a", count: next(90)) : [alphabet[next(alphabet.count)]]
            })
            // Split as bytes: a String would keep "\r\n" together as one Character.
            let expected = Array(text.utf8).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
                .filter { !$0.element.allSatisfy { [0x20, 0x09, 0x0D].contains($0) } }
                .map { (String(decoding: $0.element, as: UTF8.self), $0.offset + 1) }
            let (found, _) = try lines(text, batchBytes: 1 + next(40), step: 1 + next(50), recycling: next(2) == 0)
            #expect(found.map(\.0) == expected.map(\.0))
            #expect(found.map(\.1) == expected.map(\.1))
            #expect(found.map(\.2) == Array(0..<expected.count))
        }
    }
}
