import Chrono
import Fakes
import Fuzz
import Hosting
import JSON
import Testing

/// The front-end limits every fake enforces over real HTTP, answered in the service's own error
/// shape: 414 for a long URL, 431 for large or many header fields, 413 for a large body; and a
/// head too large even to parse gets its 431 too instead of a stalled connection.
@Suite("Request limits over loopback HTTP")
struct RequestLimitTests {
    static func exchange(_ server: FakeServer, _ request: String, body: [UInt8] = []) async throws -> RawHTTPConnection.Exchange {
        try await RawHTTPConnection.exchange(port: server.port, Array(request.utf8) + body, seconds: 60)
    }

    @Test("a 5 MB bearer token (beyond the parser's 1 MiB) gets 431 in SCIM's error shape, not a hung connection")
    func hugeHeader() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = String(repeating: "a", count: 5_000_000)
            let reply = try await Self.exchange(fake.server, "GET /scim/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\n\r\n")
            #expect(reply.status == 431)
            let body = try JSONParser.parse(reply.body)
            #expect(body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
            #expect(body["status"] == "431")
            #expect(reply.header("connection") == "close")
        }
    }

    @Test("a header block of 100 KiB (within the parser, beyond the service's 64 KiB) is 431 from the host")
    func largeHeaders() async throws {
        try await RunningFake.afc().use { fake in
            let reply = try await Self.exchange(fake.server, "GET /scim2/Users HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 100_000))\r\n\r\n")
            #expect(reply.status == 431)
            #expect(try JSONParser.parse(reply.body)["detail"]?.stringValue?.contains("65536") == true)
        }
    }

    @Test("1,000 header fields are 431, not an empty 400")
    func manyHeaders() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let fields = (0..<1000).map { "X-F\($0): v\r\n" }.joined()
            let reply = try await Self.exchange(fake.server, "GET /scim/Users HTTP/1.1\r\nHost: x\r\n\(fields)\r\n")
            #expect(reply.status == 431)
            #expect(try JSONParser.parse(reply.body)["detail"]?.stringValue?.contains("more than 100 header fields") == true)
        }
    }

    @Test("a URL longer than 8 KiB is 414")
    func longURL() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let reply = try await Self.exchange(fake.server, "GET /scim/Users?filter=\(String(repeating: "x", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(reply.status == 414)
            #expect(try JSONParser.parse(reply.body)["status"] == "414")
        }
    }

    @Test("a body announced beyond 32 MiB is 413 before it is read; one of 2 MB is served")
    func largeBodies() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            let refused = try await Self.exchange(fake.server, "POST /scim/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\nContent-Length: 40000000\r\n\r\n", body: Array("{".utf8))
            #expect(refused.status == 413)
            #expect(try JSONParser.parse(refused.body)["detail"]?.stringValue?.contains("33554432") == true)
            let padding = String(repeating: "x", count: 2_000_000)
            let body = Array(#"{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "big", "nickName": "\#(padding)"}"#.utf8)
            let served = try await Self.exchange(fake.server, "POST /scim/Users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n", body: body)
            #expect(served.status == 201)
        }
    }

    @Test("bytes that are not HTTP are answered 400 in the service's shape", arguments: ["GET\r\n\r\n", "GET / HTTP/9.9\r\n\r\n", "\u{1}\u{2}\u{3}\r\n\r\n"])
    func notHTTP(bytes: String) async throws {
        try await RunningFake.identityDirectory().use { fake in
            let reply = try await Self.exchange(fake.server, bytes)
            #expect(reply.status == 400)
            #expect(try JSONParser.parse(reply.body)["status"] == "400")
        }
    }

    @Test("XSUAA refuses POST bodies over 1 MB and headers over 16 KB in UAA's error shape; a large PUT is served")
    func xsuaaLimits() async {
        let clock = SimulatedClock()
        let host = FakeHost(service: UAA(configuration: UAAConfiguration(flavour: .xsuaa), clock: clock, seed: 1), clock: clock)
        let post = await host.handle(FakeRequest(method: "POST", path: "/Users", headers: [("content-type", "application/json")], body: [], bodyLength: (1 << 20) + 1))
        #expect(post.status == 413)
        #expect(post.json?["error_description"]?.stringValue?.contains("1048576") == true, "\(post.json ?? .null)")
        let headers = await host.handle(FakeRequest(method: "GET", path: "/Users", headers: [("x-big", String(repeating: "b", count: 17_000))]))
        #expect(headers.status == 431)
        let put = await host.handle(FakeRequest(method: "PUT", path: "/Groups/x", headers: [("content-type", "application/json")], body: [], bodyLength: 2 << 20))
        #expect(put.status != 413, "PUT keeps the standard limit")
        // CF's UAA documents none of these.
        let uaa = FakeHost(service: UAA(configuration: UAAConfiguration(flavour: .uaa), clock: clock, seed: 1), clock: clock)
        #expect(await uaa.handle(FakeRequest(method: "POST", path: "/Users", headers: [], body: [], bodyLength: 2 << 20)).status != 413)
    }

    @Test("Cloud Foundry refuses bodies over 15 MiB (nginx's client_max_body_size) in its V3 error shape")
    func cloudControllerBody() async throws {
        let clock = SimulatedClock()
        let uaa = UAA(configuration: UAAConfiguration(flavour: .uaa), clock: clock, seed: 1)
        let host = FakeHost(service: CloudController(uaa: uaa, uaaURL: { "http://uaa" }, clock: clock, seed: 2), clock: clock)
        let reply = await host.handle(FakeRequest(method: "POST", path: "/v3/organizations", headers: [("content-type", "application/json")], body: [], bodyLength: 16 << 20))
        #expect(reply.status == 413)
        #expect(reply.json?["errors"]?[0]?["title"] == "CF-BadRequest")
    }
}
