import Fakes
import Hosting
import JSON
import Simulation
import Synchronization

/// Every fake and the proxy, served on loopback as `provsim serve` serves them, with a token (or
/// Basic credentials) for each, some data in each, and the IDs of that data, so fuzzed requests
/// get past authentication and name resources that exist.
public final class FuzzFleet: Sendable {
    public let simulation: Simulation
    public let proxy: ProxyEndpoint?
    /// IDs and GUIDs found in each service's state after seeding.
    public let knownIDs: [String: [String]]
    private let credentials: [String: Credentials]
    private let tokens = Mutex<[String: String]>([:])

    /// How a service's client gets its token: client credentials at the host serving `tokenURL`.
    private struct Credentials: Sendable {
        let issuer: FakeHost
        let clientId: String
        let secret: String
    }

    public var fleet: FakeFleet { simulation.fleet }

    private init(simulation: Simulation, proxy: ProxyEndpoint?, knownIDs: [String: [String]], credentials: [String: Credentials]) {
        self.simulation = simulation
        self.proxy = proxy
        self.knownIDs = knownIDs
        self.credentials = credentials
    }

    /// The services by name, the proxy as `proxy`.
    public var servers: [String: FakeServer] {
        var all: [String: FakeServer] = [:]
        for server in fleet.servers { all[server.host.service.name] = server }
        if let server = proxy?.server { all["proxy"] = server }
        return all
    }

    /// The `Authorization` value that gets a request to `service` past authentication.
    public func authorization(for service: String) -> String? {
        tokens.withLock { $0[service] }
    }

    /// Fetches new tokens (after the simulated clock moved past their lifetime, say).
    public func renewTokens() async {
        for (name, credentials) in self.credentials {
            let form = "grant_type=client_credentials&client_id=\(RequestGrammar.percentEncoded(credentials.clientId))&client_secret=\(RequestGrammar.percentEncoded(credentials.secret))"
            let answer = await credentials.issuer.handle(FakeRequest(method: "POST", path: "/oauth/token", headers: [("content-type", "application/x-www-form-urlencoded")], body: Array(form.utf8)))
            if let token = answer.json?["access_token"]?.stringValue { tokens.withLock { $0[name] = "Bearer " + token } }
        }
    }

    public static func start(seed: UInt64) async throws -> FuzzFleet {
        var configuration = SimulationConfiguration()
        configuration.fakes.seed = seed
        configuration.fakes.rateLimits = false
        configuration.fakes.deterministic = true
        let simulation = try await Simulation.start(configuration)
        let fleet = simulation.fleet
        let proxy: ProxyEndpoint?
        do {
            proxy = try await simulation.serveStandardProxy(seed: seed, rateLimits: false)
        } catch {
            await simulation.stop()
            throw error
        }
        var credentials: [String: Credentials] = [:]
        var knownIDs: [String: [String]] = [:]
        for host in fleet.hosts {
            let name = host.service.name
            _ = await host.handle(controlRequest("POST", "seed", seedData(for: name)))
            let fields = JSONValue.object(JSONObject(host.service.descriptor(context: host.context)))
            if let tokenURL = fields["tokenURL"]?.stringValue, let id = fields["clientId"]?.stringValue, let secret = fields["clientSecret"]?.stringValue,
               let issuer = fleet.hosts.first(where: { tokenURL.hasPrefix($0.baseURL + "/") }) {
                credentials[name] = Credentials(issuer: issuer, clientId: id, secret: secret)
            }
            let state = await host.handle(controlRequest("GET", "state", nil))
            knownIDs[name] = identifiers(in: state.json ?? .null)
        }
        knownIDs["proxy"] = knownIDs["xsuaa"] ?? []
        let started = FuzzFleet(simulation: simulation, proxy: proxy, knownIDs: knownIDs, credentials: credentials)
        await started.renewTokens()
        if let proxy {
            let fields = proxy.descriptor
            if let id = fields["clientId"]?.stringValue, let secret = fields["clientSecret"]?.stringValue {
                started.tokens.withLock { $0["proxy"] = "Basic " + Base64.encode(Array("\(id):\(secret)".utf8)) }
            }
        }
        return started
    }

    public func stop() async {
        await simulation.stop()
    }

    static func controlRequest(_ method: String, _ path: String, _ body: JSONValue?) -> FakeRequest {
        FakeRequest(method: method, path: "/_provsim/" + path, headers: body == nil ? [] : [("content-type", "application/json")],
                    body: body.map { JSONWriter().bytes($0) } ?? [])
    }

    /// A little data of every kind each fake holds.
    static func seedData(for service: String) -> JSONValue {
        switch service {
        case "cf":
            return ["organizations": [["name": "acme", "spaces": [["name": "dev"], ["name": "prod"]]]]]
        case "uaa", "xsuaa":
            return ["users": [["userName": "alice", "emails": [["value": "alice@example.com"]]], ["userName": "bob", "origin": "sap.default", "emails": [["value": "bob@example.com"]]]],
                    "groups": [["displayName": "Admins", "members": [["userName": "alice"]]]]]
        default:
            return ["users": [["userName": "alice", "emails": [["value": "alice@example.com", "primary": true]]], ["userName": "Bob"]],
                    "groups": [["displayName": "Admins", "members": [["userName": "alice"]]]]]
        }
    }

    /// Every string under an `id` or `guid` key.
    static func identifiers(in value: JSONValue) -> [String] {
        var found: [String] = []
        var stack = [value]
        while let next = stack.popLast() {
            switch next {
            case .object(let object):
                for member in object {
                    if member.key == "id" || member.key == "guid", let id = member.value.stringValue { found.append(id) }
                    stack.append(member.value)
                }
            case .array(let items):
                stack.append(contentsOf: items)
            default:
                break
            }
        }
        return Array(Set(found)).sorted()
    }
}
