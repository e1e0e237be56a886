import AsyncHTTPClient
import Chrono
import Fakes
import Foundation
import Hosting
import JSON
import NIOCore
import NIOHTTP1

/// A small HTTP client for tests, on AsyncHTTPClient's shared instance.
struct HTTP {
    struct Response {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]
        var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }
        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    static func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))  // a margin for a saturated machine, not a measurement
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return Response(status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
    }

    static func json(_ method: HTTPMethod, _ url: String, token: String? = nil, body: JSONValue? = nil, headers: [(String, String)] = []) async throws -> Response {
        var all = headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        if body != nil { all.append(("Content-Type", "application/scim+json")) }
        return try await send(method, url, headers: all, body: body.map { JSONWriter().bytes($0) })
    }

    static func token(_ tokenURL: String, clientId: String, secret: String, scope: String? = nil) async throws -> String {
        var form = "grant_type=client_credentials&client_id=\(clientId.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&client_secret=\(secret)"
        if let scope { form += "&scope=\(scope.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
        let r = try await send(.POST, tokenURL, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
        guard let token = r.json["access_token"]?.stringValue else { throw TestFailure("no token: \(r.status) \(String(decoding: r.body, as: UTF8.self))") }
        return token
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One started fake with its credentials, stopped by `stop()`.
struct RunningFake {
    let server: FakeServer
    let scim: String
    let tokenURL: String
    let clientId: String
    let secret: String
    var base: String { server.baseURL }

    static func identityDirectory(seed: UInt64 = 1, clock: SimulatedClock = SimulatedClock(), limits: RateLimits = .none) async throws -> RunningFake {
        let service = IdentityDirectory(clock: clock, seed: seed)
        let server = try await FakeServer.start(FakeHost(service: service, clock: clock, limits: limits, seed: seed))
        return RunningFake(server: server, scim: server.baseURL + "/scim", tokenURL: server.baseURL + "/oauth/token", clientId: service.client.id, secret: service.client.secret)
    }

    static func afc(seed: UInt64 = 1, clock: SimulatedClock = SimulatedClock(), limits: RateLimits = AdvancedFinancialClosing.documentedLimits) async throws -> RunningFake {
        let service = AdvancedFinancialClosing(clock: clock, seed: seed)
        let server = try await FakeServer.start(FakeHost(service: service, clock: clock, limits: limits, seed: seed))
        return RunningFake(server: server, scim: server.baseURL + "/scim2", tokenURL: server.baseURL + "/oauth/token", clientId: service.client.id, secret: service.client.secret)
    }

    func token(scope: String? = nil) async throws -> String {
        try await HTTP.token(tokenURL, clientId: clientId, secret: secret, scope: scope)
    }

    func stop() async { await server.stop() }

    func control(_ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil) async throws -> HTTP.Response {
        try await HTTP.json(method, base + "/_provsim/" + path, body: body)
    }
}

func user(_ userName: String, extra: [(String, JSONValue)] = []) -> JSONValue {
    .object(JSONObject([("schemas", ["urn:ietf:params:scim:schemas:core:2.0:User"]), ("userName", .string(userName)),
                        ("emails", [["value": .string("\(userName)@example.com"), "primary": true]])] + extra))
}

func group(_ name: String, members: [String] = []) -> JSONValue {
    .object(JSONObject([("schemas", ["urn:ietf:params:scim:schemas:core:2.0:Group"]), ("displayName", .string(name)),
                        ("members", .array(members.map { ["value": .string($0)] }))]))
}

extension RunningFake {
    /// Runs `body` against the fake and stops it afterwards, also when `body` throws.
    func use(_ body: (RunningFake) async throws -> Void) async throws {
        do {
            try await body(self)
        } catch {
            await stop()
            throw error
        }
        await stop()
    }
}
