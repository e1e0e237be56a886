/// Renders an `HTMLReport` as one self-contained HTML5 file: inline CSS and SVG, no scripts, no
/// external resources, so it opens from a CI artifact store or a mail attachment alike.
public enum HTMLReportWriter {
    public static func html(_ report: HTMLReport) -> String {
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        h += "<title>\(e(report.title))</title>\n<style>\(css)</style>\n</head>\n<body>\n"
        h += header(report)
        h += overview(report)
        for (index, scenario) in report.scenarios.enumerated() {
            h += section(scenario, index: index)
        }
        h += "<footer>provsim \(e(report.version)) · \(e(report.hostname)) · \(e(report.timestamp)) UTC</footer>\n</body>\n</html>\n"
        return h
    }

    private static func e(_ text: String) -> String { HTMLText.escaped(text) }

    private static func seconds(_ value: Double) -> String { JUnitXMLWriter.seconds(value) + " s" }

    private static func header(_ report: HTMLReport) -> String {
        let failedScenarios = report.scenarios.filter { !$0.passed }.count
        let passedScenarios = report.scenarios.count - failedScenarios
        let verdict = failedScenarios == 0 ? "passed" : "failed"
        var h = "<header class=\"\(verdict)\">\n<h1>\(e(report.title))</h1>\n<p class=\"verdict\">"
        h += failedScenarios == 0
            ? "All \(report.scenarios.count) scenarios passed"
            : "\(failedScenarios) of \(report.scenarios.count) scenario\(report.scenarios.count == 1 ? "" : "s") failed"
        h += "</p>\n<dl class=\"totals\">"
        h += total("scenarios", "\(report.scenarios.count)") + total("passed", "\(passedScenarios)", "passed") + total("failed", "\(failedScenarios)", failedScenarios > 0 ? "failed" : nil)
        let steps = report.scenarios.reduce(0) { $0 + $1.steps.count }
        h += total("steps", "\(steps)") + total("steps passed", "\(report.count(.passed))", "passed")
        h += total("steps failed", "\(report.count(.failed))", report.count(.failed) > 0 ? "failed" : nil)
        h += total("errors", "\(report.count(.error))", report.count(.error) > 0 ? "error" : nil)
        h += total("skipped", "\(report.count(.skipped))", report.count(.skipped) > 0 ? "skipped" : nil)
        h += total("wall time", seconds(report.duration))
        h += "</dl>\n</header>\n"
        return h
    }

