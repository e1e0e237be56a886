/// A short, human-readable account of a report for the terminal.
extension JUnitReport {
    public var summaryLine: String {
        let passed = tests - failures - errors - skipped
        var parts = ["\(passed) passed"]
        if failures > 0 { parts.append("\(failures) failed") }
        if errors > 0 { parts.append("\(errors) errors") }
        if skipped > 0 { parts.append("\(skipped) skipped") }
        let suitesText = suites.count == 1 ? "1 suite" : "\(suites.count) suites"
        return "\(suitesText), \(tests) tests: \(parts.joined(separator: ", ")) in \(JUnitXMLWriter.seconds(time)) s"
    }

    /// The summary line followed by one line per failed or errored case.
    public var summary: String {
        var lines = [summaryLine]
        for suite in suites {
            for testCase in suite.cases {
                switch testCase.outcome {
                case .failed(let p): lines.append("  FAIL  \(suite.name) › \(testCase.name): \(p.message)")
                case .error(let p): lines.append("  ERROR \(suite.name) › \(testCase.name): \(p.message)")
                default: break
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
