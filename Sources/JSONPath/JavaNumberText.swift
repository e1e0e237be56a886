import JSON

extension JSONNumber {
    /// The text Java's `BigDecimal.toString()` gives this literal, which Jayway compares with a
    /// string: `42` → `42`, `1.50` → `1.50`, `-0.123e2` → `-12.3`, `1e2` → `1E+2`, `1e-7` → `1E-7`.
    /// The number is a valid JSON literal; exponents too large to matter compare as their text.
    var javaBigDecimalText: String {
        let bytes = Array(text.utf8)
        var i = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { i = 1 }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var inFraction = false
        while i < bytes.count, bytes[i] != UInt8(ascii: "e"), bytes[i] != UInt8(ascii: "E") {
            if bytes[i] == UInt8(ascii: ".") {
                inFraction = true
            } else {
                digits.append(bytes[i])
                if inFraction { fractionDigits += 1 }
            }
            i += 1
        }
        var exponent = 0
        if i < bytes.count {
            // An exponent beyond ±10^9 has no Java BigDecimal either: keep the literal.
            guard let e = Int(String(decoding: bytes[(i + 1)...], as: UTF8.self)), abs(e) < 1_000_000_000 else { return text }
            exponent = e
        }
        // BigDecimal keeps the digits as written, less leading zeros (the unscaled value).
        while digits.count > 1, digits[0] == UInt8(ascii: "0") { digits.removeFirst() }
        let coefficient = String(decoding: digits, as: UTF8.self)
        let scale = fractionDigits - exponent
        let adjusted = -scale + (digits.count - 1)
        let sign = negative && coefficient != "0" ? "-" : ""
        if scale >= 0 && adjusted >= -6 {
            if scale == 0 { return sign + coefficient }
            if digits.count > scale {
                return sign + String(coefficient.dropLast(scale)) + "." + String(coefficient.suffix(scale))
            }
            return sign + "0." + String(repeating: "0", count: scale - digits.count) + coefficient
        }
        let mantissa = digits.count > 1 ? String(coefficient.prefix(1)) + "." + String(coefficient.dropFirst()) : coefficient
        return sign + mantissa + "E" + (adjusted >= 0 ? "+" : "") + String(adjusted)
    }
}
