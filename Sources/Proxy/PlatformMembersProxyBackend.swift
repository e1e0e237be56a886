import Engine
import JSON
import SCIM
import Transformation

/// The SAP BTP Platform Members back-end of a proxy system (docs/fidelity.md, “The Platform Members back-end”): Cloud
/// Foundry users of `btp.cf.pm.origin`, and org and space roles as groups whose members hold the
/// role, through the engine's Platform Members connector (the CF provisioning user's token, the
/// role ordering, the retries of jobs).
///
/// - Lists: the Cloud Controller cannot page "role sets", so every page is cut from one complete
///   read, filtered here; `totalResults` is the number of matches (a native total, as the
///   reference says Platform Members reports).
/// - Users: `POST` creates the CF user (and its UAA shadow user); `PUT` never reaches here (the
///   default write transformation skips updates); `DELETE` revokes all the user's roles, space
///   roles first: deleting the CF user needs an admin. A user without roles is invisible to an
///   org manager, so a new user is answered from what was written and `GET` finds it only once
///   it holds a role.
/// - Groups: the ID (from the custom extension `name`) names the role; `POST` and `PUT` grant it
///   to exactly the members given and revoke it from the others, `PATCH` changes members only,
///   `DELETE` revokes it from everyone (the role set itself exists as long as its org or space).
public struct PlatformMembersProxyBackend: ProxyBackend {
    public let engine: ProvisioningEngine
    public let system: String

    public init(engine: ProvisioningEngine, system: String) throws(SCIMError) {
        guard let definition = engine.systems[system] else {
            throw SCIMError(status: 404, detail: "no system named '\(system)'")
        }
        guard definition.type == .cfPlatformMembers else {
            throw SCIMError(status: 501, detail: "a \(definition.type.rawValue) system is not a Platform Members back-end")
        }
        self.engine = engine
        self.system = system
    }

    public func page(_ type: EntityType, startIndex: Int, count: Int, filter: String?) async throws(SCIMError) -> BackendPage {
        var entities = try await read { (source) throws(ConnectorError) in try await source.read(type, modifiedAfter: nil) }
        if let filter {
            let parsed = try SCIMFilter(parsing: filter)
            let evaluator = SCIMFilterEvaluator(resourceType: type == .user ? ProxyDiscovery.user : ProxyDiscovery.group)
            entities = entities.filter { evaluator.matches(parsed, $0) }
        }
        let first = min(entities.count, startIndex - 1)
        return BackendPage(resources: Array(entities[first..<min(entities.count, first + count)]), totalResults: entities.count)
    }

    public func entity(_ type: EntityType, id: String) async throws(SCIMError) -> JSONValue {
        guard let found = try await read({ (source) throws(ConnectorError) in try await source.read(type, id: id) }) else {
            throw .notFound("\(type == .user ? "User" : "Group") \(id) not found")
        }
        return found
    }

    public func create(_ type: EntityType, _ body: JSONValue) async throws(SCIMError) -> JSONValue {
        guard type == .user else {
            let id = try Self.written(await target().writeGroups([GroupWrite(targetId: nil, body: body)])[0])
            return try await entity(.group, id: id)
        }
        let guid = try Self.written(await target().create(.user, body))
        if let found = try await read({ (source) throws(ConnectorError) in try await source.read(.user, id: guid) }) { return found }
        // Not visible yet (no role): what was written, with the ID the Cloud Controller gave.
        var user = body.objectValue ?? JSONObject()
        user["id"] = .string(guid)
        return .object(user)
    }

    public func replace(_ type: EntityType, id: String, _ body: JSONValue) async throws(SCIMError) -> JSONValue {
        if type == .group {
            _ = try Self.written(await target().writeGroups([GroupWrite(targetId: id, body: body)])[0])
        } else {
            _ = try Self.written(await target().update(.user, id: id, body))
        }
        return try await entity(type, id: id)
    }

    /// Groups: the member changes become role grants and revocations. Users have nothing a
    /// PATCH could change in Cloud Foundry: the user is answered as it is.
    public func patch(_ type: EntityType, id: String, _ body: JSONValue) async throws(SCIMError) -> JSONValue? {
        guard type == .group else { return try await entity(.user, id: id) }
        let changes = try MemberChanges(patch: body)
        let current = try await entity(.group, id: id)["members"]?.arrayValue?.compactMap { $0["value"]?.idText } ?? []
        let wanted = changes.memberIds(after: current)
        let write: JSONValue = ["id": .string(id), "members": .array(wanted.map { ["value": .string($0)] })]
        _ = try Self.written(await target().writeGroups([GroupWrite(targetId: id, body: write)])[0])
        return try await entity(.group, id: id)
    }

    public func delete(_ type: EntityType, id: String) async throws(SCIMError) {
        if type == .group {
            _ = try await entity(.group, id: id)  // 404 for an ID that names no role
            _ = try Self.written(await target().deleteGroups([id])[0])
        } else {
            _ = try await entity(.user, id: id)
            _ = try Self.written(await target().delete(.user, id: id))
        }
    }

    // MARK: Connectors

    private func connection() async throws(SCIMError) -> ConnectionPool.Connection {
        do throws(ConnectorError) {
            return try await engine.connection(of: system)
        } catch {
            throw SCIMError(status: 502, detail: "\(system): \(error.message)")
        }
    }

    private func target() async throws(SCIMError) -> any TargetConnector {
        guard let target = try await connection().target else { throw SCIMError(status: 501, detail: "\(system) cannot be written") }
        return target
    }

    private func read<T>(_ body: (any SourceConnector) async throws(ConnectorError) -> T) async throws(SCIMError) -> T {
        guard let source = try await connection().source else { throw SCIMError(status: 501, detail: "\(system) cannot be read") }
        do throws(ConnectorError) {
            return try await body(source)
        } catch {
            throw Self.scimError(status: error.status, error.message)
        }
    }

    /// The first ID a write produced, or the SCIM error its failure becomes: conflicts `409`,
    /// unknown entities `404`, entities the connector refuses `400`, and otherwise the Cloud
    /// Controller's own status with its text (`502` when it did not answer).
    static func written(_ result: WriteResult) throws(SCIMError) -> String {
        switch result {
        case .success(let ids): return ids.first ?? ""
        case .failure(let failure):
            switch failure.kind {
            case .conflict: throw SCIMError(status: 409, scimType: .uniqueness, detail: failure.message)
            case .notFound: throw SCIMError(status: 404, detail: failure.message)
            case .invalid: throw .badRequest(.invalidValue, failure.message)
            case .other: throw scimError(status: failure.status, failure.message)
            }
        }
    }

    private static func scimError(status: Int?, _ message: String) -> SCIMError {
        guard let status, status >= 400 else { return SCIMError(status: 502, detail: message) }
        return SCIMError(status: status, detail: message)
    }
}
