/// Something a step shows in the HTML report besides its message: a table (job statistics) or a
/// chart (the request rate against a limit).
public enum ReportAttachment: Sendable, Equatable {
    case table(ReportTable)
    case chart(RateChart)
}

/// A small table: a title, column headings and rows of text.
public struct ReportTable: Sendable, Equatable {
    public var title: String
    public var columns: [String]
    public var rows: [[String]]

    public init(title: String, columns: [String], rows: [[String]]) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }
}

/// Requests a server saw per simulated second, accepted and rejected, against its limit.
public struct RateChart: Sendable, Equatable {
    public var title: String
    /// Simulated seconds each bar covers (1 for short runs; more when the run is long, so the
    /// chart keeps a readable number of bars). Bar heights are per-second averages.
    public var bucketSeconds: Double
    /// Requests answered normally, per bucket.
    public var accepted: [Int]
    /// Requests answered 429, per bucket.
    public var rejected: [Int]
    /// The limit as a rate, drawn as a line (XSUAA: 3 per second; AFC: 10,000 per hour ≈ 2.78).
    public var limitPerSecond: Double?
    /// How the limit is named in the legend (`3 requests/s`, `10,000 requests/h`).
    public var limitLabel: String
    /// Facts shown under the chart (totals, peaks, concurrency).
    public var notes: [String]

    public init(title: String, bucketSeconds: Double, accepted: [Int], rejected: [Int], limitPerSecond: Double?, limitLabel: String, notes: [String] = []) {
        self.title = title
        self.bucketSeconds = bucketSeconds
        self.accepted = accepted
        self.rejected = rejected
        self.limitPerSecond = limitPerSecond
        self.limitLabel = limitLabel
        self.notes = notes
    }

    /// Bins request start times (simulated seconds) and whether each was rejected into at most
    /// `maxBars` buckets of whole seconds.
    public static func binning(_ requests: [(time: Double, rejected: Bool)], maxBars: Int = 240) -> (bucketSeconds: Double, accepted: [Int], rejected: [Int]) {
        let requests = requests.filter { $0.time.isFinite }
        guard let first = requests.map(\.time).min(), let last = requests.map(\.time).max() else { return (1, [], []) }
        let span = last - first
        let width = max(1, (span / Double(maxBars)).rounded(.up))
        let count = Int(span / width) + 1
        var accepted = [Int](repeating: 0, count: count), rejected = accepted
        for request in requests {
            let index = min(count - 1, Int((request.time - first) / width))
            if request.rejected { rejected[index] += 1 } else { accepted[index] += 1 }
        }
        return (width, accepted, rejected)
    }
}
