import Chrono
import JSON

/// Talks to one system: adds authentication, paces requests under the system's published limits,
/// retries what IPS retries, refreshes an expired token once on 401, and counts everything.
public final class SystemClient: Sendable {
    public enum Authorization: Sendable {
        case none
        /// A complete `Authorization` header value (`Basic …`).
        case header(String)
        case bearer(TokenSource)
    }

    public let systemName: String
    let transport: any HTTPTransport
    let authorization: Authorization
    let retry: RetryPolicy
    let pacer: Pacer?
    let clock: any SimulationClock
    let timeout: Duration
    let extraHeaders: [(String, String)]
    public let metrics = RequestMetrics()

    public init(systemName: String, transport: any HTTPTransport, authorization: Authorization, retry: RetryPolicy,
                pacer: Pacer?, clock: any SimulationClock, timeout: Duration, extraHeaders: [(String, String)] = []) {
        self.systemName = systemName
        self.transport = transport
        self.authorization = authorization
        self.retry = retry
        self.pacer = pacer
        self.clock = clock
        self.timeout = timeout
        self.extraHeaders = extraHeaders
    }

    /// Sends a request and returns the final response, whatever its status; throws only when no
    /// response arrived after the retries, or no token could be had.
    public func send(_ method: String, _ url: String, json: JSONValue? = nil, headers: [(name: String, value: String)] = [],
                     contentType: String = "application/json", purpose: RequestPurpose) async throws(ConnectorError) -> HTTPResponse {
        var request = HTTPRequest(method: method, url: url)
        // Headers the caller gives win over configured credentials, which win over
        // ips.http.header.* (whose `Authorization` is sent only without credentials): a
        // scenario's deliberate bad token is sent alone.
        var own = Set(headers.map { $0.name.lowercased() })
        let callerAuthorizes = own.contains("authorization")
        let authorization: Authorization = callerAuthorizes ? .none : self.authorization
        if case .none = authorization {} else { own.insert("authorization") }
        request.headers = extraHeaders.filter { !own.contains($0.0.lowercased()) }.map { ($0.0, $0.1) } + headers
        request.headers.append(("accept", "application/json"))
        if let json {
            request.body = JSONWriter().bytes(json)
            request.headers.append(("content-type", contentType))
        }
        var attempt = 0
        var refreshed = false
        while true {
            var sent = request
            var token: String?
            switch authorization {
            case .none: break
            case .header(let value): sent.headers.append(("authorization", value))
            case .bearer(let source):
                let t = try await source.token()
                token = t
                sent.headers.append(("authorization", "Bearer " + t))
            }
            if let pacer { await pacer.acquire() }
            metrics.started(at: clock.now())
            let outcome: Result<HTTPResponse, TransportError>
            do throws(TransportError) {
                outcome = .success(try await transport.send(sent, timeout: timeout))
            } catch {
                outcome = .failure(error)
            }
            if let pacer { await pacer.release() }
            metrics.finished(outcome.map(\.status))
            switch outcome {
            case .success(let response):
                if response.status == 401, case .bearer(let source) = authorization, let token, !refreshed {
                    // An expired or revoked token: fetch a new one and repeat, once.
                    await source.invalidate(token)
                    refreshed = true
                    metrics.refreshedToken()
                    continue
                }
                if !response.isSuccess, attempt < retry.attempts, retry.retries(.status(response.status), for: purpose) {
                    attempt += 1
                    metrics.retried()
                    await wait(retryAfter: response.header("retry-after"))
                    continue
                }
                return response
            case .failure(let error):
                let failure: AttemptFailure = error == .timeout ? .timeout : .connection
                if attempt < retry.attempts, retry.retries(failure, for: purpose) {
                    attempt += 1
                    metrics.retried()
                    await wait(retryAfter: nil)
                    continue
                }
                let what = error == .timeout ? "timed out after \(timeout)" : "\(error)"
                throw ConnectorError("\(method) \(Redaction.path(of: url)) \(what)\(attempt > 0 ? " (after \(attempt) retries)" : "")")
            }
        }
    }

    /// `Retry-After` seconds are the server's real seconds; the interval is simulated time. A value
    /// that is not a finite, non-negative number is ignored (the interval applies), and a wait is
    /// at most an hour, whatever a server asks for.
    private func wait(retryAfter: String?) async {
        if let text = retryAfter, let seconds = Double(text.trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds >= 0 {
            try? await Task.sleep(for: .nanoseconds(Seconds.nanoseconds(min(seconds, 3600))))
        } else {
            await clock.sleep(seconds: retry.interval)
        }
    }
}
