/// Serializes `JSONValue`s to UTF-8, compact or pretty-printed (two-space indent).
///
/// Keys are written in their stored order and numbers as their literal text, so parsing and
/// writing a document round-trips it exactly (modulo whitespace and escape spelling).
public struct JSONWriter: Sendable {
    public var pretty: Bool

    public init(pretty: Bool = false) {
        self.pretty = pretty
    }

    /// Appends the serialization of `value` to `out`.
    public func write(_ value: JSONValue, into out: inout [UInt8]) {
        let buffer = JSONOutputBuffer(capacity: 1024)
        write(value, to: buffer)
        buffer.withUnsafeBytes { out.append(contentsOf: $0) }
    }

    /// Appends the serialization of `value` to `buffer`: the fast path for loops over many values.
    public func write(_ value: JSONValue, to buffer: JSONOutputBuffer) {
        buffer.withCursor { cursor in
            if pretty {
                writePretty(value, indent: 0, to: &cursor)
            } else {
                writeCompact(value, to: &cursor)
            }
        }
    }

    public func bytes(_ value: JSONValue) -> [UInt8] {
        let buffer = JSONOutputBuffer(capacity: 1024)
        write(value, to: buffer)
        return buffer.bytes
    }

    public func string(_ value: JSONValue) -> String {
        let buffer = JSONOutputBuffer(capacity: 1024)
        write(value, to: buffer)
        return buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    func writeCompact(_ value: JSONValue, to out: inout ByteCursor) {
        switch value {
        case .null: JSONWriter.writeASCII("null", to: &out)
        case .bool(let b): JSONWriter.writeASCII(b ? "true" : "false", to: &out)
        case .number(let n): JSONWriter.writeRaw(n.text, to: &out)
        case .string(let s): JSONWriter.writeString(s, to: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeCompact(element, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var first = true
            for member in object.members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                JSONWriter.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                writeCompact(member.value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private func writePretty(_ value: JSONValue, indent: Int, to out: inout ByteCursor) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1, to: &out)
                writePretty(element, indent: indent + 1, to: &out)
            }
            newline(indent, to: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let object) where !object.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1, to: &out)
                JSONWriter.writeString(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                out.append(UInt8(ascii: " "))
                writePretty(member.value, indent: indent + 1, to: &out)
            }
            newline(indent, to: &out)
            out.append(UInt8(ascii: "}"))
        default:
            writeCompact(value, to: &out)
        }
    }

    private func newline(_ indent: Int, to out: inout ByteCursor) {
        out.reserve(1 + indent * 2)
        out.appendReserved(UInt8(ascii: "\n"))
        for _ in 0..<(indent * 2) { out.appendReserved(UInt8(ascii: " ")) }
    }

    private static func writeASCII(_ text: StaticString, to out: inout ByteCursor) {
        out.append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private static func writeRaw(_ text: String, to out: inout ByteCursor) {
        var copy = text
        copy.withUTF8 { out.append($0) }
    }

    /// Appends a quoted, escaped string to an array (kept for callers that build byte arrays).
    public static func writeString(_ string: String, into out: inout [UInt8]) {
        let buffer = JSONOutputBuffer(capacity: string.utf8.count + 16)
        buffer.withCursor { writeString(string, to: &$0) }
        buffer.withUnsafeBytes { out.append(contentsOf: $0) }
    }

    /// Writes a quoted, escaped string (without the quotes when `quoted` is false: escaping goes
    /// character by character, so pieces written this way join into the whole string's form).
    /// Runs of bytes that need no escaping (found eight at a time) are copied with one memcpy.
    static func writeString(_ string: String, to out: inout ByteCursor, quoted: Bool = true) {
        var s = string
        s.withUTF8 { bytes in
            let n = bytes.count
            out.reserve(n + 2)
            if quoted { out.appendReserved(UInt8(ascii: "\"")) }
            guard let base = bytes.baseAddress else {
                if quoted { out.appendReserved(UInt8(ascii: "\"")) }
                return
            }
            var runStart = 0
            var i = 0
            while i < n {
                i = ByteScan.skipPlain(base, from: i, count: n, flagNonASCII: false)
                if i >= n { break }
                let b = base[i]
                if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                    i += 1
                    continue
                }
                if runStart < i { out.append(UnsafeBufferPointer(start: base + runStart, count: i - runStart)) }
                out.reserve(6)
                out.appendReserved(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): out.appendReserved(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.appendReserved(UInt8(ascii: "\\"))
                case 0x0A: out.appendReserved(UInt8(ascii: "n"))
                case 0x0D: out.appendReserved(UInt8(ascii: "r"))
                case 0x09: out.appendReserved(UInt8(ascii: "t"))
                case 0x08: out.appendReserved(UInt8(ascii: "b"))
                case 0x0C: out.appendReserved(UInt8(ascii: "f"))
                default:
                    out.appendReserved(UInt8(ascii: "u"))
                    out.appendReserved(UInt8(ascii: "0"))
                    out.appendReserved(UInt8(ascii: "0"))
                    out.appendReserved(hexDigit(b >> 4))
                    out.appendReserved(hexDigit(b & 0xF))
                }
                i += 1
                runStart = i
            }
            if runStart < n { out.append(UnsafeBufferPointer(start: base + runStart, count: n - runStart)) }
            if quoted { out.append(UInt8(ascii: "\"")) }
        }
    }

    private static func hexDigit(_ v: UInt8) -> UInt8 {
        v < 10 ? UInt8(ascii: "0") + v : UInt8(ascii: "a") + v - 10
    }
}


extension JSONValue {
    /// The value as JSON text; compact unless `pretty`.
    public func serialized(pretty: Bool = false) -> String {
        JSONWriter(pretty: pretty).string(self)
    }

    /// Parses JSON text (strict RFC 8259, or with comments when asked).
    public init(parsing text: String, options: JSONParseOptions = []) throws(JSONParseError) {
        self = try JSONParser.parse(text, options: options)
    }
}
