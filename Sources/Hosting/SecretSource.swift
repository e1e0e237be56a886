/// Where the fakes' signing keys, client secrets and passwords come from.
///
/// By default from the system's random generator, fresh for every run: a token or secret from one
/// running instance is worthless on any other. A deterministic fleet (`provsim serve
/// --deterministic`, scenarios) derives them from the seed instead, so a run can be repeated
/// exactly; even then each is an HMAC of the seed and its purpose, so no two are related and none
/// can be guessed from another.
public enum SecretSource {
    /// `count` bytes for `purpose` (a name unique to the key: `"signing-key:uaa"`).
    public static func bytes(_ count: Int, purpose: String, seed: UInt64, deterministic: Bool) -> [UInt8] {
        guard deterministic else {
            var generator = SystemRandomNumberGenerator()
            return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        var seedBytes: [UInt8] = []
        for shift in stride(from: 56, through: 0, by: -8) { seedBytes.append(UInt8(truncatingIfNeeded: seed >> UInt64(shift))) }
        var output: [UInt8] = []
        var block = 0
        while output.count < count {
            output += SHA256.hmac(key: seedBytes, message: Array("provsim/\(purpose)/\(block)".utf8))
            block += 1
        }
        return Array(output.prefix(count))
    }

    /// A client secret or password: 32 characters of base64url (192 bits).
    public static func secret(purpose: String, seed: UInt64, deterministic: Bool) -> String {
        Base64.encode(bytes(24, purpose: purpose, seed: seed, deterministic: deterministic), alphabet: .url, padded: false)
    }

    /// Compares a presented secret with the expected one in time that does not depend on where
    /// they differ.
    public static func matches(_ presented: String, _ expected: String) -> Bool {
        let x = Array(presented.utf8), y = Array(expected.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<min(x.count, y.count) { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// A 64-bit seed for a generator of IDs and tokens (`jti`, refresh tokens), random unless
    /// deterministic.
    public static func generatorSeed(purpose: String, seed: UInt64, deterministic: Bool) -> UInt64 {
        bytes(8, purpose: purpose, seed: seed, deterministic: deterministic).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
