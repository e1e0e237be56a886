import Chrono

/// The subset of `java.time.format.DateTimeFormatter` patterns used in IPS transformations:
/// `y`/`u` `M` `d` `D` `H` `h` `k` `K` `m` `s` `S` `a` `E` `X` `x` `Z`, `'quoted text'`, and any
/// other non-letter character literally. Zone names (`z`, `V`) and optional sections are rejected.
struct JavaDateFormat: Sendable {
    enum Token: Sendable, Equatable {
        case literal(String)
        case field(Character, Int)
    }

    let pattern: String
    let tokens: [Token]

    static let supportedLetters: Set<Character> = ["y", "u", "M", "L", "d", "D", "H", "h", "k", "K", "m", "s", "S", "a", "E", "X", "x", "Z"]

    init(_ pattern: String) throws(EntityFailure) {
        self.pattern = pattern
        var tokens: [Token] = []
        let chars = Array(pattern)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                var j = i + 1
                var text = ""
                while j < chars.count {
                    if chars[j] == "'" {
                        if j + 1 < chars.count, chars[j + 1] == "'" {
                            text.append("'")
                            j += 2
                            continue
                        }
                        break
                    }
                    text.append(chars[j])
                    j += 1
                }
                guard j < chars.count || i + 1 == j else {
                    throw EntityFailure(rule: "date format", message: "unterminated quote in '\(pattern)'")
                }
                tokens.append(.literal(text.isEmpty ? "'" : text))
                i = j + 1
            } else if c.isLetter, c.isASCII {
                guard Self.supportedLetters.contains(c) else {
                    throw EntityFailure(rule: "date format", message: "pattern letter '\(c)' in '\(pattern)' is not supported")
                }
                var n = 1
                while i + n < chars.count, chars[i + n] == c { n += 1 }
                tokens.append(.field(c, n))
                i += n
            } else if c == "[" || c == "]" {
                throw EntityFailure(rule: "date format", message: "optional sections [...] in '\(pattern)' are not supported")
            } else {
                tokens.append(.literal(String(c)))
                i += 1
            }
        }
        self.tokens = tokens
    }

    private static let monthsShort = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let monthsLong = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    private static let daysShort = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let daysLong = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    func format(_ t: CivilDateTime) -> String {
        var out = ""
        for token in tokens {
            switch token {
            case .literal(let s):
                out += s
            case .field(let letter, let n):
                switch letter {
                case "y", "u":
                    out += n == 2 ? pad(((t.year % 100) + 100) % 100, 2) : pad(t.year, n)
                case "M", "L":
                    switch n {
                    case 1, 2: out += pad(t.month, n)
                    case 3: out += Self.monthsShort[t.month - 1]
                    default: out += Self.monthsLong[t.month - 1]
                    }
                case "d": out += pad(t.day, n)
                case "D": out += pad(CivilDateTime.daysFromCivil(t.year, t.month, t.day) - CivilDateTime.daysFromCivil(t.year, 1, 1) + 1, n)
                case "H": out += pad(t.hour, n)
                case "k": out += pad(t.hour == 0 ? 24 : t.hour, n)
                case "K": out += pad(t.hour % 12, n)
                case "h": out += pad(t.hour % 12 == 0 ? 12 : t.hour % 12, n)
                case "m": out += pad(t.minute, n)
                case "s": out += pad(t.second, n)
                case "S":
                    let digits = pad(t.nanosecond, 9)
                    out += n <= 9 ? String(digits.prefix(n)) : digits + String(repeating: "0", count: n - 9)
                case "a": out += t.hour < 12 ? "AM" : "PM"
                case "E": out += n >= 4 ? Self.daysLong[t.dayOfWeek - 1] : Self.daysShort[t.dayOfWeek - 1]
                case "X", "x", "Z": out += formatOffset(t.offsetSeconds, letter: letter, count: n)
                default: break
                }
            }
        }
        return out
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(abs(value))
        let padded = digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        return value < 0 ? "-" + padded : padded
    }

    private func formatOffset(_ seconds: Int, letter: Character, count: Int) -> String {
        if seconds == 0 && letter == "X" { return "Z" }
        let sign = seconds < 0 ? "-" : "+"
        let h = pad(abs(seconds) / 3600, 2)
        let m = pad(abs(seconds) % 3600 / 60, 2)
        if letter == "Z" { return count == 4 ? "GMT\(sign)\(h):\(m)" : "\(sign)\(h)\(m)" }
        switch count {
        case 1: return m == "00" ? "\(sign)\(h)" : "\(sign)\(h)\(m)"
        case 2, 4: return "\(sign)\(h)\(m)"
        default: return "\(sign)\(h):\(m)"
        }
    }

    /// Parses `text` strictly against the pattern. Fields the pattern lacks default to the start
    /// of the day/month/year; without an offset field the text is taken as UTC.
    func parse(_ text: String) -> CivilDateTime? {
        let chars = Array(text)
        var i = 0
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, nano = 0, offset = 0
        var pm: Bool?
        var hour12: Int?
        func readNumber(_ minDigits: Int, _ maxDigits: Int) -> Int? {
            var j = i
            var negative = false
            if j < chars.count, chars[j] == "-" || chars[j] == "+", maxDigits > 4 {
                negative = chars[j] == "-"
                j += 1
            }
            let start = j
            while j < chars.count, j - start < maxDigits, chars[j].isASCII, chars[j].isNumber {
                j += 1
            }
            guard j - start >= minDigits, let v = Int(String(chars[start..<j])) else { return nil }
            i = j
            return negative ? -v : v
        }
        func readWord(_ options: [String]) -> Int? {
            for (index, option) in options.enumerated() {
                let end = i + option.count
                if end <= chars.count, String(chars[i..<end]).lowercased() == option.lowercased() {
                    i = end
                    return index
                }
            }
            return nil
        }
        for (index, token) in tokens.enumerated() {
            // A numeric field followed directly by another numeric field has a fixed width.
            let adjacentNumeric: Bool = {
                guard index + 1 < tokens.count, case .field(let next, _) = tokens[index + 1] else { return false }
                return "yuMLdDHhkKmsS".contains(next)
            }()
            switch token {
            case .literal(let s):
                let end = i + s.count
                guard end <= chars.count, String(chars[i..<end]) == s else { return nil }
                i = end
            case .field(let letter, let n):
                // Fixed width when glued to the next numeric field ("yyyyMMdd"), else 1-2 digits more.
                let width = adjacentNumeric ? n : max(n, 2)
                switch letter {
                case "y", "u":
                    if n == 2 {
                        guard let v = readNumber(2, 2) else { return nil }
                        year = 2000 + v
                    } else {
                        guard let v = readNumber(n, adjacentNumeric ? n : 10), CivilDateTime.supportedYears.contains(v) else { return nil }
                        year = v
                    }
                case "M", "L":
                    if n >= 3 {
                        guard let v = readWord(n == 3 ? Self.monthsShort : Self.monthsLong) else { return nil }
                        month = v + 1
                    } else {
                        guard let v = readNumber(n, width) else { return nil }
                        month = v
                    }
                case "d": guard let v = readNumber(n, width) else { return nil }; day = v
                case "D":
                    guard let v = readNumber(n, max(n, 3)), (1...366).contains(v) else { return nil }
                    (_, month, day) = CivilDateTime.civilFromDays(CivilDateTime.daysFromCivil(year, 1, 1) + v - 1)
                case "H", "k": guard let v = readNumber(n, width) else { return nil }; hour = letter == "k" && v == 24 ? 0 : v
                case "h", "K": guard let v = readNumber(n, width) else { return nil }; hour12 = v
                case "m": guard let v = readNumber(n, width) else { return nil }; minute = v
                case "s": guard let v = readNumber(n, width) else { return nil }; second = v
                case "S":
                    let start = i
                    guard readNumber(n, n) != nil else { return nil }
                    let digits = String(chars[start..<i])
                    nano = Int((digits + String(repeating: "0", count: 9)).prefix(9)) ?? 0
                case "a": guard let v = readWord(["AM", "PM"]) else { return nil }; pm = v == 1
                case "E": guard readWord(n >= 4 ? Self.daysLong : Self.daysShort) != nil else { return nil }
                case "X", "x", "Z":
                    guard let v = parseOffset(chars, &i) else { return nil }
                    offset = v
                default: return nil
                }
            }
        }
        guard i == chars.count else { return nil }
        if let h12 = hour12 { hour = (h12 % 12) + ((pm ?? false) ? 12 : 0) }
        guard (1...12).contains(month), day >= 1, day <= CivilDateTime.daysInMonth(year, month),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return CivilDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: nano, offsetSeconds: offset)
    }

    private func parseOffset(_ chars: [Character], _ i: inout Int) -> Int? {
        guard i < chars.count else { return nil }
        if chars[i] == "Z" {
            i += 1
            return 0
        }
        if i + 3 <= chars.count, String(chars[i..<(i + 3)]) == "GMT" { i += 3 }
        guard i < chars.count, chars[i] == "+" || chars[i] == "-" else { return nil }
        let sign = chars[i] == "-" ? -1 : 1
        i += 1
        var digits = ""
        while i < chars.count, chars[i].isASCII, chars[i].isNumber || chars[i] == ":" {
            if chars[i] != ":" { digits.append(chars[i]) }
            i += 1
        }
        guard digits.count == 2 || digits.count == 4, let v = Int(digits) else { return nil }
        let hours = digits.count == 2 ? v : v / 100
        let minutes = digits.count == 2 ? 0 : v % 100
        return sign * (hours * 3600 + minutes * 60)
    }
}
