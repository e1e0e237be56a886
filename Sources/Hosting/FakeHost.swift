import Chrono
import JSON
import Synchronization

/// One fake as served: the service behind faults, rate limits, a request journal and the control
/// API (`/_provsim/...`). Transport-independent: `FakeServer` feeds it HTTP requests, tests can call
/// `handle` directly.
public final class FakeHost: Sendable {
    public let service: any FakeService
    public let clock: SimulatedClock
    public let faults: FaultInjector
    public let limiter: RateLimiter
    public let journal: RequestJournal
    /// Requests a `hang` fault keeps waiting.
    public let held = HeldRequests()
    private let settings: Mutex<Settings>

    /// A struct, not a tuple: a closure kept in a tuple inside the generic `Mutex` is re-wrapped
    /// in a reabstraction thunk on every access, and the chain grew with every request.
    private struct Settings {
        var baseURL: String
        var observer: (@Sendable (JournalEntry) -> Void)?
        var controlAccess = ControlAccess()
    }

    public init(service: any FakeService, clock: SimulatedClock, limits: RateLimits = .none, seed: UInt64 = 1) {
        self.service = service
        self.clock = clock
        faults = FaultInjector(seed: seed)
        limiter = RateLimiter(limits: limits, clock: clock)
        journal = RequestJournal()
        settings = Mutex(Settings(baseURL: "http://127.0.0.1", observer: nil))
    }

    public var baseURL: String {
        get { settings.withLock { $0.baseURL } }
        set { settings.withLock { $0.baseURL = newValue } }
    }

    public var context: FakeContext {
        FakeContext(baseURL: baseURL, clock: clock)
    }

    /// Who may use the control API (by default: anyone on this machine but a web page).
    public var controlAccess: ControlAccess {
        get { settings.withLock { $0.controlAccess } }
        set { settings.withLock { $0.controlAccess = newValue } }
    }

    /// Called with every journal entry as it is recorded (`provsim serve` logs them).
    public func observe(_ observer: @escaping @Sendable (JournalEntry) -> Void) {
        settings.withLock { $0.observer = observer }
    }

    /// Answers one request: the front end's size limits, then the control API or the service
    /// behind faults and rate limits. Refused and served requests alike go to the journal.
    public func handle(_ request: FakeRequest) async -> FakeResponse {
        if request.isControl {
            if let violation = service.requestLimits.violation(of: request) {
                return .json(violation.status, ["error": .string(violation.detail)])
            }
            if let refusal = controlAccess.refusal(of: request, ownOrigin: baseURL) {
                return .json(refusal.status, ["error": .string(refusal.message)])
            }
            return control(request)
        }
        let started = ContinuousClock.now
        let arrivedAt = clock.milliseconds()
        let simulatedTime = clock.now()
        let outcome = await serve(request)
        record(request, outcome.response, started: started, clientId: outcome.clientId, fault: outcome.fault, arrivedAt: arrivedAt,
               simulatedTime: simulatedTime, inFlight: outcome.inFlight)
        return outcome.response
    }

