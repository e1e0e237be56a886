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

/// The system behind a proxy, in its own wire format. Errors are the SCIM errors the proxy passes
/// on to its client (`404` for an unknown ID, `409` for a clash, `400` for a body or filter the
/// back-end refuses).
public protocol ProxyBackend: Sendable {
    /// Entities `startIndex` (1-based) … `startIndex + count - 1`, filtered by `filter` in the
    /// back-end's own attribute names.
    func page(_ type: EntityType, startIndex: Int, count: Int, filter: String?) async throws(SCIMError) -> BackendPage
    /// One entity by its back-end ID.
    func entity(_ type: EntityType, id: String) async throws(SCIMError) -> JSONValue
    /// Creates an entity from a write-transformed body; returns it as the back-end stored it.
    func create(_ type: EntityType, _ body: JSONValue) async throws(SCIMError) -> JSONValue
    /// Replaces an entity (PUT); returns it as stored.
    func replace(_ type: EntityType, id: String, _ body: JSONValue) async throws(SCIMError) -> JSONValue
    /// Applies a PATCH body; returns the entity when the back-end answers with it, nil when it
    /// answers without a body (XSUAA's 204, unless `xsuaa.patch.response.with.resource`).
    func patch(_ type: EntityType, id: String, _ body: JSONValue) async throws(SCIMError) -> JSONValue?
    func delete(_ type: EntityType, id: String) async throws(SCIMError)
}
