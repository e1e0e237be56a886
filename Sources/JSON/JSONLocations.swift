/// Where each value of a parsed document starts, so that later errors about a value
/// (a bad JSONPath in a mapping, say) can name its line.
///
/// Values are keyed by JSON Pointer (RFC 6901), e.g. `/user/mappings/3/sourcePath`.
public struct JSONLocations: Sendable {
    var offsets: [String: Int] = [:]
    private let lineStarts: [Int]

    init(text: UnsafeBufferPointer<UInt8>) {
        var starts = [0]
        for (i, b) in text.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
    }

    /// The 1-based line where the value at `pointer` starts, if it exists.
    public func line(of pointer: String) -> Int? {
        guard let offset = offsets[pointer] else { return nil }
        return line(ofOffset: offset)
    }

    /// The 1-based line containing a byte offset.
    public func line(ofOffset offset: Int) -> Int {
        // Binary search for the last line start <= offset.
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// Escapes one reference token per RFC 6901.
    public static func escape(_ token: String) -> String {
        guard token.contains("~") || token.contains("/") else { return token }
        return token.replacingAll("~", with: "~0").replacingAll("/", with: "~1")
    }
}

extension String {
    /// Literal replacement without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}

/// Receives the start of every value while parsing. The no-op implementation compiles away.
protocol JSONLocationRecording {
    static var isActive: Bool { get }
    mutating func record(pointer: String, offset: Int)
}

struct NoLocationRecording: JSONLocationRecording {
    static var isActive: Bool { false }
    mutating func record(pointer: String, offset: Int) {}
}

extension JSONLocations: JSONLocationRecording {
    static var isActive: Bool { true }
    mutating func record(pointer: String, offset: Int) {
        offsets[pointer] = offset
    }
}
