/// Combining shard reports into one.
extension JUnitReport {
    /// The suites of all reports, in the order given. The same test case (classname + name) in two
    /// reports means shards overlapped; that is refused rather than double-counted.
    public static func merged(_ reports: [JUnitReport]) throws(JUnitMergeError) -> JUnitReport {
        var seen: Set<String> = []
        var suites: [JUnitSuite] = []
        for report in reports {
            for suite in report.suites {
                for testCase in suite.cases {
                    let key = testCase.classname + "\u{0}" + testCase.name
                    guard seen.insert(key).inserted else {
                        throw JUnitMergeError(message: "test case '\(testCase.classname)' / '\(testCase.name)' appears in more than one report")
                    }
                }
                suites.append(suite)
            }
        }
        return JUnitReport(suites: suites)
    }
}

public struct JUnitMergeError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
