/// A JSON number kept as its exact literal text.
///
/// Nothing is rounded or rewritten on the way through: `1.0` stays `1.0`, an integer larger than
/// 64 bits stays exact, and `-0` stays `-0`. Comparisons are numeric.
public struct JSONNumber: Sendable {
    /// The number's literal text, valid per RFC 8259.
    public let text: String

    /// Wraps text the caller has already validated (the parser does).
    @inlinable
    internal init(unchecked text: String) {
        self.text = text
    }

    /// Validates `text` against the RFC 8259 number grammar.
    public init?(text: String) {
        guard JSONNumber.isValidLiteral(text) else { return nil }
        self.text = text
    }

    public init(_ value: Int) {
        text = String(value)
    }

    public init(_ value: Int64) {
        text = String(value)
    }

    /// `nil` for infinities and NaN, which JSON cannot represent.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        text = "\(value)"  // Swift's shortest round-trip form ("1.0", "1e-05") is valid JSON
    }

    /// Whether the literal has no fraction and no exponent.
    public var isIntegerLiteral: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as a 64-bit integer when the literal is an integer in range.
    public var int64Value: Int64? {
        if isIntegerLiteral { return Int64(text) }
        guard let d = Double(text), d == d.rounded(), abs(d) < 9.2e18 else { return nil }
        return Int64(d)
    }

    /// The value as the nearest double.
    public var doubleValue: Double {
        Double(text) ?? .nan
    }

    static func isValidLiteral(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return literalEnd(base, from: 0, count: bytes.count) == bytes.count
        }
    }

    /// Where the number literal that starts at `from` ends, by the RFC 8259 grammar; nil when none
    /// starts there, or a leading zero is followed by a digit.
    static func literalEnd(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int? {
        var position = from
        if position < count, base[position] == UInt8(ascii: "-") { position += 1 }
        guard position < count, isDigit(base[position]) else { return nil }
        if base[position] == UInt8(ascii: "0") {
            position += 1
            if position < count, isDigit(base[position]) { return nil }
        } else {
            while position < count, isDigit(base[position]) { position += 1 }
        }
        if position < count, base[position] == UInt8(ascii: ".") {
            position += 1
            guard position < count, isDigit(base[position]) else { return nil }
            while position < count, isDigit(base[position]) { position += 1 }
        }
        if position < count, base[position] == UInt8(ascii: "e") || base[position] == UInt8(ascii: "E") {
            position += 1
            if position < count, base[position] == UInt8(ascii: "+") || base[position] == UInt8(ascii: "-") { position += 1 }
            guard position < count, isDigit(base[position]) else { return nil }
            while position < count, isDigit(base[position]) { position += 1 }
        }
        return position
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}

extension JSONNumber: Comparable {
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.text == rhs.text { return true }
        if let a = lhs.exactInteger, let b = rhs.exactInteger { return a == b }
        return lhs.doubleValue == rhs.doubleValue
    }

    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if let a = lhs.exactInteger, let b = rhs.exactInteger { return a < b }
        return lhs.doubleValue < rhs.doubleValue
    }

    /// Integer literals that fit 64 bits compare exactly; everything else goes through Double.
    private var exactInteger: Int64? {
        isIntegerLiteral ? Int64(text) : nil
    }
}

extension JSONNumber: Hashable {
    public func hash(into hasher: inout Hasher) {
        // Must agree with ==, which may compare through Double.
        let d = doubleValue
        hasher.combine(d == 0 ? 0 : d)
    }
}

extension JSONNumber: CustomStringConvertible {
    public var description: String { text }
}
