import Foundation
/// What a request is for; IPS retries differently for reads and writes.
public enum RequestPurpose: Sendable, Equatable {
    /// A job reading the source; `fullRead` is false in delta mode.
    case read(fullRead: Bool)
    /// Writing to a target with this HTTP method.
    case write(method: String)
    /// A proxy system reading its back-end for an external client (page or single entity).
    case proxyRead
}

/// How one attempt went wrong.
public enum AttemptFailure: Sendable, Equatable {
    case timeout
    case connection
    case status(Int)
}

/// `ips.failed.request.retry.attempts` / `.interval` and IPS's matrix of retried failures
/// (docs/fidelity.md, “The provisioning engine”):
///
/// | failure | write | read (job) |
/// |---|---|---|
/// | timeout | all systems | all systems, full read only |
/// | 429 | XSUAA, SCIM System | SCIM-based systems, full read only |
/// | 502 | XSUAA, PATCH only | — |
///
/// Proxy reads are retried only for 429, on SCIM-based systems (docs/fidelity.md, “Proxy systems”); their timeouts
/// are not retried.
///
/// A dropped connection is treated like a timeout (IPS documents only timeouts).
/// `provsim.retry.statuses` adds statuses retried for any request (e.g. `429,503`).
public struct RetryPolicy: Sendable {
    /// Retries after the first attempt (default 2, at most 3).
    public var attempts: Int
    /// Simulated seconds between attempts when the server gives no `Retry-After` (default 30).
    public var interval: Double
    public let systemType: SystemType
    public var extraStatuses: Set<Int>

    public init(attempts: Int = 2, interval: Double = 30, systemType: SystemType, extraStatuses: Set<Int> = []) {
        self.attempts = attempts
        self.interval = interval
        self.systemType = systemType
        self.extraStatuses = extraStatuses
    }

    init(properties: SystemProperties, type: SystemType) {
        let statuses = (properties["provsim.retry.statuses"] ?? "").split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        self.init(
            attempts: properties.int("ips.failed.request.retry.attempts") ?? 2,
            interval: Double(properties.int("ips.failed.request.retry.attempts.interval") ?? 30),
            systemType: type, extraStatuses: Set(statuses))
    }

    public func retries(_ failure: AttemptFailure, for purpose: RequestPurpose) -> Bool {
        if case .status(let code) = failure, extraStatuses.contains(code) { return true }
        switch (failure, purpose) {
        case (.timeout, .write), (.connection, .write): return true
        case (.timeout, .read(let full)), (.connection, .read(let full)): return full
        case (.status(429), .write): return systemType == .xsuaa || systemType == .scim
        case (.status(429), .read(let full)): return full && systemType != .cfPlatformMembers
        case (.status(502), .write(let method)): return systemType == .xsuaa && method == "PATCH"
        case (.status(429), .proxyRead): return systemType != .cfPlatformMembers
        default: return false
        }
    }
}
