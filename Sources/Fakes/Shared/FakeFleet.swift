import JSON

/// How to start the standard fakes.
public struct FakeFleetConfiguration: Sendable {
    public var bindHost = "127.0.0.1"
    /// Fixed ports by service name; others get a free port.
    public var ports: [String: Int] = [:]
    public var seed: UInt64 = 1
    /// Simulated seconds per real second, for rate-limit windows and token expiry.
    public var timeScale: Double = 1
    /// Timestamps from a fixed start instead of the wall clock (same seed, same data).
    public var deterministic = false
    /// The documented limits (on by default: AFC 10,000/hour and 3 concurrent, XSUAA 3/s) can be
    /// switched off.
    public var rateLimits = true
    /// Access-token validity in simulated seconds (UAA's default: twelve hours).
    public var tokenLifetime = TokenIssuer.defaultLifetime
    /// Deliberate deviations from the real services (see `FakeDefect`); empty unless a test
    /// proves that a suite catches them.
    public var defects: Set<FakeDefect> = []
    /// Which services to start, in order.
    public var services: [String] = FakeFleet.serviceNames
    /// Who may use the control API (`provsim serve --allow-remote` requires a token).
    public var controlAccess = ControlAccess()

    public init() {}
}

/// The fakes of one run, each on its own port, sharing one clock.
public final class FakeFleet: Sendable {
    public static let serviceNames = ["identity-directory", "afc", "xsuaa", "uaa", "cf"]

    public let servers: [FakeServer]
    public let clock: FakeClock

    private init(servers: [FakeServer], clock: FakeClock) {
        self.servers = servers
        self.clock = clock
    }

    public static func start(_ configuration: FakeFleetConfiguration) async throws -> FakeFleet {
        let clock = FakeClock(scale: configuration.timeScale, deterministic: configuration.deterministic)
        var configuration = configuration
        if configuration.defects.contains(.tokensIgnoreLifetime) { configuration.tokenLifetime = TokenIssuer.defaultLifetime }
        var servers: [FakeServer] = []
        var uaa: (service: UAA, host: FakeHost)?  // the Cloud Controller trusts this one
        do {
            for (index, name) in configuration.services.enumerated() {
                let seed = configuration.seed &+ UInt64(index) &* 0x1000_0000
                let host: FakeHost
                switch name {
                case "identity-directory":
                    host = FakeHost(service: IdentityDirectory(clock: clock, seed: seed, tokenLifetime: configuration.tokenLifetime), clock: clock, seed: seed)
                case "afc":
                    host = FakeHost(service: AdvancedFinancialClosing(clock: clock, seed: seed, tokenLifetime: configuration.tokenLifetime,
                                                                     caseExactUserIds: !configuration.defects.contains(.afcCaseInsensitiveUserIds)), clock: clock,
                                    limits: configuration.rateLimits ? AdvancedFinancialClosing.documentedLimits : .none, seed: seed)
                case "xsuaa":
                    host = FakeHost(service: UAA(configuration: uaaConfiguration(.xsuaa, configuration), clock: clock, seed: seed), clock: clock,
                                    limits: configuration.rateLimits ? UAAConfiguration.xsuaaLimits : .none, seed: seed)
                case "uaa":
                    let service = UAA(configuration: uaaConfiguration(.uaa, configuration), clock: clock, seed: seed)
                    host = FakeHost(service: service, clock: clock, seed: seed)
                    uaa = (service, host)
                case "cf":
                    guard let (service, uaaHost) = uaa else { throw FakeServerError(message: "cf signs in at its UAA: list uaa before cf") }
                    host = FakeHost(service: CloudController(uaa: service, uaaURL: { uaaHost.baseURL }, clock: clock, seed: seed,
                                                                    settings: cloudControllerSettings(configuration)), clock: clock, seed: seed)
                default:
                    throw FakeServerError(message: "unknown service '\(name)' (known: \(serviceNames.joined(separator: ", ")))")
                }
                host.controlAccess = configuration.controlAccess  // before the first request can arrive
                servers.append(try await FakeServer.start(host, bindHost: configuration.bindHost, port: configuration.ports[name] ?? 0))
            }
        } catch {
            for server in servers { await server.stop() }
            throw error
        }
        return FakeFleet(servers: servers, clock: clock)
    }

    private static func uaaConfiguration(_ flavour: UAAConfiguration.Flavour, _ fleet: FakeFleetConfiguration) -> UAAConfiguration {
        var configuration = UAAConfiguration(flavour: flavour)
        configuration.tokenLifetime = fleet.tokenLifetime
        configuration.uniqueUserNames = !fleet.defects.contains(.uaaDuplicateUserNames)
        return configuration
    }

    private static func cloudControllerSettings(_ fleet: FakeFleetConfiguration) -> CloudControllerSettings {
        var settings = CloudControllerSettings()
        settings.spaceRolesNeedOrganizationUser = !fleet.defects.contains(.cfSpaceRoleWithoutOrgUser)
        return settings
    }

    public func server(named name: String) -> FakeServer? {
        servers.first { $0.host.service.name == name }
    }

    public func stop() async {
        for server in servers { await server.stop() }
    }

    /// The connection properties an IPS system needs to reach a fake (`URL`, `Authentication`,
    /// `OAuth2TokenServiceURL`, `User`, `Password`), as written on the system's Properties tab.
    /// For `cf` the user is the CF provisioning user, who signs in at the paired UAA.
    public func connectionProperties(service name: String) -> [String: String]? {
        guard let server = server(named: name) else { return nil }
        let fields = server.host.service.descriptor(context: server.host.context)
        return Self.connectionProperties(.object(JSONObject([("name", .string(name)), ("url", .string(server.baseURL))] + fields)))
    }

    /// The same from one entry of `descriptor` (the line `provsim serve` prints).
    public static func connectionProperties(_ service: JSONValue) -> [String: String]? {
        guard let name = service["name"]?.stringValue, let url = service["url"]?.stringValue else { return nil }
        var properties = ["URL": url, "Authentication": "BasicAuthentication"]
        if name == "cf" {
            properties["User"] = service["username"]?.stringValue
            properties["Password"] = service["password"]?.stringValue
        } else {
            properties["OAuth2TokenServiceURL"] = service["tokenURL"]?.stringValue
            properties["User"] = service["clientId"]?.stringValue
            properties["Password"] = service["clientSecret"]?.stringValue
        }
        return properties
    }

    /// `{"services": [{"name": …, "url": …, "scim": …, "tokenURL": …, "clientId": …, "clientSecret": …}, …]}`
    public var descriptor: JSONValue {
        .object(JSONObject([("services", .array(servers.map { server in
            let context = server.host.context
            return .object(JSONObject([("name", .string(server.host.service.name)), ("url", .string(server.baseURL))] + server.host.service.descriptor(context: context)))
        }))]))
    }
}