    /// Faults, the rate limiter and the service, in that order.
    ///
    /// Injected failures stand in front of the service (a gateway answering 503, a dropped
    /// connection); injected latency is the service being slow, so it holds a concurrency slot.
    private func serve(_ request: FakeRequest) async -> (response: FakeResponse, clientId: String?, fault: String?, inFlight: Int?) {
        if let violation = service.requestLimits.violation(of: request) {
            return (service.refusal(status: violation.status, detail: violation.detail), nil, nil, nil)
        }
        let (latency, terminal) = faults.effects(for: request)
        if let terminal, terminal.effect != .malformed, terminal.effect != .hang {
            await pause(milliseconds: latency)
            return (Self.response(for: terminal.effect), nil, terminal.id, nil)
        }
        let admission = limiter.admit(path: request.path)
        var inFlight: Int?
        switch admission {
        case .rejected(let retryAfter, let reason):
            // Retry-After is what a client must really wait: simulated seconds over the time scale.
            let realWait = max(1, Seconds.wholeUp(clock.realSeconds(forSimulated: Double(retryAfter))))
            var limited = service.rateLimited(retryAfter: realWait, reason: reason)
            if limited.header("retry-after") == nil { limited.headers.append(("retry-after", String(realWait))) }
            return (limited, nil, "rate-limit", nil)
        case .admitted(let wait):
            // Read after admission: any count seen here was true at one moment (this request holds
            // its slot until it is released below), so the largest seen is a true peak.
            inFlight = limiter.inFlight
            await pause(milliseconds: Seconds.milliseconds(clock.realSeconds(forSimulated: wait)))
        case .exempt:
            break
        }
        await pause(milliseconds: latency)
        var (response, clientId) = await service.handle(request, context: context)
        if admission != .exempt { limiter.release() }
        guard let terminal else { return (response, clientId, nil, inFlight) }
        if terminal.effect == .hang { return (FakeResponse(status: 0, action: .holdWithoutAnswer), clientId, terminal.id, inFlight) }
        response.body = Array(response.body.prefix(max(1, response.body.count / 2))) + Array("<<truncated".utf8)
        return (response, clientId, terminal.id, inFlight)
    }

    /// Injected latency and a rate limit's wait, which a stopping server cuts short.
    private func pause(milliseconds: Int) async {
        if milliseconds > 0 { await held.hold(upTo: .milliseconds(milliseconds)) }
    }

    private func record(_ request: FakeRequest, _ response: FakeResponse, started: ContinuousClock.Instant, clientId: String?, fault: String?,
                        arrivedAt: Int, simulatedTime: Double, inFlight: Int?) {
        let elapsed = ContinuousClock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let status = response.action == .respond ? response.status : 0
        let entry = journal.record(method: request.method, path: request.path, query: request.query, status: status, latency: ms,
                                   clientId: clientId, fault: fault, timestamp: arrivedAt, simulatedTime: simulatedTime, inFlight: inFlight,
                                   content: JournalContent(headers: request.headers, body: request.body))
        settings.withLock { $0.observer }?(entry)
    }

    static func response(for effect: FaultRule.Effect) -> FakeResponse {
        switch effect {
        case .status(let code, let retryAfter, let body):
            var headers: [(name: String, value: String)] = []
            if let retryAfter { headers.append(("retry-after", String(Seconds.wholeUp(retryAfter)))) }
            // HTTP forbids a body on 1xx, 204 and 304: a client would read it as the next answer.
            if code == 204 || code == 304 || (100..<200).contains(code) { return FakeResponse(status: code, headers: headers, body: []) }
            if let body { return .json(code, body, headers: headers) }
            return FakeResponse(status: code, headers: headers + [("content-type", "text/plain; charset=utf-8")], body: Array("injected fault: HTTP \(code)".utf8))
        case .reset: return FakeResponse(status: 0, action: .resetConnection)
        case .empty: return FakeResponse(status: 0, action: .closeWithoutResponse)
        case .latency, .malformed, .hang: return FakeResponse(status: 500)  // they let the service run; never reached
        }
    }

    // MARK: Control API

    /// A generic control route's handler: the host, the request and the pattern's parameters.
    typealias HostControlHandler = @Sendable (FakeHost, FakeRequest, RouteParameters) throws -> FakeResponse

