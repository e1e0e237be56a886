/// Conversions of fractional seconds to whole numbers that never trap.
///
/// `Int(x)` traps when `x` is NaN, infinite or beyond `Int`'s range, and durations reach these
/// conversions from input (a `Retry-After` header, a control-API limit, a time scale). Each
/// conversion here saturates at `Seconds.limit` (about 31,700 years) and maps NaN to zero, so
/// arithmetic on the results (milliseconds, sums of delays) cannot overflow either.
public enum Seconds {
    /// The largest magnitude any conversion returns, in the unit it returns.
    public static let limit = 1_000_000_000_000_000.0

    /// `seconds` rounded up to a whole number.
    public static func wholeUp(_ seconds: Double) -> Int {
        saturated(seconds.rounded(.up))
    }

    /// `seconds` rounded down to a whole number.
    public static func wholeDown(_ seconds: Double) -> Int {
        saturated(seconds.rounded(.down))
    }

    /// `seconds` as whole milliseconds, rounded to nearest.
    public static func milliseconds(_ seconds: Double) -> Int {
        saturated((seconds * 1000).rounded())
    }

    /// `seconds` as whole nanoseconds, for `Task.sleep`; never negative.
    public static func nanoseconds(_ seconds: Double) -> Int64 {
        Int64(saturated((max(0, seconds) * 1e9).rounded()))
    }

    /// A number as a person reads it: `3`, `0.5`, `1e+20`.
    public static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static func saturated(_ value: Double) -> Int {
        guard !value.isNaN else { return 0 }
        return Int(min(max(value, -limit), limit))
    }
}
