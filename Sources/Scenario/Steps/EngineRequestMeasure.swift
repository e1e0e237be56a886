import Engine

/// What `expect.engine` of a `run` step measures: the requests the engine's client for a system
/// sent during the job, as the job log's "Requests sent by the engine" counts them. Unlike
/// `expect.requests` (a fake's journal), it works for systems that are not fakes.
enum EngineRequestMeasure: Sendable, Equatable {
    case requests, retries, tooManyRequests, timeouts, connectionErrors, tokenRefreshes
    /// Answers with this status code.
    case status(Int)

    static let names = ["requests", "retries", "tooManyRequests", "timeouts", "connectionErrors", "tokenRefreshes"]

    init?(_ key: String) {
        switch key {
        case "requests": self = .requests
        case "retries": self = .retries
        case "tooManyRequests": self = .tooManyRequests
        case "timeouts": self = .timeouts
        case "connectionErrors": self = .connectionErrors
        case "tokenRefreshes": self = .tokenRefreshes
        default:
            guard let code = Int(key), (100...599).contains(code) else { return nil }
            self = .status(code)
        }
    }

    func value(in metrics: RequestMetrics.Snapshot) -> Int {
        switch self {
        case .requests: metrics.requests
        case .retries: metrics.retries
        case .tooManyRequests: metrics.tooManyRequests
        case .timeouts: metrics.timeouts
        case .connectionErrors: metrics.connectionErrors
        case .tokenRefreshes: metrics.tokenRefreshes
        case .status(let code): metrics.byStatus[code] ?? 0
        }
    }
}
