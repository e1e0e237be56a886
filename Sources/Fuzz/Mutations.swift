import Determinism

/// Byte-level mutations of a valid input (a shipped scenario, a JUnit report, a request body):
/// most mutants stay close to valid, so they get past the first checks and reach deeper code.
public enum Mutations {
    /// Applies one to four random mutations.
    public static func mutate(_ input: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = input
        for _ in 0..<random.int(1...4) {
            bytes = mutateOnce(bytes, &random)
        }
        return bytes
    }

    public static func mutate(_ text: String, _ random: inout SeededRandom) -> String {
        String(decoding: mutate(Array(text.utf8), &random), as: UTF8.self)
    }

    static func mutateOnce(_ bytes: [UInt8], _ random: inout SeededRandom) -> [UInt8] {
        var bytes = bytes
        let position = bytes.isEmpty ? 0 : random.int(0...bytes.count)
        switch random.int(0...9) {
        case 0:  // flip a byte
            if position < bytes.count { bytes[position] ^= UInt8(truncatingIfNeeded: 1 << random.int(0...7)) }
        case 1:  // delete a range
            if position < bytes.count { bytes.removeSubrange(position..<min(bytes.count, position + random.size(max: 200))) }
        case 2:  // duplicate a range
            if position < bytes.count {
                let chunk = bytes[position..<min(bytes.count, position + random.int(1...64))]
                for _ in 0..<random.int(1...(random.chance(0.1) ? 2000 : 3)) { bytes.insert(contentsOf: chunk, at: position) }
            }
        case 3, 4:  // insert an interesting number or text
            let text = random.chance(0.5) ? random.numberText() : random.text()
            bytes.insert(contentsOf: Array(text.utf8), at: position)
        case 5, 6:  // replace the number or word at the position with an interesting number
            var start = min(position, bytes.count), end = start
            while start > 0, isToken(bytes[start - 1]) { start -= 1 }
            while end < bytes.count, isToken(bytes[end]) { end += 1 }
            bytes.replaceSubrange(start..<end, with: Array(random.numberText().utf8))
        case 7:  // truncate
            bytes.removeSubrange(position..<bytes.count)
        case 8:  // open many structures
            bytes.insert(contentsOf: Array(Interesting.repeated(random.pick(["[", "{", "(", "- ", "  ", "!", "not ("]), random.size()).utf8), at: position)
        default:  // swap two bytes
            if bytes.count > 1, position < bytes.count {
                bytes.swapAt(position, random.int(0...(bytes.count - 1)))
            }
        }
        return bytes
    }

    private static func isToken(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2E || byte == 0x2D || byte == 0x5F
    }
}
