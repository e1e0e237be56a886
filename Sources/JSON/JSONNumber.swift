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
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, isDigit(first) else { return false }
        bytes = bytes.dropFirst()
        if first != UInt8(ascii: "0") { bytes = bytes.drop(while: isDigit) }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard let d = bytes.first, isDigit(d) else { return false }
            bytes = bytes.drop(while: isDigit)
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let s = bytes.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard let d = bytes.first, isDigit(d) else { return false }
            bytes = bytes.drop(while: isDigit)
        }
        return bytes.isEmpty
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
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
