/// Compact JSON appended to a `JSONOutputBuffer` piece by piece, for callers that assemble a
/// document from parts (raw bytes of another document, member names, values). All pieces of one
/// `assemble` call go through one cursor, so the buffer's exclusivity is checked once, not per piece.
public struct JSONAssembly: ~Copyable {
    fileprivate var cursor: ByteCursor

    public mutating func append(_ byte: UInt8) {
        cursor.append(byte)
    }

    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        cursor.append(bytes)
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { cursor.append($0) }
    }

    /// `"name":`, the name quoted and escaped.
    public mutating func appendMemberName(_ name: String) {
        JSONWriter.writeString(name, to: &cursor)
        cursor.append(UInt8(ascii: ":"))
    }

    /// `text` escaped as inside a JSON string, without the quotes.
    public mutating func appendStringContent(_ text: String) {
        JSONWriter.writeString(text, to: &cursor, quoted: false)
    }

    /// `value`, compact.
    public mutating func append(_ value: JSONValue) {
        JSONWriter().writeCompact(value, to: &cursor)
    }
}

extension JSONOutputBuffer {
    /// Runs `body` with an assembly that appends to this buffer.
    public func assemble<R>(_ body: (inout JSONAssembly) -> R) -> R {
        withCursor { cursor in
            var assembly = JSONAssembly(cursor: cursor)
            defer { cursor = assembly.cursor }
            return body(&assembly)
        }
    }
}
