import Fakes
import Hosting
import Report

/// The requests one fake served during a step (from its journal), measured for expectations
/// and drawn as a request-rate chart against the fake's limits.
struct RequestTraffic: Sendable {
    /// Requests to the API, without the token endpoint.
    let api: [JournalEntry]
    /// Requests to the token endpoint.
    let tokens: [JournalEntry]
    /// Simulated seconds per real second (turns real latencies into simulated ones).
    let timeScale: Double

    init(_ entries: [JournalEntry], timeScale: Double) {
        api = entries.filter { !Self.isTokenRequest($0) }
        tokens = entries.filter(Self.isTokenRequest)
        self.timeScale = timeScale
    }

    static func isTokenRequest(_ entry: JournalEntry) -> Bool { entry.path.hasSuffix("/oauth/token") }

    /// What a request expectation can measure.
    enum Measure: Sendable, Equatable {
        case total, reads, writes, tokens, rejected
        case status(Int)
        /// The most requests that arrived within any one simulated second.
        case peakPerSecond
        /// The most API requests in flight at the fake at once (counted as it admits them).
        case inFlight
        /// `METHOD /path` where `*` matches any run of characters (`PUT /Groups/*`).
        case matching(method: String, path: String)

        static let names = ["total", "reads", "writes", "tokens", "rejected", "peakPerSecond", "inFlight"]

        init?(_ key: String) {
            switch key {
            case "total": self = .total
            case "reads": self = .reads
            case "writes": self = .writes
            case "tokens": self = .tokens
            case "rejected": self = .rejected
            case "peakPerSecond": self = .peakPerSecond
            case "inFlight": self = .inFlight
            default:
                if let code = Int(key), (100...599).contains(code) {
                    self = .status(code)
                    return
                }
                let parts = key.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[0] == parts[0].uppercased(), parts[1].hasPrefix("/") else { return nil }
                self = .matching(method: parts[0], path: parts[1])
            }
        }
    }

    func measure(_ measure: Measure) -> Int {
        switch measure {
        case .total: return api.count
        case .reads: return api.filter { $0.method == "GET" }.count
        case .writes: return api.filter { $0.method != "GET" && $0.method != "HEAD" }.count
        case .tokens: return tokens.count
        case .rejected: return api.filter { $0.status == 429 }.count
        case .status(let code): return api.filter { $0.status == code }.count
        case .peakPerSecond: return peakPerSecond
        case .inFlight: return api.compactMap(\.inFlight).max() ?? 0
        case .matching(let method, let path): return api.filter { $0.method == method && FaultRule.glob(path, $0.path) }.count
        }
    }

    /// The most arrivals inside any window of one simulated second (sliding).
    var peakPerSecond: Int {
        let times = api.map(\.simulatedTime).sorted()
        var peak = 0, start = 0
        for (end, time) in times.enumerated() {
            while start < end, times[start] <= time - 1 { start += 1 }
            peak = max(peak, end - start + 1)
        }
        return peak
    }

    /// The most requests in flight at once, from arrival times and (real) latencies.
    var peakInFlight: Int {
        var events: [(time: Double, delta: Int)] = []
        for entry in api where entry.status != 429 {
            events.append((entry.simulatedTime, 1))
            events.append((entry.simulatedTime + entry.latencyMilliseconds / 1000 * timeScale, -1))
        }
        // Ends before starts at the same instant: back-to-back requests do not overlap.
        events.sort { $0.time != $1.time ? $0.time < $1.time : $0.delta < $1.delta }
        var current = 0, peak = 0
        for event in events {
            current += event.delta
            peak = max(peak, current)
        }
        return peak
    }

    /// Fewer requests than this make no chart worth drawing.
    static let chartMinimum = 50

    /// Requests per simulated second against `limits`; nil when the fake has no limits or the
    /// step sent too few requests for a rate to mean anything.
    func chart(title: String, limits: RateLimits) -> RateChart? {
        guard !limits.isEmpty, api.count >= Self.chartMinimum else { return nil }
        let binned = RateChart.binning(api.map { ($0.simulatedTime, $0.status == 429) })
        let rejected = measure(.rejected)
        var notes = ["\(NumberText.grouped(api.count)) requests", "\(NumberText.grouped(rejected)) rejected with 429", "peak \(peakPerSecond) arrivals in one second"]
        let limit: Double?
        let label: String
        if let perSecond = limits.perSecond {
            limit = perSecond
            label = "\(NumberText.decimal(perSecond)) requests/s"
        } else if let window = limits.windowRequests {
            limit = Double(window) / limits.windowSeconds
            label = "\(NumberText.grouped(window)) requests per \(limits.windowSeconds == 3600 ? "hour" : "\(NumberText.decimal(limits.windowSeconds)) s") (average)"
            notes.append("\(NumberText.grouped(api.count)) of \(NumberText.grouped(window)) requests of the window used")
        } else {
            limit = nil
            label = ""
        }
        if let concurrent = limits.maxConcurrent { notes.append("peak \(peakInFlight) in flight (limit \(concurrent))") }
        return RateChart(title: title, bucketSeconds: binned.bucketSeconds, accepted: binned.accepted, rejected: binned.rejected,
                         limitPerSecond: limit, limitLabel: label, notes: notes)
    }

}
