/// Base64 (RFC 4648 §4) and base64url (§5) without Foundation: JWTs use the URL alphabet without
/// padding, HTTP Basic credentials the standard one.
public enum Base64 {
    public enum Alphabet: Sendable {
        case standard, url

        fileprivate var symbols: [UInt8] {
            self == .standard ? Base64.standardSymbols : Base64.urlSymbols
        }

        fileprivate var values: [UInt8] {
            self == .standard ? Base64.standardValues : Base64.urlValues
        }
    }

    private static let standardSymbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSymbols = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Byte → 6-bit value, 0xFF for bytes outside the alphabet.
    private static let standardValues = lookup(standardSymbols)
    private static let urlValues = lookup(urlSymbols)

    private static func lookup(_ symbols: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, symbol) in symbols.enumerated() { table[Int(symbol)] = UInt8(value) }
        return table
    }

    public static func encode(_ bytes: [UInt8], alphabet: Alphabet = .standard, padded: Bool = true) -> String {
        let symbols = alphabet.symbols
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let count = min(3, bytes.count - i)
            var n = UInt32(bytes[i]) << 16
            if count > 1 { n |= UInt32(bytes[i + 1]) << 8 }
            if count > 2 { n |= UInt32(bytes[i + 2]) }
            for j in 0...count { out.append(symbols[Int((n >> UInt32(18 - 6 * j)) & 63)]) }
            if padded { for _ in count..<3 { out.append(UInt8(ascii: "=")) } }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of `text`, padded or not; `nil` for a symbol outside the alphabet.
    public static func decode(_ text: String, alphabet: Alphabet = .standard) -> [UInt8]? {
        let values = alphabet.values
        var out: [UInt8] = []
        var buffer: UInt32 = 0
        var bits = 0
        for c in text.utf8 where c != UInt8(ascii: "=") {
            let v = values[Int(c)]
            guard v != 0xFF else { return nil }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}
