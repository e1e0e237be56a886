/// A syntax error in JSON text, located by line and column (both 1-based; columns count
/// Unicode scalars, as editors do).
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// Byte offset of the error in the UTF-8 input.
    public let offset: Int
    public let line: Int
    public let column: Int

    public init(message: String, offset: Int, line: Int, column: Int) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String {
        "line \(line), column \(column): \(message)"
    }
}

/// Converts byte offsets in UTF-8 text into line and column numbers.
public struct TextPosition: Sendable, Equatable {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The position of `offset` within `bytes`.
    public static func of(offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TextPosition {
        var line = 1
        var column = 1
        let end = min(offset, bytes.count)
        var i = 0
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {  // count scalars, not continuation bytes
                column += 1
            }
            i += 1
        }
        return TextPosition(line: line, column: column)
    }

    public static func of(offset: Int, in text: String) -> TextPosition {
        var copy = text
        return copy.withUTF8 { of(offset: offset, in: $0) }
    }
}
