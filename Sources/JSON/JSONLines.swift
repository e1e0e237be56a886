/// Reading input that is either one JSON value (possibly spread over many lines) or NDJSON,
/// one value per line. Command-line tools accept both.
public enum JSONLines {
    /// One parsed input entry with the 1-based line it starts on.
    public struct Entry: Sendable {
        public let line: Int
        public let result: Result<JSONValue, JSONParseError>
    }

    /// Splits `bytes` into values: a single document when the first value is followed only by
    /// whitespace, otherwise one value per non-blank line. Errors are reported per line with
    /// line numbers relative to the whole input, so one bad line does not hide the others.
    public static func entries(in bytes: [UInt8], options: JSONParseOptions = []) -> [Entry] {
        bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONParseError) {
                let (value, end) = try JSONParser.parsePrefix(buffer, options: options)
                if !buffer[end...].contains(where: { !isBlank($0) }) {
                    let firstLine = TextPosition.of(offset: firstNonBlank(buffer), in: buffer).line
                    return [Entry(line: firstLine, result: .success(value))]
                }
            } catch {
                // A broken single document: report it whole, unless its first line stands on its own
                // (then this is NDJSON with a bad line further down).
                if !firstLineIsAValue(buffer, options: options) {
                    return [Entry(line: error.line, result: .failure(error))]
                }
            }
            return lineEntries(buffer, options: options)
        }
    }

    private static func lineEntries(_ buffer: UnsafeBufferPointer<UInt8>, options: JSONParseOptions) -> [Entry] {
        let parser = JSONParser(options: options)
        var entries: [Entry] = []
        var line = 1
        var start = 0
        let n = buffer.count
        while start <= n {
            var end = start
            while end < n, buffer[end] != UInt8(ascii: "\n") { end += 1 }
            let slice = UnsafeBufferPointer(rebasing: buffer[start..<end])
            if slice.contains(where: { !isBlank($0) }) {
                do throws(JSONParseError) {
                    entries.append(Entry(line: line, result: .success(try parser.parse(slice))))
                } catch {
                    let located = JSONParseError(
                        message: error.message, offset: start + error.offset,
                        line: line, column: error.column)
                    entries.append(Entry(line: line, result: .failure(located)))
                }
            }
            line += 1
            start = end + 1
        }
        return entries
    }

    private static func firstLineIsAValue(_ buffer: UnsafeBufferPointer<UInt8>, options: JSONParseOptions) -> Bool {
        let start = firstNonBlank(buffer)
        var end = start
        while end < buffer.count, buffer[end] != UInt8(ascii: "\n") { end += 1 }
        return (try? JSONParser.parse(UnsafeBufferPointer(rebasing: buffer[start..<end]), options: options)) != nil
    }

    private static func firstNonBlank(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        buffer.firstIndex(where: { !isBlank($0) }) ?? 0
    }

    /// JSON whitespace: what a blank line consists of.
    static func isBlank(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") || b == UInt8(ascii: "\n")
    }
}
