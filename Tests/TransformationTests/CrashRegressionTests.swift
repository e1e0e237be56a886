import JSON
import Testing
@testable import Transformation

/// Transformation inputs that could trap the process (overflowing date arithmetic, a year of
/// eighteen digits, sums of huge minimums), kept as named tests: each is an entity failure or a
/// compile error now.
@Suite("Transformation crash regressions")
struct TransformationCrashRegressionTests {
    @Test("manipulateDate on /Date(Int.max)/ and /Date(Int.min)/ does not overflow", arguments: ["/Date(9223372036854775807)/", "/Date(-9223372036854775808)/", "/Date(-1)/"])
    func extremeMilliseconds(value: String) throws {
        let result = try? fn(#"{"type": "manipulateDate", "sourceDateFormat": "Date(milliseconds)", "targetDateFormat": "yyyy-MM-dd", "days": 1}"#, .string(value))
        if value == "/Date(-1)/" { #expect(result == "1970-01-01") }
    }

    @Test("periods that leave the supported years fail the entity with the function's error", arguments: [
        #"{"type": "manipulateDate", "sourceDateFormat": "yyyy-MM-dd", "years": 1000000000000000}"#,
        #"{"type": "manipulateDate", "sourceDateFormat": "yyyy-MM-dd", "days": 9223372036854775807}"#,
        #"{"type": "manipulateDate", "sourceDateFormat": "yyyy-MM-dd", "seconds": -9223372036854775808}"#,
    ])
    func periodsOutOfRange(function: String) throws {
        let failure = try fnFailure(function, "2024-01-31")
        #expect(failure?.contains("outside the supported years") == true, "\(failure ?? "no failure")")
    }

    @Test("a year of 18 digits or a day of year of 20 digits does not match the pattern (no overflow later)", arguments: [
        ("yyyyyyyyyyyyyyyyyyMMdd", "999999999999999999" + "0101"), ("yyyy-DDDDDDDDDDDDDDDDDDDD", "2024-99999999999999999999"),
        ("yyyy-DDDDDDDDDDDDDDDDDDD", "2024-9223372036854775807"),
    ])
    func hugeFields(pattern: String, value: String) throws {
        let failure = try fnFailure(#"{"type": "manipulateDate", "sourceDateFormat": "\#(pattern)", "days": 1}"#, .string(value))
        #expect(failure?.contains("does not match") == true, "\(failure ?? "no failure")")
    }

    @Test("randomPassword minimums whose sum overflows are a compile error, not a trap")
    func passwordSums() {
        let document = #"{"user": {"mappings": [{"targetPath": "$.p", "functions": [{"type": "randomPassword", "passwordLength": 8, "minimumNumberOfLowercaseLetters": 9223372036854775807, "minimumNumberOfUppercaseLetters": 1, "minimumNumberOfDigits": 1, "minimumNumberOfSpecialSymbols": 0}]}]}}"#
        #expect(throws: TransformationCompileError.self) { try Transformation(text: document) }
        let long = #"{"user": {"mappings": [{"targetPath": "$.p", "functions": [{"type": "randomPassword", "passwordLength": 1000000000000, "minimumNumberOfLowercaseLetters": 1, "minimumNumberOfUppercaseLetters": 0, "minimumNumberOfDigits": 0, "minimumNumberOfSpecialSymbols": 0}]}]}}"#
        #expect(throws: TransformationCompileError.self) { try Transformation(text: long) }
    }

    @Test("a condition nested 50,000 levels deep is a compile error at a column")
    func deepCondition() {
        let condition = String(repeating: "!(", count: 50_000) + "$.a" + String(repeating: ")", count: 50_000)
        #expect(throws: TransformationCompileError.self) { try Transformation(text: #"{"user": {"condition": "\#(condition)", "mappings": []}}"#) }
    }
}
