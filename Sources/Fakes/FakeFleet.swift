import Chrono
import Hosting
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

/// The fakes of one run, sharing one clock: served each on its own loopback port, or only in
/// process (`serve: false`), where a transport hands requests straight to the hosts.
public final class FakeFleet: Sendable {
    public static let serviceNames = ["identity-directory", "afc", "xsuaa", "uaa", "cf"]

    /// Every fake, in start order.
    public let hosts: [FakeHost]
    /// The HTTP servers in front of them; empty for a fleet in process.
    public let servers: [FakeServer]
    public let clock: SimulatedClock

    private init(hosts: [FakeHost], servers: [FakeServer], clock: SimulatedClock) {
        self.hosts = hosts
        self.servers = servers
        self.clock = clock
    }

    /// Builds the configured fakes and, with `serve`, puts each on a loopback port. In process,
    /// each host's base URL is `http://<service>.provsim.test` (a reserved name nothing resolves).
    public static func start(_ configuration: FakeFleetConfiguration, serve: Bool = true) async throws -> FakeFleet {
        let clock = SimulatedClock(scale: configuration.timeScale, deterministic: configuration.deterministic)
        let hosts = try makeHosts(configuration, clock: clock)
        var servers: [FakeServer] = []
        if serve {
            do {
                for host in hosts {
                    servers.append(try await FakeServer.start(host, bindHost: configuration.bindHost, port: configuration.ports[host.service.name] ?? 0))
                }
            } catch {
                for server in servers { await server.stop() }
                throw error
            }
        } else {
            for host in hosts { host.baseURL = inProcessURL(host.service.name) }
        }
        return FakeFleet(hosts: hosts, servers: servers, clock: clock)
    }

    /// `services` with the fakes they need started before them: the Cloud Controller signs in at
    /// its UAA, so `cf` without `uaa` gets `uaa` in front of it.
    public static func withDependencies(_ services: [String]) -> [String] {
        guard services.contains("cf"), !services.contains("uaa") else { return services }
        return services.flatMap { $0 == "cf" ? ["uaa", "cf"] : [$0] }
    }

    /// The base URL of a fake that is not served.
    public static func inProcessURL(_ service: String) -> String {
        "http://\(service).provsim.test"
    }

    private static func makeHosts(_ configuration: FakeFleetConfiguration, clock: SimulatedClock) throws -> [FakeHost] {
        var configuration = configuration
        if configuration.defects.contains(.tokensIgnoreLifetime) { configuration.tokenLifetime = TokenIssuer.defaultLifetime }
        var hosts: [FakeHost] = []
        var uaa: (service: UAA, host: FakeHost)?  // the Cloud Controller trusts this one
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
            hosts.append(host)
        }
        return hosts
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

    /// The fake named `name` (`identity-directory`, `afc`, `xsuaa`, `uaa`, `cf`), if started.
    public func host(named name: String) -> FakeHost? {
        hosts.first { $0.service.name == name }
    }

    /// The names of the started fakes, in start order.
    public var names: [String] { hosts.map(\.service.name) }

    /// Stops serving (held requests are let go first).
    public func stop() async {
        for server in servers { await server.stop() }
        for host in hosts { host.held.releaseAll() }
    }

    /// How a system declared with `fake: <name>` reaches that fake.
    public func connection(service name: String) -> FakeConnection? {
        host(named: name).map { $0.service.connection(context: $0.context) }
    }

    /// `{"services": [{"name": …, "url": …, "scim": …, "tokenURL": …, "clientId": …, "clientSecret": …}, …]}`
    public var descriptor: JSONValue {
        .object(JSONObject([("services", .array(hosts.map(\.descriptor)))]))
    }
}

extension FakeHost {
    /// The entry of the services line `provsim serve` prints: name, URL, the service's fields and
    /// `systemProperties`, the connection properties of a system that provisions into it.
    public var descriptor: JSONValue {
        let context = context
        let properties = service.connection(context: context).systemProperties.sorted { $0.key < $1.key }
        return .object(JSONObject([("name", .string(service.name)), ("url", .string(context.baseURL))] + service.descriptor(context: context)
            + [("systemProperties", .object(JSONObject(properties.map { ($0.key, .string($0.value)) })))]))
    }
}
