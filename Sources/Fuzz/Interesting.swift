import Determinism

/// Values that have broken parsers and arithmetic before: boundaries of integer types, numbers
/// Double parses to infinity, text that opens structures, encodings and sizes.
public enum Interesting {
    public static let numbers = [
        "0", "1", "-1", "2", "3", "10", "100", "500", "501", "1000", "5000", "5001", "65535", "65536",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
        "4611686018427387904", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "99999999999999999999999", "1e300", "1e308", "1e309", "1e400",
        "-1e300", "-1e400", "1e-300", "0.0000001", "0.5", "1.5", "-0", "-0.0", "1E3", "0x10", "010", "1_000", "10abc",
        "NaN", "nan", "inf", "Infinity", "-inf", "+1", " 1", "1 ", "",
    ]

    public static let texts = [
        "", " ", "a", "A", "é", "😀", "\u{0}", "\u{1}", "\u{7F}", "\u{FEFF}", "\u{202E}", "\"", "'", "\\", "\\u0000",
        "(", ")", "[", "]", "{", "}", "<", ">", "&", "%", "%00", "%2F", "%zz", "%", "+", "=", ",", ";", ":", "/", "//",
        "..", ".", "*", "$", "@", "?", "#", "!", "|", "||", "&&", "eq", "pr", "not", "and", "or", "null", "true",
        "<script>", "${x}", "%xsuaa.origin%", "\r\n", "\n", "\t",
    ]

    /// A text of `count` copies of `unit`.
    public static func repeated(_ unit: String, _ count: Int) -> String {
        String(repeating: unit, count: count)
    }
}

extension SeededRandom {
    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < p
    }

    /// A uniform integer in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// A uniform element; `list` must not be empty.
    public mutating func pick<T>(_ list: [T]) -> T {
        list[Int.random(in: 0..<list.count, using: &self)]
    }

    /// Sizes that are mostly small and sometimes huge: the shape that finds both logic errors
    /// and missing bounds.
    public mutating func size(max: Int = 100_000) -> Int {
        switch int(0...9) {
        case 0...5: return int(0...4)
        case 6...7: return int(5...64)
        case 8: return int(65...2000)
        default: return int(2001...Swift.max(2001, max))
        }
    }

    /// An interesting number, or a random one.
    public mutating func numberText() -> String {
        chance(0.7) ? pick(Interesting.numbers) : String(Int64.random(in: Int64.min...Int64.max, using: &self))
    }

    /// An interesting text, a random word, or a long run of one character.
    public mutating func text() -> String {
        switch int(0...9) {
        case 0...4: return pick(Interesting.texts)
        case 5...7: return word()
        case 8: return Interesting.repeated(pick(["a", "(", "[", "{", "\"", "\\", "%", "é"]), size())
        default: return String(decoding: (0..<int(1...12)).map { _ in UInt8.random(in: 0...255, using: &self) }, as: UTF8.self)
        }
    }

    /// A short identifier-like word.
    public mutating func word() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
        return String((0..<int(1...10)).map { _ in pick(letters) })
    }
}
