import Determinism
import Fakes
import JSON

/// Requests to one fake's routes and control API, handed to its host in process (the whole
/// pipeline: limits, control access, faults, rate limiter, service, journal) without sockets.
///
/// The contract checked: no 5xx unless a configured fault answered (501 Not Implemented is how
/// SCIM says a feature such as Bulk is not offered, RFC 7644 §3.7), and every error answer is
/// a JSON object in the service's shape. Control-API cases may install faults, change limits or
/// move the clock; the target undoes that after the case, so later cases are not stalled by a
/// fuzzed ten-minute latency.
public final class FakeRouteTarget: FuzzTarget {
    public let name: String
    let service: String
    private let slot: FleetSlot

    public init(service: String, fleet: SharedFleet) {
        self.service = service
        name = "fake:\(service)"
        slot = FleetSlot(fleet)
    }

    public func prepare() async throws { try await slot.acquire() }
    public func finish() async { await slot.release() }

    public func makeCase(index: Int, random: inout SeededRandom) -> FuzzCase {
        let fleet = slot.fleet
        let request = RequestGrammar.request(service: service, authorization: fleet?.authorization(for: service), ids: fleet?.knownIDs[service] ?? [], random: &random)
        return FuzzCase(target: name, index: index, payload: .request(request))
    }

    public func run(_ fuzzCase: FuzzCase) async -> FuzzOutcome {
        guard case .request(let request) = fuzzCase.payload, let fleet = slot.fleet, let server = fleet.servers[service] else { return .handled }
        let host = server.host
        let limits = host.limiter.limits
        let mark = host.journal.lastSequence
        let (path, query) = FakeRequest.split(target: request.target)
        let answer = await host.handle(FakeRequest(method: request.method, path: path, query: query, headers: request.headers, body: request.body,
                                                   targetLength: request.target.utf8.count))
        let faulted = host.journal.entries(after: mark).contains { $0.fault != nil }
        if FakeRequest.isControl(path: path) {
            host.faults.clear()
            host.limiter.setLimits(limits)
            if path.contains("clock") || path.contains("reset") { await fleet.renewTokens() }
        }
        return Self.judge(answer, faulted: faulted)
    }

    /// The contract every answer keeps.
    static func judge(_ answer: FakeResponse, faulted: Bool) -> FuzzOutcome {
        guard answer.action == .respond, !faulted else { return .handled }
        if answer.status >= 500, answer.status != 501 {
            return .serverError(status: answer.status, detail: String(decoding: answer.body.prefix(300), as: UTF8.self))
        }
        if answer.status >= 400, answer.json?.objectValue == nil {
            return .malformed(detail: "\(answer.status) without a JSON object body: \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
        }
        return .handled
    }
}
