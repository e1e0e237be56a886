#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Options for `JSONParser`.
public struct JSONParseOptions: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Accept `// line` and `/* block */` comments wherever whitespace is allowed. IPS
    /// transformation files carry them (the Platform Members defaults do).
    public static let allowComments = JSONParseOptions(rawValue: 1)
}

/// A strict RFC 8259 parser working directly on UTF-8 bytes.
///
/// Numbers keep their literal text, strings must be valid UTF-8 (invalid bytes are an error, not
/// replaced), duplicate keys keep the first position and the last value, and nesting is limited to
/// `maximumDepth` so that recursive consumers of the result cannot overflow the stack.
///
/// An instance keeps its scratch buffers between calls: loops over many small documents (NDJSON)
/// should reuse one instance per thread. The static methods are for one-off parses.
public final class JSONParser {
    public static let maximumDepth = 512

    public let options: JSONParseOptions
    private let scratch = JSONReaderScratch()

    public init(options: JSONParseOptions = []) {
        self.options = options
    }

    /// Parses exactly one JSON value; anything but whitespace after it is an error.
    public func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(buffer: buffer, options: options, scratch: scratch, recorder: NoLocationRecording())
        return try reader.parseDocument()
    }

    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in
            try parse(buffer)
        }
    }

    /// Parses exactly one JSON value; anything but whitespace after it is an error.
    public static func parse(_ text: String, options: JSONParseOptions = []) throws(JSONParseError) -> JSONValue {
        let parser = JSONParser(options: options)
        var copy = text
        let result = copy.withUTF8 { buffer -> Result<JSONValue, JSONParseError> in
            do throws(JSONParseError) {
                return .success(try parser.parse(buffer))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    public static func parse(_ bytes: [UInt8], options: JSONParseOptions = []) throws(JSONParseError) -> JSONValue {
        try JSONParser(options: options).parse(bytes)
    }

    public static func parse(
        _ buffer: UnsafeBufferPointer<UInt8>,
        options: JSONParseOptions = []
    ) throws(JSONParseError) -> JSONValue {
        try JSONParser(options: options).parse(buffer)
    }

    /// Parses one value and also reports where every value starts, for error messages that name lines.
    public static func parseWithLocations(
        _ text: String,
        options: JSONParseOptions = []
    ) throws(JSONParseError) -> (value: JSONValue, locations: JSONLocations) {
        var copy = text
        let result = copy.withUTF8 { buffer -> Result<(value: JSONValue, locations: JSONLocations), JSONParseError> in
            var reader = JSONReader(
                buffer: buffer, options: options, scratch: JSONReaderScratch(), recorder: JSONLocations(text: buffer))
            do throws(JSONParseError) {
                let value = try reader.parseDocument()
                return .success((value, reader.recorder))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses the first value in `buffer` and returns it with the offset just past it, leaving any
    /// trailing content to the caller (used to tell one pretty-printed object from NDJSON).
    public static func parsePrefix(
        _ buffer: UnsafeBufferPointer<UInt8>,
        options: JSONParseOptions = []
    ) throws(JSONParseError) -> (value: JSONValue, end: Int) {
        var reader = JSONReader(
            buffer: buffer, options: options, scratch: JSONReaderScratch(), recorder: NoLocationRecording())
        let value = try reader.parseValue()
        return (value, reader.position)
    }
}

/// Buffers a parser reuses from one document to the next.
final class JSONReaderScratch {
    let values = ScratchStack<JSONValue>()
    let members = ScratchStack<JSONObject.Member>()
    var escapeBuffer: [UInt8] = []
    var keyCache = KeyCache()
    let smallKeys = SmallKeyCache()

    func reset() {
        values.removeAll()
        members.removeAll()
    }
}

/// The parser proper. Iterative (no recursion per nesting level); children are collected on shared
/// scratch stacks and copied out once per container, so each array or object costs one allocation.
struct JSONReader<Recorder: JSONLocationRecording> {
    private let base: UnsafePointer<UInt8>
    private let count: Int
    private let allowComments: Bool
    private(set) var position = 0
    var recorder: Recorder

    private let scratch: JSONReaderScratch
    private let values: ScratchStack<JSONValue>
    private let members: ScratchStack<JSONObject.Member>
    private var frames: [Frame] = []

    private struct Frame {
        var isObject: Bool
        var start: Int
        var key: String = ""
        /// A 64-bit Bloom filter of the keys seen so far, so duplicate-key checks are rare.
        var keyMask: UInt64 = 0
        var keyBit: UInt64 = 0
    }

    init(buffer: UnsafeBufferPointer<UInt8>, options: JSONParseOptions, scratch: JSONReaderScratch, recorder: Recorder) {
        scratch.reset()
        self.scratch = scratch
        values = scratch.values
        members = scratch.members
        // An empty buffer may have a nil base; point at a dummy byte so reads stay well-defined.
        base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
        count = buffer.count
        allowComments = options.contains(.allowComments)
        self.recorder = recorder
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        let value = try parseValue()
        try skipWhitespace()
        if position < count {
            throw error("unexpected content after the JSON value", at: position)
        }
        return value
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        // The innermost open container lives in `current` (locals stay in registers); only its
        // parents are on the `frames` stack.
        frames.removeAll(keepingCapacity: true)
        var current: Frame?
        nextValue: while true {
            try skipWhitespace()
            guard position < count else {
                throw error("unexpected end of input, expected a value", at: position)
            }
            if Recorder.isActive { recorder.record(pointer: currentPointer(current), offset: position) }
            var value: JSONValue
            switch base[position] {
            case UInt8(ascii: "{"):
                guard frames.count < JSONParser.maximumDepth - 1 else {
                    throw error("nesting is deeper than \(JSONParser.maximumDepth) levels", at: position)
                }
                position += 1
                try skipWhitespace()
                if position < count, base[position] == UInt8(ascii: "}") {
                    position += 1
                    value = .object(JSONObject())
                } else {
                    var frame = Frame(isObject: true, start: members.count)
                    (frame.key, frame.keyBit) = try parseKey()
                    if let parent = current { frames.append(parent) }
                    current = frame
                    continue nextValue
                }
            case UInt8(ascii: "["):
                guard frames.count < JSONParser.maximumDepth - 1 else {
                    throw error("nesting is deeper than \(JSONParser.maximumDepth) levels", at: position)
                }
                position += 1
                try skipWhitespace()
                if position < count, base[position] == UInt8(ascii: "]") {
                    position += 1
                    value = .array([])
                } else {
                    if let parent = current { frames.append(parent) }
                    current = Frame(isObject: false, start: values.count)
                    continue nextValue
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString(isKey: false))
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try parseNumber())
            default:
                throw error("unexpected character \(describeByte(at: position)), expected a value", at: position)
            }

            // Hand the finished value to its container; close containers as they end.
            while var frame = current {
                try skipWhitespace()
                if frame.isObject {
                    addMember(value, frame: &frame)
                    guard position < count else {
                        throw error("unexpected end of input, expected ',' or '}'", at: position)
                    }
                    let byte = base[position]
                    if byte == UInt8(ascii: ",") {
                        position += 1
                        (frame.key, frame.keyBit) = try parseKey()
                        current = frame
                        continue nextValue
                    } else if byte == UInt8(ascii: "}") {
                        position += 1
                        value = .object(JSONObject(uniqueMembers: members.popArray(from: frame.start)))
                        current = frames.popLast()
                    } else {
                        throw error("unexpected character \(describeByte(at: position)), expected ',' or '}'", at: position)
                    }
                } else {
                    values.push(value)
                    guard position < count else {
                        throw error("unexpected end of input, expected ',' or ']'", at: position)
                    }
                    let byte = base[position]
                    if byte == UInt8(ascii: ",") {
                        position += 1
                        continue nextValue
                    } else if byte == UInt8(ascii: "]") {
                        position += 1
                        value = .array(values.popArray(from: frame.start))
                        current = frames.popLast()
                    } else {
                        throw error("unexpected character \(describeByte(at: position)), expected ',' or ']'", at: position)
                    }
                }
            }
            return value
        }
    }

    /// Appends a member, or replaces the value of an earlier member with the same key (last wins).
    private mutating func addMember(_ value: JSONValue, frame: inout Frame) {
        let bit = frame.keyBit
        if frame.keyMask & bit != 0 {
            let key = frame.key
            var i = frame.start
            while i < members.count {
                let replaced = members.withElement(at: i) { member in
                    guard member.key == key else { return false }
                    member.value = value
                    return true
                }
                if replaced { return }
                i += 1
            }
        }
        frame.keyMask |= bit
        members.push(JSONObject.Member(key: frame.key, value: value))
    }

    private mutating func parseKey() throws(JSONParseError) -> (String, UInt64) {
        try skipWhitespace()
        guard position < count, base[position] == UInt8(ascii: "\"") else {
            if position >= count {
                throw error("unexpected end of input, expected a member name", at: position)
            }
            throw error("unexpected character \(describeByte(at: position)), expected a member name in double quotes", at: position)
        }
        let start = position + 1
        let key = try parseString(isKey: true)
        let bit = bloomBit(key, rawStart: start, rawLength: position - start - 1)
        try skipWhitespace()
        guard position < count, base[position] == UInt8(ascii: ":") else {
            throw error("expected ':' after member name \"\(key)\"", at: position)
        }
        position += 1
        return (key, bit)
    }

    /// One bit of a 64-bit Bloom filter for duplicate-key detection, computed from the decoded key
    /// so that differently escaped spellings of one name collide. Escapes always make the raw text
    /// longer, so equal lengths mean the raw bytes are the decoded bytes.
    @inline(__always)
    private func bloomBit(_ key: String, rawStart: Int, rawLength: Int) -> UInt64 {
        let length = key.utf8.count
        let first: UInt64
        let last: UInt64
        if length == 0 {
            first = 0
            last = 0
        } else if length == rawLength {
            first = UInt64(base[rawStart])
            last = UInt64(base[rawStart + length - 1])
        } else {
            let bytes = Array(key.utf8)
            first = UInt64(bytes[0])
            last = UInt64(bytes[length - 1])
        }
        return UInt64(1) << ((UInt64(length) &* 7 &+ first &* 31 &+ last) & 63)
    }

    private mutating func parseString(isKey: Bool) throws(JSONParseError) -> String {
        let quote = position
        position += 1
        let start = position
        var ascii = true
        while true {
            position = ByteScan.skipPlain(base, from: position, count: count, flagNonASCII: true)
            guard position < count else { break }
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                let length = position - start
                position += 1
                let bytes = UnsafeBufferPointer(start: base + start, count: length)
                if ascii {
                    if isKey {
                        if length <= 15 { return scratch.smallKeys.intern(base + start, length, available: count - start) }
                        return scratch.keyCache.intern(bytes)
                    }
                    return String(decoding: bytes, as: UTF8.self)
                }
                guard let s = String(validating: bytes, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string", at: start + firstInvalidUTF8(bytes))
                }
                return s
            }
            if byte == UInt8(ascii: "\\") {
                return try parseEscapedString(from: start)
            }
            if byte < 0x20 {
                throw error("control character U+\(hex4(UInt32(byte))) must be escaped in a string", at: position)
            }
            if byte >= 0x80 { ascii = false }
            position += 1
        }
        throw error("unterminated string", at: quote)
    }

    /// Slow path for strings with escapes: decode into a scratch buffer.
    private mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.escapeBuffer.removeAll(keepingCapacity: true)
        scratch.escapeBuffer.append(contentsOf: UnsafeBufferPointer(start: base + start, count: position - start))
        while position < count {
            let byte = base[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                guard let s = String(validating: scratch.escapeBuffer, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string", at: start)
                }
                return s
            }
            if byte < 0x20 {
                throw error("control character U+\(hex4(UInt32(byte))) must be escaped in a string", at: position)
            }
            if byte != UInt8(ascii: "\\") {
                scratch.escapeBuffer.append(byte)
                position += 1
                continue
            }
            let escapeStart = position
            position += 1
            guard position < count else { break }
            switch base[position] {
            case UInt8(ascii: "\""): scratch.escapeBuffer.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): scratch.escapeBuffer.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): scratch.escapeBuffer.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): scratch.escapeBuffer.append(0x08)
            case UInt8(ascii: "f"): scratch.escapeBuffer.append(0x0C)
            case UInt8(ascii: "n"): scratch.escapeBuffer.append(0x0A)
            case UInt8(ascii: "r"): scratch.escapeBuffer.append(0x0D)
            case UInt8(ascii: "t"): scratch.escapeBuffer.append(0x09)
            case UInt8(ascii: "u"):
                position += 1
                var scalar = try readHex4(escapeStart: escapeStart)
                if (0xD800...0xDBFF).contains(scalar) {
                    guard position + 1 < count, base[position] == UInt8(ascii: "\\"), base[position + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired high surrogate \\u\(hex4(scalar))", at: escapeStart)
                    }
                    position += 2
                    let low = try readHex4(escapeStart: escapeStart)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error("high surrogate \\u\(hex4(scalar)) is not followed by a low surrogate", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw error("unpaired low surrogate \\u\(hex4(scalar))", at: escapeStart)
                }
                appendUTF8(scalar)
                continue  // readHex4 already advanced past the digits
            default:
                throw error("invalid escape \\\(describeByte(at: position))", at: escapeStart)
            }
            position += 1
        }
        throw error("unterminated string", at: start - 1)
    }

    private mutating func readHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard position + 4 <= count else {
            throw error("incomplete \\u escape", at: escapeStart)
        }
        var value: UInt32 = 0
        for i in 0..<4 {
            let b = base[position + i]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape", at: position + i)
            }
            value = value << 4 | digit
        }
        position += 4
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.escapeBuffer.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.escapeBuffer.append(UInt8(0xC0 | (scalar >> 6)))
            scratch.escapeBuffer.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            scratch.escapeBuffer.append(UInt8(0xE0 | (scalar >> 12)))
            scratch.escapeBuffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.escapeBuffer.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            scratch.escapeBuffer.append(UInt8(0xF0 | (scalar >> 18)))
            scratch.escapeBuffer.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            scratch.escapeBuffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.escapeBuffer.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        if base[position] == UInt8(ascii: "-") { position += 1 }
        guard position < count, isDigit(base[position]) else {
            throw error("invalid number: expected a digit", at: position)
        }
        if base[position] == UInt8(ascii: "0") {
            position += 1
            if position < count, isDigit(base[position]) {
                throw error("invalid number: leading zeros are not allowed", at: start)
            }
        } else {
            while position < count, isDigit(base[position]) { position += 1 }
        }
        if position < count, base[position] == UInt8(ascii: ".") {
            position += 1
            guard position < count, isDigit(base[position]) else {
                throw error("invalid number: expected a digit after '.'", at: position)
            }
            while position < count, isDigit(base[position]) { position += 1 }
        }
        if position < count, base[position] == UInt8(ascii: "e") || base[position] == UInt8(ascii: "E") {
            position += 1
            if position < count, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < count, isDigit(base[position]) else {
                throw error("invalid number: expected a digit in the exponent", at: position)
            }
            while position < count, isDigit(base[position]) { position += 1 }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
        return JSONNumber(unchecked: text)
    }

    @inline(__always)
    private func isDigit(_ b: UInt8) -> Bool {
        b &- UInt8(ascii: "0") < 10
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let length = literal.utf8CodeUnitCount
        let matches = position + length <= count
            && ByteScan.equal(base + position, literal.utf8Start, count: length)
        guard matches else {
            throw error("invalid literal, expected '\(literal)'", at: position)
        }
        position += length
    }

    @inline(__always)
    private mutating func skipWhitespace() throws(JSONParseError) {
        while position < count {
            switch base[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                position += 1
            case UInt8(ascii: "/") where allowComments:
                try skipComment()
            default:
                return
            }
        }
    }

    private mutating func skipComment() throws(JSONParseError) {
        let start = position
        guard position + 1 < count else {
            throw error("unexpected character '/'", at: position)
        }
        switch base[position + 1] {
        case UInt8(ascii: "/"):
            position += 2
            while position < count, base[position] != UInt8(ascii: "\n") { position += 1 }
        case UInt8(ascii: "*"):
            position += 2
            while position + 1 < count {
                if base[position] == UInt8(ascii: "*"), base[position + 1] == UInt8(ascii: "/") {
                    position += 2
                    return
                }
                position += 1
            }
            throw error("unterminated /* comment", at: start)
        default:
            throw error("unexpected character '/' (comments start with // or /*)", at: position)
        }
    }

    /// The JSON Pointer of the value about to be parsed, built from the open containers.
    private func currentPointer(_ current: Frame?) -> String {
        let open = frames + (current.map { [$0] } ?? [])
        var pointer = ""
        for (i, frame) in open.enumerated() {
            pointer += "/"
            if frame.isObject {
                pointer += JSONLocations.escape(frame.key)
            } else {
                // An array's next index is the number of values collected since it opened, up to
                // where the next (inner) array started collecting.
                let end = open[(i + 1)...].first(where: { !$0.isObject })?.start ?? values.count
                pointer += String(end - frame.start)
            }
        }
        return pointer
    }

    private func describeByte(at offset: Int) -> String {
        guard offset < count else { return "end of input" }
        let b = base[offset]
        if b >= 0x20 && b < 0x7F { return "'\(Character(UnicodeScalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    private func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .error: return offset
            case .emptyInput: return offset
            }
        }
    }

    private func error(_ message: String, at offset: Int) -> JSONParseError {
        let position = TextPosition.of(offset: offset, in: UnsafeBufferPointer(start: base, count: count))
        return JSONParseError(message: message, offset: offset, line: position.line, column: position.column)
    }
}

