import Chrono
import Fakes
import Foundation
import Hosting
import JSON

/// Calls a `FakeHost` in process, without HTTP: the rules of a fake tested fast and exactly.
struct DirectHost {
    let host: FakeHost

    func send(_ method: String, _ target: String, token: String? = nil, body: JSONValue? = nil, headers: [(String, String)] = []) async -> FakeResponse {
        let (path, query) = FakeRequest.split(target: target)
        var all = headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        if body != nil { all.append(("Content-Type", "application/json")) }
        return await host.handle(FakeRequest(method: method, path: path, query: query, headers: all.map { ($0.0, $0.1) },
                                             body: body.map { JSONWriter().bytes($0) } ?? []))
    }

    /// `POST /oauth/token` with form fields; the whole response.
    func tokenRequest(_ fields: [(String, String)], basic: (String, String)? = nil) async -> FakeResponse {
        let form = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        var headers = [("content-type", "application/x-www-form-urlencoded")]
        if let (id, secret) = basic { headers.append(("authorization", "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString())) }
        return await host.handle(FakeRequest(method: "POST", path: "/oauth/token", headers: headers.map { ($0.0, $0.1) }, body: Array(form.utf8)))
    }

    func clientToken(_ client: OAuthClient, scope: String? = nil) async throws -> String {
        var fields = [("grant_type", "client_credentials"), ("client_id", client.id), ("client_secret", client.secret)]
        if let scope { fields.append(("scope", scope)) }
        return try Self.accessToken(await tokenRequest(fields))
    }

    /// The password grant through the public `cf` client (empty secret, Basic), as the CF CLI does.
    func passwordToken(_ username: String, _ password: String) async throws -> (access: String, refresh: String) {
        let reply = await tokenRequest([("grant_type", "password"), ("username", username), ("password", password)], basic: ("cf", ""))
        guard let refresh = reply.json?["refresh_token"]?.stringValue else { throw TestFailure("no refresh token: \(reply.text)") }
        return (try Self.accessToken(reply), refresh)
    }

    static func accessToken(_ reply: FakeResponse) throws -> String {
        guard let token = reply.json?["access_token"]?.stringValue else { throw TestFailure("no token: \(reply.status) \(reply.text)") }
        return token
    }
}

extension FakeResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A UAA and the Cloud Controller that trusts it, in process.
struct CloudFoundryWorld {
    let clock: SimulatedClock
    let uaa: UAA
    let cf: CloudController
    let uaaHost: DirectHost
    let cfHost: DirectHost

    init(clock: SimulatedClock = SimulatedClock(deterministic: true), settings: CloudControllerSettings = CloudControllerSettings()) {
        self.clock = clock
        let uaa = UAA(configuration: UAAConfiguration(flavour: .uaa), clock: clock, seed: 3)
        let uaaHost = FakeHost(service: uaa, clock: clock, seed: 3)
        uaaHost.baseURL = "http://uaa.test"
        let cf = CloudController(uaa: uaa, uaaURL: { "http://uaa.test" }, clock: clock, seed: 4, settings: settings)
        let cfHost = FakeHost(service: cf, clock: clock, seed: 4)
        cfHost.baseURL = "http://cf.test"
        self.uaa = uaa
        self.cf = cf
        self.uaaHost = DirectHost(host: uaaHost)
        self.cfHost = DirectHost(host: cfHost)
    }

    func adminToken() async throws -> String { try await uaaHost.clientToken(cf.client) }

    func provisionerToken() async throws -> String {
        let (username, password) = uaa.provisioningUser!
        return try await uaaHost.passwordToken(username, password).access
    }

    /// Seeds through the control API; fails the test on a seeding error.
    @discardableResult
    func seed(_ data: JSONValue) async throws -> JSONValue {
        let reply = await cfHost.send("POST", "/_provsim/seed", body: data)
        guard reply.status == 200, let json = reply.json else { throw TestFailure("seed failed: \(reply.text)") }
        return json
    }

    /// Creates a UAA user and returns its ID.
    func uaaUser(_ userName: String, origin: String = "idp-platform") async throws -> String {
        let token = try await uaaHost.clientToken(uaa.client)
        let reply = await uaaHost.send("POST", "/Users", token: token, body: [
            "userName": .string(userName), "origin": .string(origin), "emails": [["value": .string(userName), "primary": true]],
        ])
        guard let id = reply.json?["id"]?.stringValue else { throw TestFailure("user not created: \(reply.text)") }
        return id
    }
}

/// The Identity Directory in process, with a token of its client.
struct DirectoryFixture {
    let service: IdentityDirectory
    let host: DirectHost
    let token: String

    static func make(clock: SimulatedClock = SimulatedClock(deterministic: true)) async throws -> DirectoryFixture {
        let service = IdentityDirectory(clock: clock, seed: 3)
        let host = DirectHost(host: FakeHost(service: service, clock: clock, seed: 3))
        return DirectoryFixture(service: service, host: host, token: try await host.clientToken(service.client))
    }

    func send(_ method: String, _ target: String, body: JSONValue? = nil, headers: [(String, String)] = []) async -> FakeResponse {
        await host.send(method, target, token: token, body: body, headers: headers)
    }

    /// Creates a user and returns its ID.
    func createUser(_ userName: String) async throws -> String {
        let reply = await send("POST", "/scim/Users", body: user(userName))
        guard reply.status == 201, let id = reply.json?["id"]?.stringValue else { throw TestFailure("create \(userName): \(reply.status) \(reply.text)") }
        return id
    }
}
