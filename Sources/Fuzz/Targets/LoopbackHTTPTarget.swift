import Determinism
import Fakes
import Foundation
import Hosting
import JSON

/// Requests to one fake over a real loopback socket, written byte for byte: the routes of
/// `RequestGrammar` plus what only the wire can carry (a 5 MB bearer token, 20,000 header
/// fields, a 2 MB URL, a body announced beyond the limit, bytes that are not HTTP).
///
/// The contract checked: an answer arrives (no connection is left hanging), it is not a 5xx,
/// and an error answer is a JSON object in the service's shape.
public final class LoopbackHTTPTarget: FuzzTarget {
    public let name: String
    let service: String
    private let slot: FleetSlot
    /// How long a case may wait for its answer before it counts as a hang.
    let answerSeconds: Double

    public init(service: String, fleet: SharedFleet, answerSeconds: Double = 30) {
        self.service = service
        name = "http:\(service)"
        slot = FleetSlot(fleet)
        self.answerSeconds = answerSeconds
    }

    public func prepare() async throws { try await slot.acquire() }
    public func finish() async { await slot.release() }

    public func makeCase(index: Int, random: inout SeededRandom) -> FuzzCase {
        let fleet = slot.fleet
        let request = RequestGrammar.request(service: service, authorization: fleet?.authorization(for: service), ids: fleet?.knownIDs[service] ?? [],
                                             random: &random, allowControl: false)
        let (bytes, what) = Self.wire(request, &random)
        return FuzzCase(target: name, index: index, payload: .bytes(bytes), summary: "\(what): \(request.summary)")
    }

    public func run(_ fuzzCase: FuzzCase) async -> FuzzOutcome {
        guard case .bytes(let bytes) = fuzzCase.payload, let server = slot.fleet?.servers[service] else { return .handled }
        let exchange: RawHTTPConnection.Exchange
        do throws(RawHTTPConnection.Failure) {
            exchange = try await RawHTTPConnection.exchange(port: server.port, bytes, seconds: answerSeconds)
        } catch {
            if case .cannotConnect(let reason) = error { return .malformed(detail: "cannot connect: \(reason)") }
            return .hang(detail: "no answer within \(Int(answerSeconds)) s (\(error))")
        }
        guard let status = exchange.status else {
            return .malformed(detail: "the connection closed without an answer after \(exchange.written) of \(bytes.count) bytes")
        }
        return FakeRouteTarget.judge(status: status, body: exchange.body)
    }

    /// The request as bytes, sometimes bent into a shape only a raw socket can send.
    static func wire(_ request: FuzzRequest, _ random: inout SeededRandom) -> (bytes: [UInt8], what: String) {
        var target = request.target.isEmpty ? "/" : request.target
        var headers = request.headers
        var body = request.body
        var contentLength = String(body.count)
        var what = "request"
        switch random.int(0...19) {
        case 0:
            let size = random.int(100_000...6_000_000)
            headers.append(("Authorization", "Bearer " + Interesting.repeated("a", size)))
            what = "\(size)-byte bearer token"
        case 1:
            let count = random.pick([101, 1000, 5000, 20_000])
            for i in 0..<count { headers.append(("X-Fuzz-\(i)", "v")) }
            what = "\(count) header fields"
        case 2:
            let size = random.pick([8193, 20_000, 1_100_000, 2_000_000])
            target += (target.contains("?") ? "&" : "?") + "pad=" + Interesting.repeated("x", size)
            what = "\(size)-byte query"
        case 3:
            contentLength = random.pick(["999999999999", "40000000", "-1", "abc", "1, 2", ""])
            what = "Content-Length \(contentLength)"
        case 4:
            let garbage = random.pick(["GET\r\n\r\n", "\u{0}\u{1}\u{2}\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "GET  HTTP/1.1\r\nHost: x\r\n\r\n",
                                       "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
                                       "GET / HTTP/1.1\r\n" + Interesting.repeated("X: y\r\n", 3) + "\r\n"])
            return (Array(garbage.utf8), "not HTTP")
        case 5:
            body = Array(Interesting.repeated("{\"a\":", 300) .utf8)
            contentLength = String(body.count)
            what = "deep body"
        default:
            break
        }
        var head = "\(request.method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers where !name.isEmpty {
            head += "\(name.filter { $0 != "\r" && $0 != "\n" && $0 != ":" }): \(value.filter { $0 != "\r" && $0 != "\n" })\r\n"
        }
        if !contentLength.isEmpty { head += "Content-Length: \(contentLength)\r\n" }
        head += "Connection: close\r\n\r\n"
        return (Array(head.utf8) + body, what)
    }
}