private func hex4(_ value: UInt32) -> String {
    let s = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - s.count)) + s
}

/// Reuses `String` instances for long member names: NDJSON input repeats the same keys on every
/// line, and names over 15 bytes (SCIM URNs) would otherwise allocate each time.
struct KeyCache {
    private var slots: [String?] = []

    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if slots.isEmpty { slots = Array(repeating: nil, count: 64) }
        var hash: UInt32 = 2_166_136_261
        for b in bytes { hash = (hash ^ UInt32(b)) &* 16_777_619 }
        let slot = Int(hash & 63)
        if let cached = slots[slot], cached.utf8.count == bytes.count {
            var copy = cached
            let same = copy.withUTF8 { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
            if same { return cached }
        }
        let key = String(decoding: bytes, as: UTF8.self)
        slots[slot] = key
        return key
    }
}

/// Reuses `String`s for short ASCII member names (up to 15 bytes, Swift's inline small strings).
/// A name is identified by its bytes packed into two 64-bit words plus its length, so a lookup is
/// a hash and three compares — cheaper than building the string again for every object of every
/// line, and copying a small string needs no reference counting.
final class SmallKeyCache {
    private static let size = 256
    private let words: UnsafeMutablePointer<UInt64>  // two per slot
    private let lengths: UnsafeMutablePointer<Int>
    private let keys: UnsafeMutablePointer<String>

