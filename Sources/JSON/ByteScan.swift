/// Word-at-a-time scans: for the bytes that end a plain run inside a JSON string (a quote, a
/// backslash, a control character, or for the parser a non-ASCII byte), and for one given byte (a
/// newline between NDJSON lines). Checking eight bytes per step roughly halves the time spent
/// scanning string contents.
enum ByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// A mask whose lowest set bit is the high bit of the first byte of the eight that is `"`,
    /// `\`, below 0x20 or (when `flagNonASCII`) above 0x7F; zero when there is none. Bits above
    /// the lowest may be false positives (borrows propagate upwards), so only the lowest counts.
    @inline(__always)
    static func attention(_ word: UInt64, flagNonASCII: Bool) -> UInt64 {
        let control = (word &- ones &* 0x20) & ~word & highs
        var mask = zeroBytes(word ^ (ones &* 0x22)) | zeroBytes(word ^ (ones &* 0x5C)) | control
        if flagNonASCII { mask |= word & highs }
        return mask
    }

    /// From `position`, eight bytes a step: the index of the first byte `attention` flags, or
    /// where fewer than eight bytes are left (the caller steps through those one by one).
    @inline(__always)
    static func skipPlain(_ base: UnsafePointer<UInt8>, from position: Int, count: Int, flagNonASCII: Bool) -> Int {
        var i = position
        while i &+ 8 <= count {
            let mask = attention(load(base + i), flagNonASCII: flagNonASCII)
            if mask != 0 { return i &+ offset(ofFirst: mask) }
            i &+= 8
        }
        return i
    }

    /// The index of the first `byte` at or after `from`, or `count`: thirty-two bytes a step
    /// while none of them matches, then eight.
    static func index(of byte: UInt8, in base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
        var i = from
        let wanted = SIMD16<UInt8>(repeating: byte)
        let raw = UnsafeRawPointer(base)
        while i &+ 32 <= count {
            let low = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            let high = raw.loadUnaligned(fromByteOffset: i &+ 16, as: SIMD16<UInt8>.self)
            if any((low .== wanted) .| (high .== wanted)) { break }
            i &+= 32
        }
        while i &+ 8 <= count {
            let found = zeroBytes(load(base + i) ^ (ones &* UInt64(byte)))
            if found != 0 { return i &+ offset(ofFirst: found) }
            i &+= 8
        }
        while i < count, base[i] != byte { i += 1 }
        return i
    }

    /// The high bit of the lowest zero byte of `word` set (bits above it may be false positives:
    /// borrows propagate upwards); zero when no byte is zero.
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highs
    }

    /// Whether the `count` bytes at `a` and at `b` are the same.
    @inline(__always)
    static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
        for i in 0..<count where a[i] != b[i] { return false }
        return true
    }

    /// How many bytes come before the one `attention` flagged first (`mask` not zero).
    @inline(__always)
    static func offset(ofFirst mask: UInt64) -> Int {
        mask.trailingZeroBitCount &>> 3
    }

    @inline(__always)
    static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }
}
