import Engine
import SCIM
import Transformation

/// A proxy system of a systems file, assembled: its back-end, its read side and its write side.
public struct ProxySystem: Sendable {
    public let name: String
    public let reader: ProxyReader
    public let writer: ProxyWriter

    /// - Parameter baseLocation: the proxy's SCIM base for this system
    ///   (`https://<host>/ipsproxy/service/api/v1/scim/<systemId>/`), for `meta.location`.
    public init(engine: ProvisioningEngine, system name: String, baseLocation: String) throws(SCIMError) {
        guard let system = engine.systems[name], system.role == .proxy, let write = system.writeTransformation else {
            throw SCIMError(status: 404, detail: "no proxy system named '\(name)'")
        }
        let backend: any ProxyBackend = system.type == .cfPlatformMembers
            ? try PlatformMembersProxyBackend(engine: engine, system: name)
            : try SCIMProxyBackend(engine: engine, system: name)
        let strategy = system.properties["ips.proxy.scim.total.results.strategy"].flatMap(TotalResultsStrategy.init(rawValue:)) ?? .calculated
        reader = ProxyReader(backend: backend, transformation: system.transformation, baseLocation: baseLocation,
                             systemFilters: try Self.systemFilters(system), strategy: strategy)
        writer = ProxyWriter(reader: reader, transformation: write)
        self.name = name
    }

    /// The system's read filters (`<prefix>.user.filter`, `.group.filter`, or their `scim.*`
    /// names: the system-specific one wins, docs/fidelity.md, “The provisioning engine”); for XSUAA with
    /// `xsuaa.origin.filter.enabled`, users are also filtered by `xsuaa.origin`, which must then
    /// be set.
    static func systemFilters(_ system: ProvisioningSystem) throws(SCIMError) -> [EntityType: String] {
        var filters: [EntityType: String] = [:]
        if let users = system.properties.scim("user.filter") { filters[.user] = users }
        if let groups = system.properties.scim("group.filter") { filters[.group] = groups }
        let byOrigin: SCIMFilter?
        do throws(ConnectorError) {
            byOrigin = try system.properties.xsuaaOriginFilter()
        } catch {
            throw SCIMError(status: 500, detail: "\(system.name): \(error.message)")
        }
        if let byOrigin {
            filters[.user] = SCIMFilter.text(configured: filters[.user], and: [byOrigin])
        }
        return filters
    }
}