    init() {
        words = .allocate(capacity: Self.size * 2)
        words.initialize(repeating: 0, count: Self.size * 2)
        lengths = .allocate(capacity: Self.size)
        lengths.initialize(repeating: -1, count: Self.size)
        keys = .allocate(capacity: Self.size)
        keys.initialize(repeating: "", count: Self.size)
    }

    deinit {
        words.deallocate()
        lengths.deallocate()
        keys.deinitialize(count: Self.size)
        keys.deallocate()
    }

    /// `bytes` holds `length` (≤ 15) ASCII bytes; `available` bytes may be read from it.
    @inline(__always)
    func intern(_ bytes: UnsafePointer<UInt8>, _ length: Int, available: Int) -> String {
        var w0: UInt64 = 0
        var w1: UInt64 = 0
        if available >= 16 {
            w0 = ByteScan.load(bytes)
            w1 = ByteScan.load(bytes + 8)
            if length < 8 {
                w0 &= (UInt64(1) << UInt64(length * 8)) &- 1
                w1 = 0
            } else {
                w1 &= (UInt64(1) << UInt64((length - 8) * 8)) &- 1
            }
        } else {
            for i in 0..<length {
                if i < 8 { w0 |= UInt64(bytes[i]) << UInt64(i * 8) } else { w1 |= UInt64(bytes[i]) << UInt64((i - 8) * 8) }
            }
        }
        let hash = (w0 &* 0x9E37_79B9_7F4A_7C15) ^ (w1 &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(length)
        let slot = Int(truncatingIfNeeded: hash >> 56)
        if lengths[slot] == length && words[slot * 2] == w0 && words[slot * 2 + 1] == w1 {
            return keys[slot]
        }
        let key = String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
        lengths[slot] = length
        words[slot * 2] = w0
        words[slot * 2 + 1] = w1
        keys[slot] = key
        return key
    }
}
