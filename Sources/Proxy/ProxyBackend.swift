import JSON
import SCIM
import Transformation

/// One page of entities as the back-end returned them (before the read transformation).
public struct BackendPage: Sendable {
    public var resources: [JSONValue]
    /// The back-end's total, when it reports one (SCIM-based back-ends, Cloud Foundry).
    public var totalResults: Int?

    public init(resources: [JSONValue], totalResults: Int?) {
        self.resources = resources
        self.totalResults = totalResults
    }
}

/// The system behind a proxy: what the proxy needs to read from it. Errors are the SCIM errors
/// the proxy passes on to its client (`404` for an unknown ID, `400` for a filter the back-end
/// refuses).
public protocol ProxyBackend: Sendable {
    /// Entities `startIndex` (1-based) … `startIndex + count - 1`, filtered by `filter` in the
    /// back-end's own attribute names.
    func page(_ type: EntityType, startIndex: Int, count: Int, filter: String?) async throws(SCIMError) -> BackendPage
    /// One entity by its back-end ID.
    func entity(_ type: EntityType, id: String) async throws(SCIMError) -> JSONValue
}
