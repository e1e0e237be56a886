import Testing
@testable import JSON

@Suite("Byte scan")
struct ByteScanTests {
    /// The first flagged byte is always the first byte that needs attention, whatever follows it.
    @Test func theFirstFlaggedByteIsExact() {
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        let interesting: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF, 0x41, 0x61]
        for _ in 0..<50_000 {
            var bytes: [UInt8] = []
            for _ in 0..<8 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(interesting[Int((state >> 40) % UInt64(interesting.count))])
            }
            // Byte i of the text is byte i of the little-endian word, as ByteScan.load reads it.
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            for flagNonASCII in [false, true] {
                let expected = bytes.firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 || (flagNonASCII && $0 >= 0x80) }
                let mask = ByteScan.attention(word, flagNonASCII: flagNonASCII)
                #expect((mask == 0 ? nil : ByteScan.offset(ofFirst: mask)) == expected, "\(bytes) nonASCII \(flagNonASCII)")
            }
        }
    }

    /// `index(of:)` finds the first match at any position and offset, past blocks of 32 and 8.
    @Test func indexOfFindsTheFirstMatch() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 200)
        for start in [0, 1, 7, 31, 33] {
            bytes.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress!
                #expect(ByteScan.index(of: 0x0A, in: base, from: start, count: buffer.count) == buffer.count)
            }
            for at in [start, start + 1, start + 15, start + 16, start + 31, start + 32, start + 40, 199] where at < bytes.count {
                var copy = bytes
                copy[at] = 0x0A
                if at + 5 < copy.count { copy[at + 5] = 0x0A }
                copy.withUnsafeBufferPointer { buffer in
                    let base = buffer.baseAddress!
                    #expect(ByteScan.index(of: 0x0A, in: base, from: start, count: buffer.count) == at, "start \(start), newline at \(at)")
                    #expect(ByteScan.index(of: 0x0A, in: base, from: start, count: at) == at, "the count bounds the search")
                }
            }
        }
    }
}
