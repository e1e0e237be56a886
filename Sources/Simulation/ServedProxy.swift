import Engine
import Fakes
import Hosting
import JSON
import Proxy

/// The proxy `provsim serve` runs over the served fakes, for external identity managers: proxy
/// systems `xsuaa` and `cf` (SAP Platform Members over the Cloud Foundry fake, for users of origin
/// `provsim-platform`) — SAP ships default proxy transformations for these two, not for AFC —
/// and, with the Identity Directory also served, the directory as real-time source `ias`
/// writing to XSUAA. One technical user with both permissions, printed in the services line.
extension Simulation {
    /// The origin of the platform users the `cf` proxy system manages.
    public static let platformOrigin = "provsim-platform"

    /// Serves the standard proxy; nil when none of its back-ends is among the fakes.
    public func serveStandardProxy(bindHost: String = "127.0.0.1", port: Int = 0, seed: UInt64, rateLimits: Bool,
                                   controlAccess: ControlAccess = ControlAccess()) async throws -> ProxyEndpoint? {
        let served = Set(fleet.names)
        var systems: [(String, JSONValue)] = []
        if served.contains("xsuaa") {
            systems.append(("xsuaa", ["type": "xsuaa", "role": "proxy", "fake": "xsuaa", "properties": ["xsuaa.origin": "sap.default"]]))
        }
        if served.contains("cf") {
            systems.append(("cf", ["type": "cf-platform-members", "role": "proxy", "fake": "cf",
                                   "properties": ["btp.cf.pm.origin": .string(Self.platformOrigin), "btp.cf.pm.landscape": "cf-provsim"]]))
        }
        if served.contains("identity-directory"), served.contains("xsuaa") {
            systems.append(("ias", ["type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["xsuaa-target"]]))
            systems.append(("xsuaa-target", ["type": "xsuaa", "role": "target", "fake": "xsuaa", "properties": ["xsuaa.origin": "sap.default"]]))
        }
        guard !systems.isEmpty else { return nil }
        let engine = engine(systems: try self.systems(json: .object(JSONObject([("systems", .object(JSONObject(systems)))]))))
        let service = ProxyService(engine: engine, settings: ProxyServiceSettings(technicalUsers: [.standard(seed: seed, deterministic: clock.deterministic)]),
                                   realTime: EngineRealTimeProvisioner(engine: engine, store: store), clock: clock, seed: seed)
        return try await serveProxy(service, seed: seed, inboundLimit: rateLimits, bindHost: bindHost, port: port, controlAccess: controlAccess)
    }
}

extension ProxyEndpoint {
    /// The entry of the services line: `name: "proxy"`, `scim` (the XSUAA proxy system's base),
    /// the technical user's `clientId`/`clientSecret` for Basic, `tokenURL` for OAuth.
    public var descriptor: JSONValue { host.descriptor }
}
