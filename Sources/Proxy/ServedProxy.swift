import Engine
import Fakes
import JSON

/// The proxy `provsim serve` runs over the served fakes, for external identity managers: proxy
/// systems `xsuaa` and `cf` (SAP Platform Members over the Cloud Foundry fake, for users of origin
/// `provsim-platform`) — SAP ships default proxy transformations for these two, not for AFC —
/// and, with the Identity Directory also served, the directory as real-time source `ias`
/// writing to XSUAA. One technical user with both permissions, printed in the services line.
public struct ServedProxy: Sendable {
    public let server: FakeServer
    let transport: AsyncHTTPTransport

    /// The origin of the platform users the `cf` proxy system manages.
    public static let platformOrigin = "provsim-platform"

    public static func start(fleet: FakeFleet, bindHost: String, port: Int, seed: UInt64, rateLimits: Bool, timeScale: Double,
                             controlAccess: ControlAccess = ControlAccess()) async throws -> ServedProxy? {
        let served = Set(fleet.servers.map(\.host.service.name))
        var systems: [(String, JSONValue)] = []
        if served.contains("xsuaa") {
            systems.append(("xsuaa", ["type": "xsuaa", "role": "proxy", "fake": "xsuaa", "properties": ["xsuaa.origin": "sap.default"]]))
        }
        if served.contains("cf") {
            systems.append(("cf", ["type": "cf-platform-members", "role": "proxy", "fake": "cf",
                                   "properties": ["btp.cf.pm.origin": .string(platformOrigin), "btp.cf.pm.landscape": "cf-provsim"]]))
        }
        if served.contains("identity-directory"), served.contains("xsuaa") {
            systems.append(("ias", ["type": "identity-directory", "role": "source", "fake": "identity-directory", "targets": ["xsuaa-target"]]))
            systems.append(("xsuaa-target", ["type": "xsuaa", "role": "target", "fake": "xsuaa", "properties": ["xsuaa.origin": "sap.default"]]))
        }
        guard !systems.isEmpty else { return nil }
        let configuration = try SystemsConfiguration(
            json: .object(JSONObject([("systems", .object(JSONObject(systems)))])),
            loadFile: { (path) throws(SystemsError) -> String in throw SystemsError(field: "transformation", message: "no files: \(path)") },
            connection: { (_, fake) throws(SystemsError) -> [String: String] in
                guard let properties = fleet.connectionProperties(service: fake) else { throw SystemsError(field: "fake", message: "\(fake) is not served") }
                return properties
            })
        let transport = AsyncHTTPTransport()
        let engine = ProvisioningEngine(systems: configuration, transport: transport, timeScale: timeScale)
        let service = ProxyService(engine: engine, settings: ProxyServiceSettings(technicalUsers: [.standard(seed: seed, deterministic: fleet.clock.deterministic)]),
                                   realTime: EngineRealTimeProvisioner(engine: engine), clock: fleet.clock, seed: seed)
        do {
            return ServedProxy(server: try await service.serve(clock: fleet.clock, seed: seed, inboundLimit: rateLimits, bindHost: bindHost, port: port, controlAccess: controlAccess),
                               transport: transport)
        } catch {
            await transport.shutdown()
            throw error
        }
    }

    /// The entry of the services line: `name: "proxy"`, `scim` (the XSUAA proxy system's base),
    /// the technical user's `clientId`/`clientSecret` for Basic, `tokenURL` for OAuth.
    public var descriptor: JSONValue {
        .object(JSONObject([("name", "proxy"), ("url", .string(server.baseURL))] + server.host.service.descriptor(context: server.host.context)))
    }

    public func stop() async {
        await server.stop()
        await transport.shutdown()
    }
}
