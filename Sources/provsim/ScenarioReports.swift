import Foundation
import Report
import Scenario

/// Running scenarios for `run` and `check`: progress lines, Ctrl-C, the JUnit and HTML reports,
/// the summary and the exit code.
enum ScenarioReports {
    /// Runs `scenarios` one after the other. Ctrl-C (or SIGTERM) ends the step under way; the
    /// scenario then cleans up, and the reports cover what ran (exit 128 + the signal).
    static func run(_ scenarios: [Scenario], with runner: ScenarioRunner, junit: String, html: String) async throws -> Int32 {
        let started = ContinuousClock.now
        let timestamp = ReportEnvironment.nowTimestamp()
        let progress = RunProgress(total: scenarios.count)
        let ticker = progress.ticker()
        let (results, interruption) = await Interrupts.cancelling(notice: interruptionNotice) {
            var results: [ScenarioResult] = []
            for scenario in scenarios where !Task.isCancelled {
                progress.scenarioStarting()
                let result = await runner.run(scenario) { event in progress.observe(event) }
                results.append(result)
                progress.print(ProgressLine.scenario(result))
            }
            return results
        }
        ticker.cancel()
        try write(results, junit: junit, html: html, timestamp: timestamp, elapsed: ContinuousClock.now - started)
        if let interruption {
            Terminal.error("provsim: interrupted after \(results.count) of \(scenarios.count) scenario\(scenarios.count == 1 ? "" : "s"); the reports cover those")
            return 128 + interruption
        }
        return results.allSatisfy(\.passed) ? 0 : 1
    }

    /// What the first Ctrl-C (or SIGTERM) prints.
    static let interruptionNotice = "provsim: interrupted: ending the step under way and cleaning up what the scenario created in systems that are not fakes (Ctrl-C again stops at once, without clean-up)"

    /// A file named `name` in the folder of `file` (the HTML report next to the JUnit report).
    static func path(_ name: String, nextTo file: String) -> String {
        ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
    }

    static func write(_ results: [ScenarioResult], junit: String, html: String, timestamp: String, elapsed: Duration) throws {
        do {
            try InputFiles.write(JUnitXMLWriter.xml(results.junitReport()), to: junit)
        } catch {
            throw CommandFailure(code: 2, message: "cannot write \(junit): \(error.localizedDescription)")
        }
        do {
            let report = results.htmlReport(timestamp: timestamp, duration: elapsed.inSeconds)
            try InputFiles.write(HTMLReportWriter.html(report), to: html)
        } catch {
            throw CommandFailure(code: 2, message: "cannot write \(html): \(error.localizedDescription)")
        }
        Terminal.print(ProgressLine.summary(results, elapsed: elapsed, reports: [junit, html]))
    }
}
