import Testing
@testable import Report

@Suite("HTML report")
struct HTMLReportTests {
    static let chart = RateChart(title: "Requests per second to btp (xsuaa)", bucketSeconds: 1, accepted: [3, 3, 2, 0], rejected: [0, 4, 0, 1],
                                 limitPerSecond: 3, limitLabel: "3 requests/s", notes: ["13 requests", "5 rejected with 429"])

    static let report = HTMLReport(
        timestamp: "2026-11-22T10:00:00", hostname: "ci-host", duration: 1.5,
        scenarios: [
            .init(id: "lifecycle/onboarding", name: "Onboarding <new> hires", description: "Alice & Bob arrive.", file: "scenarios/lifecycle/onboarding.yaml",
                  tags: ["lifecycle"], seed: 1, duration: 1.0, steps: [
                    .init(name: "the first Read", kind: "run", location: "scenarios/lifecycle/onboarding.yaml:20", status: .passed, duration: 0.5,
                          message: "READ of directory: Success", transcript: "Job 1 READ",
                          attachments: [.table(ReportTable(title: "READ of directory", columns: ["system", "created"], rows: [["btp", "2,000"]])), .chart(chart)]),
                    .init(name: "XSUAA has the users", kind: "assert", location: "scenarios/lifecycle/onboarding.yaml:30", status: .failed, duration: 0.01,
                          message: "xsuaa users: expected 3, actual 2", details: "xsuaa users: expected 3, actual 2\n<state>"),
                    .init(name: "later", kind: "assert", location: "scenarios/lifecycle/onboarding.yaml:40", status: .skipped, duration: 0, message: "not run"),
                  ]),
            .init(id: "afc/group-prefixes", name: "Group prefixes", description: "", file: "scenarios/afc/group-prefixes.yaml",
                  tags: [], seed: 7, duration: 0.5, steps: [
                    .init(name: "systems #1", kind: "systems", location: "scenarios/afc/group-prefixes.yaml:8", status: .passed, duration: 0.1, message: "started"),
                  ]),
        ])

    @Test func aSelfContainedPageWithTotalsAndEveryStep() {
        let html = HTMLReportWriter.html(Self.report)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.hasSuffix("</html>\n"))
        // Nothing fetched, nothing run: no scripts, no external resources.
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count - 1 == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1)
        #expect(html.contains("1 of 2 scenarios failed"))
        #expect(html.contains("<dt>steps failed</dt><dd>1</dd>") && html.contains("<dt>skipped</dt><dd>1</dd>"))
        #expect(html.contains(##"<a href="#scenario-1">Onboarding &lt;new&gt; hires</a>"##))
        #expect(html.contains(#"<section id="scenario-2" class="scenario passed">"#))
        #expect(html.contains("Alice &amp; Bob arrive."))
        #expect(html.contains("at scenarios/lifecycle/onboarding.yaml:30"))
        #expect(html.contains("xsuaa users: expected 3, actual 2\n&lt;state&gt;"))
        #expect(html.contains("<caption>READ of directory</caption>") && html.contains(#"<td class="num">2,000</td>"#))
        #expect(html.contains("<summary>transcript</summary><pre>Job 1 READ</pre>"))
        #expect(html.contains("13 requests · 5 rejected with 429"))
    }

    @Test func theChartStacksRejectedOverAcceptedAndDrawsTheLimit() {
        let svg = RateChartSVG.svg(Self.chart)
        #expect(svg.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg""#) && svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: #"class="accepted"><title>"#).count - 1 == 3)
        #expect(svg.components(separatedBy: #"class="rejected"><title>"#).count - 1 == 2)
        #expect(svg.contains("second 1: 4 rejected (429)/s"))
        #expect(svg.contains(#"class="limit"/>"#) && svg.contains("limit 3 requests/s"))
        // Peak 7/s → the axis runs to 10.
        #expect(svg.contains(">10</text>"))
    }

    @Test func binningKeepsEveryRequestAndWidensLongRuns() {
        // Buckets count from the first request: 1.1 s is still within its first second.
        let short = RateChart.binning([(0.2, false), (0.7, false), (1.1, true), (3.9, false)])
        #expect(short.bucketSeconds == 1 && short.accepted == [2, 0, 0, 1] && short.rejected == [1, 0, 0, 0])
        let long = RateChart.binning((0..<1000).map { (Double($0), $0 % 10 == 0) }, maxBars: 100)
        #expect(long.bucketSeconds == 10 && long.accepted.count == 100)
        #expect(long.accepted.reduce(0, +) == 900 && long.rejected.reduce(0, +) == 100)
        #expect(RateChart.binning([]).accepted.isEmpty)
    }

    @Test(arguments: [(0.4, 0.5), (1, 1), (3.75, 5), (7, 10), (12, 20), (24, 25), (260, 500)])
    func niceAxisMaxima(_ value: Double, _ expected: Double) {
        #expect(RateChartSVG.niceCeiling(value) == expected)
    }

    @Test func numbersAsPeopleReadThem() {
        #expect(NumberText.grouped(0) == "0" && NumberText.grouped(999) == "999" && NumberText.grouped(10_000) == "10,000")
        #expect(NumberText.grouped(-1_234_567) == "-1,234,567")
        #expect(NumberText.decimal(2.777_78) == "2.78" && NumberText.decimal(3) == "3" && NumberText.decimal(0.1, digits: 1) == "0.1")
    }
}
