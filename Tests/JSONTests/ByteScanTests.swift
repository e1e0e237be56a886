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
}