    private static func total(_ label: String, _ value: String, _ style: String? = nil) -> String {
        "<div\(style.map { " class=\"\($0)\"" } ?? "")><dt>\(e(label))</dt><dd>\(e(value))</dd></div>"
    }

    private static func badge(_ status: HTMLReport.Status) -> String {
        let text = ["passed": "PASS", "failed": "FAIL", "error": "ERROR", "skipped": "SKIP"][status.rawValue]!
        return "<span class=\"badge \(status.rawValue)\">\(text)</span>"
    }

    private static func anchor(_ index: Int) -> String { "scenario-\(index + 1)" }

    private static func overview(_ report: HTMLReport) -> String {
        var h = "<nav>\n<table class=\"overview\">\n<thead><tr><th>status</th><th>scenario</th><th>id</th><th>steps</th><th>time</th></tr></thead>\n<tbody>\n"
        for (index, scenario) in report.scenarios.enumerated() {
            let passedSteps = scenario.steps.filter { $0.status == .passed }.count
            h += "<tr><td>\(badge(scenario.passed ? .passed : .failed))</td><td><a href=\"#\(anchor(index))\">\(e(scenario.name))</a></td>"
            h += "<td><code>\(e(scenario.id))</code></td><td class=\"num\">\(passedSteps)/\(scenario.steps.count)</td><td class=\"num\">\(seconds(scenario.duration))</td></tr>\n"
        }
        return h + "</tbody>\n</table>\n</nav>\n"
    }

    private static func section(_ scenario: HTMLReport.Scenario, index: Int) -> String {
        var h = "<section id=\"\(anchor(index))\" class=\"scenario \(scenario.passed ? "passed" : "failed")\">\n"
        h += "<h2>\(badge(scenario.passed ? .passed : .failed)) \(e(scenario.name))</h2>\n"
        h += "<p class=\"meta\"><code>\(e(scenario.id))</code> · \(e(scenario.file)) · seed \(scenario.seed) · \(seconds(scenario.duration))"
        if !scenario.tags.isEmpty { h += " · " + scenario.tags.map { "<span class=\"tag\">\(e($0))</span>" }.joined(separator: " ") }
        h += "</p>\n"
        if !scenario.description.isEmpty { h += "<p class=\"description\">\(e(scenario.description))</p>\n" }
        h += "<table class=\"steps\">\n<thead><tr><th>#</th><th>status</th><th>step</th><th>kind</th><th>time</th><th>outcome</th></tr></thead>\n<tbody>\n"
        for (i, step) in scenario.steps.enumerated() {
            h += "<tr class=\"\(step.status.rawValue)\"><td class=\"num\">\(i + 1)</td><td>\(badge(step.status))</td><td>\(e(step.name))</td>"
            h += "<td><code>\(e(step.kind))</code></td><td class=\"num\">\(seconds(step.duration))</td><td>\(e(step.message))</td></tr>\n"
            let extra = stepDetails(step)
            if !extra.isEmpty { h += "<tr class=\"extra\"><td></td><td colspan=\"5\">\(extra)</td></tr>\n" }
        }
        return h + "</tbody>\n</table>\n</section>\n"
    }

    private static func stepDetails(_ step: HTMLReport.Step) -> String {
        var h = ""
        if step.status == .failed || step.status == .error {
            h += "<div class=\"problem\"><p class=\"location\">at \(e(step.location))</p>"
            if !step.details.isEmpty { h += "<pre class=\"details\">\(e(step.details))</pre>" }
            h += "</div>"
        }
        for attachment in step.attachments {
            switch attachment {
            case .table(let table): h += tableHTML(table)
            case .chart(let chart):
                h += "<figure>\(RateChartSVG.svg(chart))"
                if !chart.notes.isEmpty { h += "<figcaption>\(chart.notes.map(e).joined(separator: " · "))</figcaption>" }
                h += "</figure>"
            }
        }
        if !step.transcript.isEmpty, step.status == .passed {
            h += "<details><summary>transcript</summary><pre>\(e(step.transcript))</pre></details>"
        }
        return h
    }

    private static func tableHTML(_ table: ReportTable) -> String {
        var h = "<table class=\"data\"><caption>\(e(table.title))</caption><thead><tr>"
        h += table.columns.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in table.rows {
            h += "<tr>" + row.enumerated().map { i, cell in "<td\(i > 0 && isNumber(cell) ? " class=\"num\"" : "")>\(e(cell))</td>" }.joined() + "</tr>"
        }
        return h + "</tbody></table>"
    }

    private static func isNumber(_ cell: String) -> Bool {
        !cell.isEmpty && cell.allSatisfy { $0.isNumber || $0 == "," || $0 == "." }
    }

    static let css = """
    :root{--pass:#1a7f37;--fail:#cf222e;--err:#9a6700;--skip:#6e7781;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa}
    *{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);margin:0 auto;max-width:1100px;padding:0 20px 40px}
    header{border-bottom:4px solid var(--pass);padding:16px 0 8px;margin-bottom:16px}header.failed{border-color:var(--fail)}
    h1{font-size:22px;margin:0}.verdict{font-size:18px;font-weight:600;margin:4px 0 12px}header.passed .verdict{color:var(--pass)}header.failed .verdict{color:var(--fail)}
    .totals{display:flex;flex-wrap:wrap;gap:8px;margin:0}.totals div{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:90px}
    .totals dt{font-size:11px;text-transform:uppercase;color:var(--muted)}.totals dd{margin:0;font-size:18px;font-weight:600}
    .totals .passed dd{color:var(--pass)}.totals .failed dd{color:var(--fail)}.totals .error dd{color:var(--err)}.totals .skipped dd{color:var(--skip)}
    table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
    th{background:var(--bg);font-weight:600}.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
    .badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:11px;font-weight:700;color:#fff}
    .badge.passed{background:var(--pass)}.badge.failed{background:var(--fail)}.badge.error{background:var(--err)}.badge.skipped{background:var(--skip)}
    section.scenario{margin-top:28px;border-top:1px solid var(--line);padding-top:8px}h2{font-size:18px;margin:8px 0 4px}
    .meta{color:var(--muted);margin:0 0 6px}.description{margin:4px 0 8px;max-width:80ch}.tag{background:var(--bg);border:1px solid var(--line);border-radius:10px;padding:0 6px;font-size:12px}
    tr.failed td,tr.error td{background:#fff1f0}tr.skipped td{color:var(--skip)}tr.extra td{border-bottom:1px solid var(--line);padding-top:0}
    .problem{border-left:3px solid var(--fail);padding-left:8px;margin:4px 0}.location{margin:2px 0;color:var(--muted);font-family:ui-monospace,monospace;font-size:12px}
    pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;max-height:420px;font-size:12px;white-space:pre-wrap;word-break:break-word}
    pre.details{background:#fff8f8}
    table.data{width:auto;min-width:50%;font-size:13px}table.data caption{text-align:left;font-weight:600;padding:4px 0}
    figure{margin:8px 0}svg.chart{width:100%;max-width:760px;height:auto;background:#fff;border:1px solid var(--line);border-radius:6px}
    figcaption{color:var(--muted);font-size:12px}
    .chart-title{font-weight:600;font-size:13px}.tick{font-size:11px;fill:var(--muted)}.grid{stroke:#eaeef2}.axis{stroke:var(--ink)}
    .accepted{fill:#0969da}.rejected{fill:var(--fail)}.limit{stroke:#bf8700;stroke-width:2;stroke-dasharray:6 4}.limit-label{font-size:11px;fill:#9a6700;font-weight:600}
    details summary{cursor:pointer;color:var(--muted)}footer{margin-top:32px;color:var(--muted);font-size:12px}
    """
}