    /// The control routes every host has, under `/_provsim`.
    static let controlRoutes: RouteTable<HostControlHandler> = {
        var table = RouteTable<HostControlHandler>()
        table.add("GET", "/") { host, _, _ in
            .json(200, ["service": .string(host.service.name), "endpoints": .array(host.controlListing.map(JSONValue.string))])
        }
        table.add("POST", "/reset") { host, _, _ in
            host.service.reset()
            host.journal.clear()
            host.faults.clear()
            return .json(200, ["reset": true])
        }
        table.add("POST", "/seed") { host, request, _ in
            .json(200, try host.service.seed(try request.json(), context: host.context))
        }
        table.add("GET", "/state") { host, _, _ in
            .json(200, host.service.state(context: host.context))
        }
        table.add("GET", "/journal") { host, request, _ in
            let after = Int(request.query["after"] ?? "0") ?? 0
            let content = request.query["content"] == "true"
            return .json(200, .array(host.journal.entries(after: after).map { $0.json(content: content) }))
        }
        table.add("DELETE", "/journal") { host, _, _ in
            host.journal.clear()
            return .json(200, ["cleared": true])
        }
        table.add("GET", "/faults") { host, _, _ in
            .json(200, .array(host.faults.rules.map(\.json)))
        }
        table.add("POST", "/faults") { host, request, _ in
            let body = try request.json()
            // All or nothing: one bad rule in a list adds none.
            var rules: [FaultRule] = []
            for (index, element) in (body.arrayValue ?? [body]).enumerated() {
                rules.append(try FaultRule(json: element, defaultID: host.faults.nextID(), context: body.arrayValue == nil ? "fault" : "faults[\(index)]"))
            }
            rules.forEach(host.faults.add)
            return .json(200, .array(rules.map(\.json)))
        }
        table.add("DELETE", "/faults") { host, _, _ in
            host.faults.clear()
            return .json(200, ["cleared": true])
        }
        table.add("DELETE", "/faults/{id}") { host, _, parameters in
            let id = parameters["id"]
            return host.faults.remove(id: id) ? .json(200, ["removed": .string(id)]) : .json(404, ["error": .string("no fault '\(id)'")])
        }
        table.add("GET", "/limits") { host, _, _ in
            .json(200, host.limiter.limits.json)
        }
        table.add("PUT", "/limits") { host, request, _ in
            let limits = try RateLimits(json: try request.json())
            host.limiter.setLimits(limits)
            return .json(200, limits.json)
        }
        table.add("POST", "/clock/advance") { host, request, _ in
            let fields = try ControlFields(try request.json(), context: "clock/advance", known: ["seconds"])
            guard let seconds = try fields.double("seconds", in: 0...SimulatedClock.maximumAdvance) else {
                return .json(400, ["error": .string("give {\"seconds\": N} with 0 <= N <= \(Seconds.text(SimulatedClock.maximumAdvance))")])
            }
            host.clock.advance(seconds: seconds)
            return .json(200, ["simulatedTime": JSONNumber(host.clock.now()).map(JSONValue.number) ?? .null])
        }
        return table
    }()

    /// Every control route of this host, generic and the service's: `GET|POST /_provsim/...`.
    var controlListing: [String] {
        var listing = RouteTable<HostControlHandler>()
        listing.add(Self.controlRoutes, under: FakeRequest.controlPrefix)
        var own = RouteTable<ControlHandler>()
        own.add(service.controlRoutes(), under: FakeRequest.controlPrefix)
        return listing.listing + own.listing
    }

    private func control(_ request: FakeRequest) -> FakeResponse {
        let path = Array(request.segments.dropFirst())  // after "_provsim"
        do {
            switch Self.controlRoutes.lookup(request.method, path) {
            case .found(let handler, let parameters):
                return try handler(self, request, parameters)
            case .methodNotAllowed, .notFound:
                break
            }
            switch service.controlRoutes().lookup(request.method, path) {
            case .found(let handler, let parameters):
                return try handler(request, parameters, context)
            case .methodNotAllowed, .notFound:
                return .json(404, ["error": .string("no control route \(request.method) \(request.path) (see GET /_provsim)")])
            }
        } catch let error as FakeRequestError {
            return .json(400, ["error": .string(error.message)])
        } catch {
            return .json(400, ["error": .string("\(error)")])
        }
    }
}
