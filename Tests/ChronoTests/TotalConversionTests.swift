import Chrono
import Testing

/// Conversions and date arithmetic on values that come from input: never a trap.
@Suite("Total conversions and date arithmetic")
struct TotalConversionTests {
    @Test("Seconds saturates instead of trapping on NaN, infinities and huge values", arguments: [
        Double.nan, .infinity, -.infinity, 1e300, -1e300, 9.3e18, Double(Int.max), 0.4, 2.5,
    ])
    func secondsSaturate(value: Double) {
        let up = Seconds.wholeUp(value), down = Seconds.wholeDown(value), ms = Seconds.milliseconds(value), ns = Seconds.nanoseconds(value)
        #expect(abs(up) <= Int(Seconds.limit) && abs(down) <= Int(Seconds.limit) && abs(ms) <= Int(Seconds.limit))
        #expect(ns >= 0 && ns <= Int64(Seconds.limit))
        if value.isNaN { #expect(up == 0 && down == 0 && ms == 0 && ns == 0) }
        _ = Seconds.text(value)
    }

    @Test("exact on ordinary values")
    func secondsExact() {
        #expect(Seconds.wholeUp(2.1) == 3)
        #expect(Seconds.wholeDown(2.9) == 2)
        #expect(Seconds.milliseconds(1.5) == 1500)
        #expect(Seconds.nanoseconds(0.25) == 250_000_000)
        #expect(Seconds.text(3) == "3" && Seconds.text(0.5) == "0.5")
    }

    @Test("adding periods that leave the supported years is nil, not an overflow or an out-of-range month", arguments: [
        (1_000_000_000_000_000, 0, 0), (0, Int.max, 0), (0, Int.min, 0), (0, 0, Int.max), (0, 0, Int.min), (Int.max / 12 + 1, 0, 0), (100_000_001, 0, 0),
    ])
    func addingOutOfRange(years: Int, months: Int, days: Int) {
        let start = CivilDateTime(year: 2024, month: 1, day: 31)
        #expect(start.adding(years: years, months: months, days: days) == nil)
    }

    @Test("the edges of the supported years still compute exactly")
    func supportedEdges() throws {
        let late = try #require(CivilDateTime(year: 2024, month: 1, day: 31).adding(years: 99_997_000))
        #expect(late.year == 99_999_024 && late.month == 1 && late.day == 31)
        let early = try #require(CivilDateTime(year: 2024, month: 3, day: 1).adding(years: -100_002_024))
        #expect(early.year == -100_000_000)
        #expect(CivilDateTime(epochMilliseconds: Int.max).year > 0)
        #expect(CivilDateTime(epochMilliseconds: Int.min).year < 0)
        #expect(CivilDateTime(epochMilliseconds: -1) == CivilDateTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59, nanosecond: 999_000_000))
    }
}
