/// A cursor over the UTF-8 bytes of a path or filter expression, shared by the path and filter
/// parsers so that filters nest inside paths and paths inside filters.
struct ExpressionScanner {
    let text: String
    let bytes: [UInt8]
    var position = 0

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { position >= bytes.count }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    func peek(_ offset: Int = 0) -> UInt8? {
        let i = position + offset
        return i < bytes.count ? bytes[i] : nil
    }

    mutating func skipSpaces() {
        while let b = current, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
            position += 1
        }
    }

    /// Consumes `literal` if the input continues with it.
    mutating func consume(_ literal: String) -> Bool {
        let utf8 = Array(literal.utf8)
        guard position + utf8.count <= bytes.count, Array(bytes[position..<(position + utf8.count)]) == utf8 else {
            return false
        }
        position += utf8.count
        return true
    }

    func slice(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The 1-based character column of a byte offset.
    func column(of offset: Int) -> Int {
        var column = 1
        for b in bytes[0..<min(offset, bytes.count)] where b & 0xC0 != 0x80 { column += 1 }
        return column
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONPathError {
        JSONPathError(message: message, column: column(of: offset ?? position))
    }

    /// Describes the character at the cursor for error messages.
    var describeCurrent: String {
        guard let b = current else { return "end of expression" }
        if b < 0x80 { return "'\(Character(UnicodeScalar(b)))'" }
        let end = bytes[position...].dropFirst().firstIndex { $0 & 0xC0 != 0x80 } ?? bytes.count
        return "'\(slice(position, end))'"
    }

    /// Reads a quoted string starting at the cursor (`'` or `"`), handling backslash escapes.
    mutating func readQuoted() throws(JSONPathError) -> String {
        let start = position
        let quote = bytes[position]
        position += 1
        var out: [UInt8] = []
        while let b = current {
            if b == quote {
                position += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\"), let next = peek(1) {
                switch next {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    out.append(contentsOf: try readUnicodeEscape())
                    continue
                default: out.append(next)  // \' \" \\ \/ and anything else stand for themselves
                }
                position += 2
                continue
            }
            out.append(b)
            position += 1
        }
        throw error("unterminated string literal", at: start)
    }

    /// `\uXXXX` at the position (a surrogate pair when two follow each other), as UTF-8; moves
    /// past it. A lone surrogate becomes U+FFFD, as Java's decoder does.
    private mutating func readUnicodeEscape() throws(JSONPathError) -> [UInt8] {
        func unit(at offset: Int) -> UInt16? {
            guard offset + 6 <= bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u"),
                  bytes[(offset + 2)..<(offset + 6)].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) else { return nil }
            return UInt16(String(decoding: bytes[(offset + 2)..<(offset + 6)], as: UTF8.self), radix: 16)
        }
        guard let first = unit(at: position) else { throw error("'\\u' must be followed by four hexadecimal digits") }
        position += 6
        var units = [first]
        if UTF16.isLeadSurrogate(first), let second = unit(at: position), UTF16.isTrailSurrogate(second) {
            units.append(second)
            position += 6
        }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }
}
