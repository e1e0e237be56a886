import Chrono
import Foundation
import JSON

/// The clients and connectors of every system, made on first use and kept, so tokens and
/// keep-alive connections carry over from one job to the next.
public actor ConnectionPool {
    public struct Connection: Sendable {
        public let client: SystemClient
        public let source: (any SourceConnector)?
        public let target: (any TargetConnector)?
    }

    private let transport: any HTTPTransport
    private let clock: any SimulationClock
    /// `true`/`false` overrides every system's `provsim.pacing`.
    private let pacing: Bool?
    private var connections: [String: Connection] = [:]

    public init(transport: any HTTPTransport, clock: any SimulationClock, pacing: Bool? = nil) {
        self.transport = transport
        self.clock = clock
        self.pacing = pacing
    }

    public func connection(for system: ProvisioningSystem) async throws(ConnectorError) -> Connection {
        if let existing = connections[system.name] { return existing }
        let made = try await make(system)
        connections[system.name] = made
        return made
    }

    /// Request counts per system, for job logs and benchmarks.
    public func metrics() -> [String: RequestMetrics.Snapshot] {
        connections.mapValues { $0.client.metrics.snapshot }
    }

    private func make(_ system: ProvisioningSystem) async throws(ConnectorError) -> Connection {
        let p = system.properties
        let timeout = Duration.seconds(p.int("provsim.request.timeout") ?? 60)
        // NOT FOUND whether IPS paces. IPS retries XSUAA's 429s (docs/fidelity.md, “The provisioning engine”), so it meets them:
        // XSUAA is not paced unless asked. AFC's 429s are not retried and its limits are hard:
        // SAP's own AFC connector must keep to them, so AFC is paced (docs/fidelity.md).
        let paced = pacing ?? p.bool("provsim.pacing", default: system.type != .xsuaa)
        let limits = PaceLimits.published(for: system.type)
        let pacer = paced && !limits.isEmpty ? Pacer(limits: limits, clock: clock) : nil
        let retry = RetryPolicy(properties: p, type: system.type)

        if system.type == .cfPlatformMembers {
            return try await makePlatformMembers(system, timeout: timeout, pacer: pacer, retry: retry)
        }
        guard let url = p["URL"] else { throw ConnectorError("system '\(system.name)' has no URL property") }
        let client = SystemClient(systemName: system.name, transport: transport, authorization: authorization(p, timeout: timeout),
                                  retry: retry, pacer: pacer, clock: clock, timeout: timeout, extraHeaders: p.extraHeaders)
        let connector = SCIMConnector(client: client, baseURL: url + system.type.scimPath,
                                      dialect: system.type == .xsuaa ? .uaa : .scim2, properties: p)
        return Connection(client: client, source: connector, target: connector)
    }

    private func authorization(_ p: SystemProperties, timeout: Duration) -> SystemClient.Authorization {
        if let tokenURL = p["OAuth2TokenServiceURL"] {
            return .bearer(TokenSource(tokenURL: tokenURL, clientId: p["User"] ?? "", clientSecret: p["Password"] ?? "",
                                       scope: p["OAuth2TokenScope"], credentialsInForm: p["AuthType"] == "Form",
                                       transport: transport, clock: clock, timeout: timeout))
        }
        if p["Authentication"] != "NoAuthentication", let user = p["User"] {
            return .header("Basic " + Data("\(user):\(p["Password"] ?? "")".utf8).base64EncodedString())
        }
        return .none
    }

    /// Finds the landscape's UAA from the Cloud Controller's root document and signs the
    /// provisioning user in with the password grant of the public `cf` client.
    private func makePlatformMembers(_ system: ProvisioningSystem, timeout: Duration, pacer: Pacer?, retry: RetryPolicy) async throws(ConnectorError) -> Connection {
        let p = system.properties
        guard let api = p["URL"] ?? p["btp.cf.pm.landscape"].map(PlatformMembersConnector.apiURL(landscape:)) else {
            throw ConnectorError("system '\(system.name)' needs btp.cf.pm.landscape (or URL)")
        }
        guard let user = p["User"], let password = p["Password"] else {
            throw ConnectorError("system '\(system.name)' needs User and Password of the CF provisioning user")
        }
        let anonymous = SystemClient(systemName: system.name, transport: transport, authorization: .none, retry: retry,
                                     pacer: nil, clock: clock, timeout: timeout)
        let root = try await anonymous.send("GET", api + "/", purpose: .read(fullRead: true))
        guard root.isSuccess, let links = (try? JSONParser.parse(root.body))?["links"],
              let uaa = (links["uaa"]?["href"] ?? links["login"]?["href"])?.stringValue else {
            throw ConnectorError(status: root.status, "GET \(Redaction.url(api))/ did not name the landscape's UAA (links.uaa)")
        }
        let tokens = TokenSource(tokenURL: uaa + "/oauth/token", clientId: "cf", clientSecret: "",
                                 grant: .password(username: user, password: password),
                                 transport: transport, clock: clock, timeout: timeout)
        let ownGuid = Self.userId(inToken: try await tokens.token())
        let client = SystemClient(systemName: system.name, transport: transport, authorization: .bearer(tokens),
                                  retry: retry, pacer: pacer, clock: clock, timeout: timeout, extraHeaders: p.extraHeaders)
        let connector = PlatformMembersConnector(client: client, apiURL: api, properties: p, ownUserGuid: ownGuid)
        return Connection(client: client, source: connector, target: connector)
    }

    /// The `user_id` claim of a JWT (not verified: it is our own token, used only to spare our roles).
    static func userId(inToken token: String) -> String? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var text = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let json = try? JSONParser.parse(Array(data)) else { return nil }
        return json["user_id"]?.stringValue
    }
}
