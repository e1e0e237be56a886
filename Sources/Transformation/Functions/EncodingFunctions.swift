import Foundation
import JSON

/// Byte arrays travel between `decode`, `encode` and `toString` as JSON arrays of numbers 0…255
/// (Java's signed bytes -128…127 are accepted too).
enum ByteArray {
    static func json(_ bytes: [UInt8]) -> JSONValue {
        .array(bytes.map { JSONValue(Int($0)) })
    }

    static func bytes(of elements: [JSONValue]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            guard let i = element.intValue, (-128...255).contains(i) else { return nil }
            out.append(UInt8(truncatingIfNeeded: i))
        }
        return out
    }
}

enum EncodingAlgorithm: String, Sendable {
    case base64
    case base32
}

/// `encode`: text (as UTF-8) or a byte array to Base64 or Base32.
struct Encode: MappingFunction {
    let algorithm: EncodingAlgorithm
    let skipPadding: Bool

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let bytes: [UInt8]
        if case .array(let elements) = value {
            guard let b = ByteArray.bytes(of: elements) else { throw FunctionError("the array is not a byte array") }
            bytes = b
        } else {
            bytes = Array(try value.scalarText(for: "encode").utf8)
        }
        var text: String
        switch algorithm {
        case .base64: text = Data(bytes).base64EncodedString()
        case .base32: text = Base32.encode(bytes)
        }
        if skipPadding { while text.hasSuffix("=") { text.removeLast() } }
        return .string(text)
    }
}

/// `decode`: Base64 or Base32 text to a byte array (padding optional).
struct Decode: MappingFunction {
    let algorithm: EncodingAlgorithm

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: "decode")
        switch algorithm {
        case .base64:
            var padded = text
            while padded.count % 4 != 0 { padded += "=" }
            guard let data = Data(base64Encoded: padded) else { throw FunctionError("'\(text)' is not valid Base64") }
            return ByteArray.json(Array(data))
        case .base32:
            guard let bytes = Base32.decode(text) else { throw FunctionError("'\(text)' is not valid Base32") }
            return ByteArray.json(bytes)
        }
    }
}

/// RFC 4648 Base32 (alphabet A–Z, 2–7, `=` padding).
enum Base32 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var buffer: UInt64 = 0
        var bits = 0
        for byte in bytes {
            buffer = buffer << 8 | UInt64(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[Int((buffer >> UInt64(bits - 5)) & 31)])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[Int((buffer << UInt64(5 - bits)) & 31)]) }
        while out.count % 8 != 0 { out.append(UInt8(ascii: "=")) }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer: UInt64 = 0
        var bits = 0
        for c in text.utf8 where c != UInt8(ascii: "=") {
            let upper = c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") ? c - 32 : c
            guard let v = alphabet.firstIndex(of: upper) else { return nil }
            buffer = buffer << 5 | UInt64(v)
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> UInt64(bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return out
    }
}
