import Determinism
import Fakes
import Hosting
import JSON

/// Requests to one fake's routes and control API, handed to its host in process (the whole
/// pipeline: limits, control access, faults, rate limiter, service, journal) without sockets.
///
/// The contract checked: every error answer is a JSON object in the service's shape, and no 5xx
/// unless a configured fault answered or it is a designed answer (`designed`). Control-API cases may install faults, change limits or
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
        return judge(status: answer.status, body: answer.body)
    }

    static func judge(status: Int, body: [UInt8]) -> FuzzOutcome {
        let json = (try? JSONParser.parse(body))?.objectValue
        if status >= 400, json == nil {
            return .malformed(detail: "\(status) without a JSON object body: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        if status >= 500, !designed(status) {
            return .serverError(status: status, detail: String(decoding: body.prefix(300), as: UTF8.self))
        }
        return .handled
    }

    /// 5xx answers the fakes give on purpose, always with an error body: 501 Not Implemented (how
    /// SCIM says Bulk is not offered, RFC 7644 §3.7), and a gateway's 502/504 when what stands
    /// behind it failed (the proxy's back-end, Cloud Foundry's UAA, a real-time target). Fuzzing
    /// one fake can break what another relies on (delete the CF provisioning user, and the proxy's
    /// Platform Members back-end can no longer sign in): that is a 502, not a defect. A 500 or a
    /// 503 is always a finding.
    static func designed(_ status: Int) -> Bool {
        status == 501 || status == 502 || status == 504
    }
}
