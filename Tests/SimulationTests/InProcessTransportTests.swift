import Engine
import Fakes
import Hosting
import JSON
import Simulation
import Testing

/// The in-process transport answers as the loopback one would: the host's whole pipeline, the
/// wire's percent-encoding, its limits, and a socket's failures as transport errors.
@Suite("In-process transport")
struct InProcessTransportTests {
    static func xsuaa() async throws -> Simulation {
        var configuration = SimulationConfiguration()
        configuration.fakes.services = ["xsuaa"]
        configuration.fakes.rateLimits = false
        configuration.transport = .inProcess
        return try await Simulation.start(configuration)
    }

    static func token(_ simulation: Simulation) async throws -> String {
        let connection = try #require(simulation.fleet.connection(service: "xsuaa"))
        guard case .client(let tokenURL, let id, let secret)? = connection.credentials else {
            Issue.record("XSUAA signs in with client credentials")
            return ""
        }
        let form = "grant_type=client_credentials&client_id=\(id)&client_secret=\(secret)"
        let answer = try await simulation.transport.send(HTTPRequest(method: "POST", url: tokenURL, headers: [("content-type", "application/x-www-form-urlencoded")],
                                                                     body: Array(form.utf8)), timeout: .seconds(60))
        return try #require(try JSONParser.parse(answer.body)["access_token"]?.stringValue)
    }

    @Test func requestsReachTheFakeByItsOriginWithoutSockets() async throws {
        let simulation = try await Self.xsuaa()
        #expect(simulation.fleet.servers.isEmpty)
        let host = try #require(simulation.host("xsuaa"))
        #expect(host.baseURL == "http://xsuaa.provsim.test")
        let token = try await Self.token(simulation)
        let answer = try await simulation.transport.send(HTTPRequest(method: "GET", url: host.baseURL + "/Users?count=1", headers: [("authorization", "Bearer " + token)]),
                                                         timeout: .seconds(60))
        #expect(answer.status == 200)
        #expect(host.journal.entries(after: 0).map { "\($0.method) \($0.path)" } == ["POST /oauth/token", "GET /Users"])
    }

    @Test func anEncodedSlashStaysInsideItsSegment() async throws {
        let simulation = try await Self.xsuaa()
        let token = try await Self.token(simulation)
        let base = try #require(simulation.host("xsuaa")).baseURL
        // /Users/a%2Fb is the user "a/b" (not found), not the path /Users/a/b (which UAA denies).
        let encoded = try await simulation.transport.send(HTTPRequest(method: "GET", url: base + "/Users/a%2Fb", headers: [("authorization", "Bearer " + token)]),
                                                          timeout: .seconds(60))
        #expect(encoded.status == 404, "\(String(decoding: encoded.body, as: UTF8.self))")
        let nested = try await simulation.transport.send(HTTPRequest(method: "GET", url: base + "/Users/a/b", headers: [("authorization", "Bearer " + token)]),
                                                         timeout: .seconds(60))
        #expect(nested.status == 403)
    }

    @Test func aBodyOverTheLimitIsRefusedUnread() async throws {
        let simulation = try await Self.xsuaa()
        let token = try await Self.token(simulation)
        let base = try #require(simulation.host("xsuaa")).baseURL
        let big = [UInt8](repeating: UInt8(ascii: " "), count: (1 << 20) + 1)  // XSUAA takes at most 1 MiB in a POST
        let answer = try await simulation.transport.send(HTTPRequest(method: "POST", url: base + "/Users", headers: [("authorization", "Bearer " + token), ("content-type", "application/json")],
                                                                     body: big), timeout: .seconds(60))
        #expect(answer.status == 413)
    }

    @Test("faults that break the connection are transport errors", arguments: [
        (FaultRule.Effect.reset, TransportError.connection("connection reset by peer")),
        (FaultRule.Effect.empty, TransportError.connection("the server closed the connection")),
        (FaultRule.Effect.hang, TransportError.timeout),
    ])
    func brokenConnections(_ effect: FaultRule.Effect, _ expected: TransportError) async throws {
        let simulation = try await Self.xsuaa()
        let host = try #require(simulation.host("xsuaa"))
        host.faults.add(FaultRule(id: "f", path: "/info", effect: effect))
        // A hang waits for the request's own deadline: short here, the verdict does not depend on it.
        await #expect(throws: expected) {
            try await simulation.transport.send(HTTPRequest(method: "GET", url: host.baseURL + "/info"), timeout: .milliseconds(20))
        }
    }

    @Test func anAnswerLaterThanTheDeadlineIsATimeout() async throws {
        let simulation = try await Self.xsuaa()
        let host = try #require(simulation.host("xsuaa"))
        // The fake takes ten minutes; the client gives up after 20 ms, as over a socket.
        host.faults.add(FaultRule(id: "slow", path: "/info", effect: .latency(milliseconds: 600_000, jitter: 0)))
        await #expect(throws: TransportError.timeout) {
            try await simulation.transport.send(HTTPRequest(method: "GET", url: host.baseURL + "/info"), timeout: .milliseconds(20))
        }
    }

    @Test func nobodyListensAtAnUnknownOrigin() async throws {
        let simulation = try await Self.xsuaa()
        await #expect(throws: TransportError.connection("nothing listens at http://afc.provsim.test in this process")) {
            try await simulation.transport.send(HTTPRequest(method: "GET", url: "http://afc.provsim.test/scim2/Users"), timeout: .seconds(60))
        }
    }
}
