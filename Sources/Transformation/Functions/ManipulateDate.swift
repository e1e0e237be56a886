import Chrono
import JSON

/// `manipulateDate`: parse with `sourceDateFormat`, add the signed periods, format with
/// `targetDateFormat` (default: the source format). The special source format `Date(milliseconds)`
/// reads SuccessFactors-style `/Date(1519809649123-0240)/` values (the offset is shown but, as in
/// IPS, ignored in the calculation). Without a source format the value must be ISO 8601.
struct ManipulateDate: MappingFunction {
    enum Input: Sendable {
        case pattern(JavaDateFormat)
        case epochMilliseconds
        case iso8601
    }

    let source: Input
    let target: JavaDateFormat
    let years, months, days, hours, minutes, seconds: Int

    static let isoOutput = try! JavaDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'")
    private static let isoInputs = [
        "yyyy-MM-dd'T'HH:mm:ss.SSSX", "yyyy-MM-dd'T'HH:mm:ssX", "yyyy-MM-dd'T'HH:mm:ss.SSS",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd",
    ].map { try! JavaDateFormat($0) }

    func apply(_ value: JSONValue, in environment: inout FunctionEnvironment) throws(FunctionError) -> JSONValue? {
        let text = try value.scalarText(for: "manipulateDate")
        let date: CivilDateTime
        switch source {
        case .pattern(let format):
            guard let d = format.parse(text) else {
                throw FunctionError("'\(text)' does not match the sourceDateFormat '\(format.pattern)'")
            }
            date = d
        case .epochMilliseconds:
            guard let open = text.range(of: "Date(") else {
                throw FunctionError("'\(text)' is not a Date(milliseconds) value")
            }
            var rest = text[open.upperBound...]
            var digits = ""
            if rest.first == "-" {
                digits = "-"
                rest = rest.dropFirst()
            }
            digits += rest.prefix(while: \.isNumber)
            guard let millis = Int(digits) else {
                throw FunctionError("'\(text)' is not a Date(milliseconds) value")
            }
            date = CivilDateTime(epochMilliseconds: millis)
        case .iso8601:
            guard let d = Self.isoInputs.lazy.compactMap({ $0.parse(text) }).first else {
                throw FunctionError("'\(text)' is not an ISO 8601 date (give a sourceDateFormat)")
            }
            date = d
        }
        guard let shifted = date.adding(years: years, months: months, days: days, hours: hours, minutes: minutes, seconds: seconds) else {
            throw FunctionError("'\(text)' shifted by the given periods is outside the supported years (\(CivilDateTime.supportedYears.lowerBound) to \(CivilDateTime.supportedYears.upperBound))")
        }
        return .string(target.format(shifted))
    }
}
