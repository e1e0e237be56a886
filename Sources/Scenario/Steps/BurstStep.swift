import Engine
import Foundation
import JSON

/// `burst:` sends one request many times, several at a time, as a system's connector, to see how
/// the service limits its rate: every 429 must say when to retry (`Retry-After`, seconds or an
/// HTTP date), which IPS waits before it retries. No answer 429 means the limit, if any, was not
/// reached: the step is skipped, with the counts, rather than passed.
///
/// ```yaml
/// - burst:
///     system: afc
///     path: /scim2/Users?count=1     # a GET below the system's URL
///     requests: 200                  # in all (1…100000)
///     concurrency: 10                # at a time (1…64)
/// ```
struct BurstStep: ScenarioStep {
    static let kind = StepKind(key: "burst", summary: "send one GET many times at once and check that each 429 says when to retry", shape: shape) { (node, _) throws(ScenarioError) -> any ScenarioStep in
        try BurstStep(node)
    }

    static let shape = JSONShape.object("Send one GET many times, several at a time, as a system's connector; every 429 must carry Retry-After.", [
        .required("system", StepShapes.system),
        .required("path", .text("A path below the system's URL (${name} for a saved value).")),
        .optional("requests", .integer("How many requests in all (default 100).", requestRange)),
        .optional("concurrency", .integer("How many at a time (default 10).", concurrencyRange)),
    ])

    static let requestRange = 1...100_000
    static let concurrencyRange = 1...64

    let system: String
    let path: String
    let requests: Int
    let concurrency: Int

    init(_ node: ScenarioNode) throws(ScenarioError) {
        try node.rejectUnknownKeys(Self.shape)
        system = try node.required("system").string()
        let pathNode = try node.required("path")
        path = try pathNode.string()
        guard path.hasPrefix("/") else { throw pathNode.error("path must start with / (it is appended to the system's URL)") }
        try SavedValues.check([path], [], at: pathNode)
        requests = try node["requests"]?.int(in: Self.requestRange) ?? 100
        concurrency = try node["concurrency"]?.int(in: Self.concurrencyRange) ?? 10
    }

    /// What the burst got back.
    struct Tally: Sendable {
        var byStatus: [Int: Int] = [:]
        var failures = 0
        /// The Retry-After of each 429 (empty: none), counted, so that each distinct value is judged once.
        var retryAfter: [String: Int] = [:]

        /// How many 429 answers had no usable Retry-After, and the usable values.
        func judgedRetryAfter() -> (unusable: Int, usable: [String]) {
            var unusable = 0
            var usable: [String] = []
            for (value, count) in retryAfter {
                if BurstStep.isRetryAfter(value) { usable.append(value) } else { unusable += count }
            }
            return (unusable, usable.sorted())
        }
    }

    func run(in world: World) async -> StepOutcome {
        guard let engine = await world.provisioning?.engine else { return .error("no systems are declared: a 'systems' step must come first") }
        let path: String
        switch SavedValues.resolve(self.path, await world.savedValues) {
        case .success(let p): path = p
        case .failure(let f): return .error(f.message)
        }
        let (system, requests, concurrency) = (self.system, self.requests, self.concurrency)
        var tally = Tally()
        // A delta-mode read is not retried on 429, so every answer arrives as the service gave it.
        await withBoundedConcurrency(count: requests, limit: concurrency, { _ -> Result<HTTPResponse, ConnectorError> in
            do throws(ConnectorError) {
                return .success(try await engine.send(system: system, method: "GET", path: path, purpose: .read(fullRead: false)))
            } catch {
                return .failure(error)
            }
        }) { result in
            guard case .success(let response) = result else { tally.failures += 1; return }
            tally.byStatus[response.status, default: 0] += 1
            if response.status == 429 { tally.retryAfter[response.header("retry-after") ?? "", default: 0] += 1 }
        }
        let statuses = tally.byStatus.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: ", ")
        let summary = "GET \(path) to \(system), \(requests) times, \(concurrency) at a time: \(statuses.isEmpty ? "no answers" : statuses)\(tally.failures > 0 ? ", \(tally.failures) without an answer" : "")"
        let limited = tally.byStatus[429] ?? 0
        guard limited > 0 else {
            return StepOutcome(status: .skipped, message: "\(summary): no 429, so the rate limit, if any, was not reached and Retry-After could not be checked")
        }
        let (withoutRetryAfter, usable) = tally.judgedRetryAfter()
        guard withoutRetryAfter == 0 else {
            return .failed("\(summary): \(withoutRetryAfter) of \(limited) answers 429 have no Retry-After (seconds or an HTTP date); IPS then retries after its own interval, not when the service is ready",
                           transcript: summary)
        }
        return .passed("\(summary): every 429 says when to retry (Retry-After \(usable.prefix(5).joined(separator: ", ")))", transcript: summary)
    }

    /// Whole seconds, or an HTTP date (RFC 9110 10.2.3).
    static func isRetryAfter(_ value: String) -> Bool {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) { return true }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text) != nil
    }
}
