/// A date-time in the proleptic Gregorian calendar with a fixed UTC offset, and the arithmetic
/// `manipulateDate` needs (Java's `plusMonths` clamps the day: Jan 31 + 1 month = Feb 28/29).
public struct CivilDateTime: Equatable, Hashable, Sendable {
    public var year: Int
    public var month: Int  // 1...12
    public var day: Int  // 1...31
    public var hour = 0
    public var minute = 0
    public var second = 0
    public var nanosecond = 0
    /// Offset from UTC in seconds, as written in the text (or 0).
    public var offsetSeconds = 0

    /// Seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int {
        CivilDateTime.daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
    }

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0, offsetSeconds: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.offsetSeconds = offsetSeconds
    }

    /// The years date arithmetic supports: far beyond any real date, and small enough that an
    /// instant in milliseconds fits in 64 bits, so no calculation on a supported date overflows.
    public static let supportedYears = -100_000_000...100_000_000

    /// `value` divided by `divisor` (positive), rounded down, and the non-negative remainder.
    static func floorDivision(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }

    /// The UTC date-time of an instant.
    public init(epochSeconds: Int, nanosecond: Int = 0) {
        let (days, secondsOfDay) = CivilDateTime.floorDivision(epochSeconds, 86_400)
        (year, month, day) = CivilDateTime.civilFromDays(days)
        hour = secondsOfDay / 3600
        minute = secondsOfDay % 3600 / 60
        second = secondsOfDay % 60
        self.nanosecond = nanosecond
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Java `plusYears`/`plusMonths`/… in that order, keeping the offset; nil when the date is
    /// outside `supportedYears` or the result would be.
    public func adding(years: Int = 0, months: Int = 0, days: Int = 0, hours: Int = 0, minutes: Int = 0, seconds: Int = 0) -> CivilDateTime? {
        guard CivilDateTime.supportedYears.contains(year), (1...12).contains(month),
              let yearMonths = Checked.product(years, 12),
              let totalMonths = Checked.sum([year * 12, month - 1, yearMonths, months]) else { return nil }
        var result = self
        let (resultYear, monthIndex) = CivilDateTime.floorDivision(totalMonths, 12)
        guard CivilDateTime.supportedYears.contains(resultYear) else { return nil }
        result.year = resultYear
        result.month = monthIndex + 1
        result.day = min(day, CivilDateTime.daysInMonth(result.year, result.month))
        guard let dayShift = Checked.product(days, 86_400), let hourShift = Checked.product(hours, 3600),
              let minuteShift = Checked.product(minutes, 60),
              let local = Checked.sum([CivilDateTime.daysFromCivil(result.year, result.month, result.day) * 86_400,
                                       hour * 3600 + minute * 60 + second, dayShift, hourShift, minuteShift, seconds]) else { return nil }
        var shifted = CivilDateTime(epochSeconds: local, nanosecond: nanosecond)
        guard CivilDateTime.supportedYears.contains(shifted.year) else { return nil }
        shifted.offsetSeconds = offsetSeconds
        return shifted
    }

    public var dayOfWeek: Int {  // 1 = Monday … 7 = Sunday (ISO)
        let days = CivilDateTime.daysFromCivil(year, month, day)
        return ((days % 7) + 7 + 3) % 7 + 1
    }
}


extension CivilDateTime {
    /// The instant in milliseconds since 1970 (the offset applied).
    public var epochMilliseconds: Int {
        epochSeconds * 1000 + nanosecond / 1_000_000
    }

    /// The UTC date-time of an instant given in milliseconds.
    public init(epochMilliseconds: Int) {
        let (seconds, millis) = CivilDateTime.floorDivision(epochMilliseconds, 1000)
        self.init(epochSeconds: seconds, nanosecond: millis * 1_000_000)
    }
}

/// Integer arithmetic that reports overflow as nil instead of trapping.
enum Checked {
    static func product(_ a: Int, _ b: Int) -> Int? {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : value
    }

    static func sum(_ terms: [Int]) -> Int? {
        var total = 0
        for term in terms {
            let (value, overflow) = total.addingReportingOverflow(term)
            if overflow { return nil }
            total = value
        }
        return total
    }
}
