import Engine
import Fakes
import Hosting
import Synchronization

/// Hands the engine's requests straight to the fakes' hosts, without sockets: the same
/// `FakeHost` pipeline (limits, faults, rate limits, journal, service) answers, only HTTP framing
/// is skipped. For unit tests, benchmarks and the sabotage tests; scenarios run over loopback HTTP
/// by default, since HTTP is part of what they check.
///
/// Requests are routed by the origin of their URL (`http://xsuaa.provsim.test`); a fault that
/// drops or resets the connection becomes the transport error a socket would give, and a `hang`
/// becomes a timeout after the request's own deadline.
public final class InProcessTransport: HTTPTransport {
    private let hosts = Mutex<[String: FakeHost]>([:])

    public init(hosts: [FakeHost] = []) {
        for host in hosts { register(host) }
    }

    /// Routes requests for `host.baseURL` to `host`.
    public func register(_ host: FakeHost) {
        let origin = Self.origin(of: host.baseURL)
        hosts.withLock { $0[origin] = host }
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        let origin = Self.origin(of: request.url)
        guard let host = hosts.withLock({ $0[origin] }) else {
            throw .connection("nothing listens at \(origin) in this process")
        }
        let rest = String(request.url.dropFirst(origin.count))
        let target = rest.isEmpty ? "/" : rest
        let limit = host.service.requestLimits.bodyLimit(target: target)
        let body = request.body ?? []
        // As over HTTP: a body past the host's limit is not read, its length alone answers 413.
        let fake = FakeRequest(method: request.method, target: target, headers: request.headers, body: body.count > limit ? [] : body, bodyLength: body.count)
        // The request's deadline holds as over a socket: a latency fault or a rate limiter's wait
        // past it is a timeout, and a held request never answers.
        let answer = await withTaskGroup(of: Outcome.self) { group -> FakeResponse? in
            group.addTask {
                let answer = await host.handle(fake)
                return answer.action == .holdWithoutAnswer ? .held : .answer(answer)
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return .deadline
            }
            defer { group.cancelAll() }
            for await outcome in group {
                switch outcome {
                case .answer(let answer): return answer
                case .deadline: return nil
                case .held: continue  // wait for the deadline
                }
            }
            return nil
        }
        guard let answer else { throw .timeout }
        switch answer.action {
        case .respond:
            return HTTPResponse(status: answer.status, headers: answer.headers, body: answer.body)
        case .resetConnection:
            throw .connection("connection reset by peer")
        case .closeWithoutResponse, .holdWithoutAnswer:
            throw .connection("the server closed the connection")
        }
    }

    /// How the race between the host and the request's deadline ended.
    private enum Outcome: Sendable {
        case answer(FakeResponse)
        case held
        case deadline
    }

    /// `scheme://authority` of a URL, lower-cased.
    static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url.lowercased() }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        return String(url[..<authorityEnd]).lowercased()
    }
}
