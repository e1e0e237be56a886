/// Timestamps as SCIM (`xsd:dateTime`) and UAA write them: `2024-01-10T10:11:12.123Z`.
public enum RFC3339 {
    /// Formats an instant in UTC with milliseconds: `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`.
    public static func format(epochMilliseconds: Int) -> String {
        let t = CivilDateTime(epochMilliseconds: epochMilliseconds)
        return "\(pad(t.year, 4))-\(pad(t.month, 2))-\(pad(t.day, 2))T\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2)).\(pad(t.nanosecond / 1_000_000, 3))Z"
    }

    /// Formats without fractional seconds: `2019-10-10T17:19:12Z` (Cloud Foundry's style).
    public static func formatSeconds(epochMilliseconds: Int) -> String {
        let t = CivilDateTime(epochMilliseconds: epochMilliseconds)
        return "\(pad(t.year, 4))-\(pad(t.month, 2))-\(pad(t.day, 2))T\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2))Z"
    }

    /// Parses `yyyy-MM-dd'T'HH:mm:ss[.fraction](Z|±hh:mm)`; `nil` for anything else. A date alone
    /// (`yyyy-MM-dd`) is midnight UTC.
    public static func parse(_ text: String) -> CivilDateTime? {
        let b = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var v = 0
            for i in start..<(start + count) {
                let d = Int(b[i]) - 48
                guard d >= 0 && d <= 9 else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard b.count >= 10, let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45, let day = digits(8, 2),
              (1...12).contains(month), day >= 1, day <= CivilDateTime.daysInMonth(year, month) else { return nil }
        if b.count == 10 { return CivilDateTime(year: year, month: month, day: day) }
        guard b.count >= 19, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == 32,
              let hour = digits(11, 2), b[13] == 58, let minute = digits(14, 2), b[16] == 58, let second = digits(17, 2),
              hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var nano = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 100_000_000
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                nano += Int(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        var offset = 0
        if i < b.count, b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            guard let h = digits(i + 1, 2) else { return nil }
            var m = 0
            if i + 3 < b.count, b[i + 3] == 58 {
                guard let mm = digits(i + 4, 2) else { return nil }
                m = mm
                i += 6
            } else if let mm = digits(i + 3, 2) {
                m = mm
                i += 5
            } else {
                i += 3
            }
            offset = sign * (h * 3600 + m * 60)
        } else {
            return nil  // RFC 3339 requires a zone
        }
        guard i == b.count else { return nil }
        return CivilDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: nano, offsetSeconds: offset)
    }

    private static func pad(_ v: Int, _ n: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, n - s.count)) + s
    }
}
