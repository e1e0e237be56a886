/// Draws a `RateChart` as inline SVG: stacked bars (accepted, rejected) per bucket, the limit as a
/// dashed line, axes with a few ticks and a legend. No script, no external resources.
enum RateChartSVG {
    static let width = 760.0, height = 260.0
    static let left = 48.0, right = 16.0, top = 30.0, bottom = 40.0

    static func svg(_ chart: RateChart) -> String {
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let perSecond = { (count: Int) in Double(count) / chart.bucketSeconds }
        let bars = zip(chart.accepted, chart.rejected).map { (perSecond($0), perSecond($1)) }
        let peak = bars.map { $0.0 + $0.1 }.max() ?? 0
        let yMax = niceCeiling(max(peak, (chart.limitPerSecond ?? 0) * 1.25, 1))
        let y = { (value: Double) in top + plotHeight * (1 - value / yMax) }
        let barWidth = bars.isEmpty ? 0 : plotWidth / Double(bars.count)
        var s = #"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(HTMLText.escaped(chart.title))">"#
        s += #"<text x="\#(left)" y="18" class="chart-title">\#(HTMLText.escaped(chart.title))</text>"#
        // Horizontal grid and y ticks.
        for i in 0...4 {
            let value = yMax * Double(i) / 4
            let yy = y(value)
            s += #"<line x1="\#(left)" x2="\#(width - right)" y1="\#(f(yy))" y2="\#(f(yy))" class="grid"/>"#
            s += #"<text x="\#(left - 6)" y="\#(f(yy + 4))" class="tick" text-anchor="end">\#(NumberText.decimal(value, digits: 1))</text>"#
        }
        for (i, bar) in bars.enumerated() {
            let x = left + Double(i) * barWidth
            let w = max(barWidth - (barWidth > 3 ? 1 : 0), 0.5)
            if bar.0 > 0 {
                s += #"<rect x="\#(f(x))" y="\#(f(y(bar.0)))" width="\#(f(w))" height="\#(f(y(0) - y(bar.0)))" class="accepted"><title>\#(label(i, chart)): \#(NumberText.decimal(bar.0)) accepted/s</title></rect>"#
            }
            if bar.1 > 0 {
                s += #"<rect x="\#(f(x))" y="\#(f(y(bar.0 + bar.1)))" width="\#(f(w))" height="\#(f(y(bar.0) - y(bar.0 + bar.1)))" class="rejected"><title>\#(label(i, chart)): \#(NumberText.decimal(bar.1)) rejected (429)/s</title></rect>"#
            }
        }
        if let limit = chart.limitPerSecond {
            s += #"<line x1="\#(left)" x2="\#(width - right)" y1="\#(f(y(limit)))" y2="\#(f(y(limit)))" class="limit"/>"#
            s += #"<text x="\#(width - right - 4)" y="\#(f(y(limit) - 5))" class="limit-label" text-anchor="end">limit \#(HTMLText.escaped(chart.limitLabel))</text>"#
        }
        // Axes and x ticks in simulated seconds.
        s += #"<line x1="\#(left)" x2="\#(width - right)" y1="\#(f(y(0)))" y2="\#(f(y(0)))" class="axis"/>"#
        s += #"<line x1="\#(left)" x2="\#(left)" y1="\#(top)" y2="\#(f(y(0)))" class="axis"/>"#
        let span = Double(bars.count) * chart.bucketSeconds
        for i in 0...4 where !bars.isEmpty {
            let x = left + plotWidth * Double(i) / 4
            s += #"<text x="\#(f(x))" y="\#(f(y(0) + 15))" class="tick" text-anchor="\#(i == 0 ? "start" : i == 4 ? "end" : "middle")">\#(NumberText.decimal(span * Double(i) / 4, digits: span < 20 ? 1 : 0)) s</text>"#
        }
        s += #"<text x="\#(f(left + plotWidth / 2))" y="\#(f(height - 6))" class="tick" text-anchor="middle">simulated time\#(chart.bucketSeconds > 1 ? " (bars: \(NumberText.decimal(chart.bucketSeconds, digits: 0)) s averages)" : "")</text>"#
        s += #"<text x="12" y="\#(f(top + plotHeight / 2))" class="tick" text-anchor="middle" transform="rotate(-90 12 \#(f(top + plotHeight / 2)))">requests/s</text>"#
        // Legend.
        let legendX = width - right - 330
        s += #"<rect x="\#(f(legendX))" y="8" width="10" height="10" class="accepted"/><text x="\#(f(legendX + 14))" y="17" class="tick">accepted</text>"#
        s += #"<rect x="\#(f(legendX + 80))" y="8" width="10" height="10" class="rejected"/><text x="\#(f(legendX + 94))" y="17" class="tick">429 rejected</text>"#
        if chart.limitPerSecond != nil {
            s += #"<line x1="\#(f(legendX + 180))" x2="\#(f(legendX + 200))" y1="13" y2="13" class="limit"/><text x="\#(f(legendX + 204))" y="17" class="tick">limit</text>"#
        }
        s += "</svg>"
        return s
    }

    private static func label(_ index: Int, _ chart: RateChart) -> String {
        let start = Double(index) * chart.bucketSeconds
        return chart.bucketSeconds == 1 ? "second \(Int(start))" : "seconds \(Int(start))–\(Int(start + chart.bucketSeconds))"
    }

    private static func f(_ value: Double) -> String { NumberText.decimal(value, digits: 1) }

    /// 1, 2, 2.5, 5 × 10ⁿ at or above `value`.
    static func niceCeiling(_ value: Double) -> Double {
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        while magnitude > value { magnitude /= 10 }
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }
}
