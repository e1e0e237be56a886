/// Checks one JSON object without building it, and finds its root members' byte ranges, so a
/// transformation can copy untouched values through as raw bytes.
///
/// It accepts only text the parser accepts *and* the writer would write back byte for byte:
/// compact (no whitespace outside strings), strings without escapes or control characters and in
/// valid UTF-8, ASCII keys, no duplicate keys, at most `maximumDepth` levels. Everything else is
/// refused, and the caller takes the parsing path, which reports or normalises it exactly.
public final class RawJSONScanner {
    /// One member of the root object: the key's bytes (without quotes) and the value's bytes.
    public struct Member: Sendable {
        public let key: Range<Int>
        public let value: Range<Int>

        init(key: Range<Int>, value: Range<Int>) {
            (self.key, self.value) = (key, value)
        }
    }

    public static let maximumDepth = 64
    /// Objects with more members are refused: duplicate keys are found by comparing each new key
    /// with the object's earlier ones.
    public static let maximumMembers = 64

    /// Room for every key open at once: at most `maximumMembers` per object on each of
    /// `maximumDepth` levels, allocated once, so a scan allocates nothing.
    private static let keyCapacity = maximumDepth * maximumMembers
    private let keyStorage = UnsafeMutablePointer<Range<Int>>.allocate(capacity: keyCapacity)
    private let memberStorage = UnsafeMutablePointer<Member>.allocate(capacity: maximumMembers)
    private var memberCount = 0

    public init() {}

    deinit {
        keyStorage.deallocate()
        memberStorage.deallocate()
    }

    /// The root object's members after a successful `scan`, in order; valid until the next scan.
    public var members: UnsafeBufferPointer<Member> {
        UnsafeBufferPointer(start: memberStorage, count: memberCount)
    }

    /// Whether `buffer` is one object in the form described above; `members` then lists its root.
    public func scan(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        memberCount = 0
        guard let start = buffer.baseAddress, buffer.count >= 2, start[0] == UInt8(ascii: "{") else { return false }
        // A local struct: a class's stored properties pay a dynamic exclusivity check on each change.
        var cursor = Cursor(base: start, count: buffer.count, keys: keyStorage, members: memberStorage)
        let accepted = cursor.object(depth: 1, root: true) && cursor.position == cursor.count
        memberCount = accepted ? cursor.memberCount : 0
        return accepted
    }
}

private struct Cursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    /// The keys of the objects open now, innermost last (`keyCount` of them).
    let keys: UnsafeMutablePointer<Range<Int>>
    var keyCount = 0
    let members: UnsafeMutablePointer<RawJSONScanner.Member>
    var memberCount = 0
    var position = 0

    init(base: UnsafePointer<UInt8>, count: Int, keys: UnsafeMutablePointer<Range<Int>>, members: UnsafeMutablePointer<RawJSONScanner.Member>) {
        (self.base, self.count, self.keys, self.members) = (base, count, keys, members)
    }

    mutating func value(depth: Int) -> Bool {
        guard position < count else { return false }
        switch base[position] {
        case UInt8(ascii: "{"): return depth < RawJSONScanner.maximumDepth && object(depth: depth + 1, root: false)
        case UInt8(ascii: "["): return depth < RawJSONScanner.maximumDepth && array(depth: depth + 1)
        case UInt8(ascii: "\""): return string(isKey: false)
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default: return false
        }
    }

    mutating func object(depth: Int, root: Bool) -> Bool {
        position += 1
        let first = keyCount
        var seen: UInt64 = 0
        defer { keyCount = first }
        if skip(UInt8(ascii: "}")) { return true }
        while true {
            guard position < count, base[position] == UInt8(ascii: "\"") else { return false }
            let keyStart = position + 1
            guard string(isKey: true) else { return false }
            let key = keyStart..<(position - 1)
            // Bounds the storage: each of at most `maximumDepth` open objects holds at most this many keys.
            guard keyCount - first < RawJSONScanner.maximumMembers else { return false }
            // Keys are compared only when their cheap signature was seen before in this object.
            let bit = keySignature(key)
            if seen & bit != 0 {
                for index in first..<keyCount where keys[index].count == key.count {
                    if ByteScan.equal(base + keys[index].lowerBound, base + key.lowerBound, count: key.count) { return false }
                }
            }
            seen |= bit
            keys[keyCount] = key
            keyCount += 1
            guard skip(UInt8(ascii: ":")) else { return false }
            let valueStart = position
            guard value(depth: depth) else { return false }
            if root {
                members[memberCount] = RawJSONScanner.Member(key: key, value: valueStart..<position)
                memberCount += 1
            }
            if skip(UInt8(ascii: ",")) { continue }
            return skip(UInt8(ascii: "}"))
        }
    }

    /// Steps past `byte` when it comes next.
    @inline(__always)
    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < count, base[position] == byte else { return false }
        position += 1
        return true
    }

    /// One bit of 64 from the key's length and its first and last bytes.
    @inline(__always)
    func keySignature(_ key: Range<Int>) -> UInt64 {
        guard let last = key.last else { return 1 }
        let mix = UInt64(key.count) &* 0x9E37_79B9 ^ UInt64(base[key.lowerBound]) &* 31 ^ UInt64(base[last]) &* 131
        return 1 &<< (mix & 63)
    }

    mutating func array(depth: Int) -> Bool {
        position += 1
        if skip(UInt8(ascii: "]")) { return true }
        while true {
            guard value(depth: depth) else { return false }
            if skip(UInt8(ascii: ",")) { continue }
            return skip(UInt8(ascii: "]"))
        }
    }

    @inline(__always)
    mutating func string(isKey: Bool) -> Bool {
        position += 1
        while true {
            position = ByteScan.skipPlain(base, from: position, count: count, flagNonASCII: true)
            guard position < count else { return false }
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return true
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return false }
            if byte < 0x80 {
                position += 1
            } else {
                guard !isKey, let length = utf8SequenceLength(at: position) else { return false }
                position += length
            }
        }
    }

    /// The length of the well-formed UTF-8 sequence at `start` (no overlong forms, surrogates or
    /// scalars above U+10FFFF, as Swift's validation demands), or nil.
    func utf8SequenceLength(at start: Int) -> Int? {
        let lead = base[start]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: (length, low) = (3, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: (length, high) = (3, 0x9F)
        case 0xF0: (length, low) = (4, 0x90)
        case 0xF1...0xF3: length = 4
        case 0xF4: (length, high) = (4, 0x8F)
        default: return nil
        }
        guard start + length <= count, (low...high).contains(base[start + 1]) else { return nil }
        for i in 2..<length where !(0x80...0xBF).contains(base[start + i]) { return nil }
        return length
    }

    mutating func number() -> Bool {
        guard let end = JSONNumber.literalEnd(base, from: position, count: count) else { return false }
        position = end
        return true
    }

    mutating func literal(_ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard position + length <= count, ByteScan.equal(base + position, text.utf8Start, count: length) else { return false }
        position += length
        return true
    }
}
