/// Word-at-a-time tests for the bytes that end a plain run inside a JSON string: a quote, a
/// backslash, a control character, or (for the parser) a non-ASCII byte. Checking eight bytes per
/// step roughly halves the time spent scanning string contents.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    @inline(__always)
    private static func hasZeroByte(_ v: UInt64) -> Bool {
        (v &- ones) & ~v & highs != 0
    }

    /// Whether any of the eight bytes is `"`, `\`, below 0x20, or (when `flagNonASCII`) above 0x7F.
    @inline(__always)
    static func needsAttention(_ word: UInt64, flagNonASCII: Bool) -> Bool {
        if flagNonASCII && word & highs != 0 { return true }
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        // A byte below 0x20 is one whose value minus 0x20 borrows; bytes >= 0x80 are excluded by ~word.
        let control = (word &- ones &* 0x20) & ~word & highs
        return hasZeroByte(quote) || hasZeroByte(backslash) || control != 0
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }
}
