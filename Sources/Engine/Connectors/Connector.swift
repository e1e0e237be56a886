import Foundation
import JSON
import Transformation

/// Why a write did not happen.
public struct WriteFailure: Error, Sendable {
    public enum Kind: Sendable {
        case conflict, notFound
        /// The connector refused the entity before sending anything (a group ID that names no
        /// Cloud Foundry role, a user without a userName).
        case invalid
        case other
    }
    public let kind: Kind
    public let message: String
    /// The target's HTTP status, when it answered.
    public let status: Int?

    public init(_ kind: Kind, _ message: String, status: Int? = nil) {
        self.kind = kind
        self.message = message
        self.status = status
    }

    static func from(_ response: HTTPResponse, method: String, url: String) -> WriteFailure {
        let kind: Kind = response.status == 409 ? .conflict : response.status == 404 ? .notFound : .other
        return WriteFailure(kind, ConnectorError.from(response, method: method, url: url).message, status: response.status)
    }

    static func from(_ error: ConnectorError) -> WriteFailure { WriteFailure(.other, error.message, status: error.status) }
}

/// The target IDs a write produced or touched.
public typealias WriteResult = Result<[String], WriteFailure>

/// One group a job writes: the body from the write transformation and, for an update, the
/// group's ID in the target.
public struct GroupWrite: Sendable {
    public let targetId: String?
    public let body: JSONValue

    public init(targetId: String?, body: JSONValue) {
        self.targetId = targetId
        self.body = body
    }
}

/// Reads entities from a source system.
public protocol SourceConnector: Sendable {
    /// All entities of a type (after the system's read filter), or, with `modifiedAfter`, only
    /// those changed after that `meta.lastModified` value. Throws when the read could not finish.
    func read(_ type: EntityType, modifiedAfter: String?) async throws(ConnectorError) -> [JSONValue]
    /// Whether the system can read changes only.
    var supportsDeltaRead: Bool { get }
    /// One entity by its ID in the source (real-time provisioning re-reads what it is told
    /// about); nil when the source does not have it.
    func read(_ type: EntityType, id: String) async throws(ConnectorError) -> JSONValue?
}

/// Writes entities to a target system.
public protocol TargetConnector: Sendable {
    /// The target entities one transformed entity becomes: itself, or one user per origin when
    /// an XSUAA write transformation produced several (`%xsuaa.origin%[]`).
    func targetBodies(_ type: EntityType, _ body: JSONValue) -> [JSONValue]
    func create(_ type: EntityType, _ body: JSONValue) async -> WriteResult
    func update(_ type: EntityType, id: String, _ body: JSONValue) async -> WriteResult
    /// Updates every target entity one source entity became (one user per origin).
    func update(_ type: EntityType, ids: [String], _ body: JSONValue) async -> WriteResult
    func delete(_ type: EntityType, id: String) async -> WriteResult
    /// IDs of entities whose attributes equal the given values (conflict resolution).
    func find(_ type: EntityType, matching: [(attribute: String, value: String)]) async throws(ConnectorError) -> [String]
    /// `assignGroup` / `unassignGroup`: a user's membership in a group, both by target ID.
    func assign(user: String, toGroup group: String) async -> WriteResult
    func unassign(user: String, fromGroup group: String) async -> WriteResult
    /// Writes several groups; a connector that must order them (Cloud Foundry roles) overrides it.
    func writeGroups(_ writes: [GroupWrite]) async -> [WriteResult]
    /// Deletes several groups, in the order the target needs.
    func deleteGroups(_ ids: [String]) async -> [WriteResult]
    /// Replaces a group's members and nothing else (application-specific groups, docs/fidelity.md, “The provisioning engine”);
    /// `keepingGroupMembers` leaves its members of type `Group` as they are.
    func replaceMembers(group id: String, with members: [JSONValue], keepingGroupMembers: Bool) async -> WriteResult
}

extension TargetConnector {
    public func targetBodies(_ type: EntityType, _ body: JSONValue) -> [JSONValue] { [body] }

    public func update(_ type: EntityType, ids: [String], _ body: JSONValue) async -> WriteResult {
        for id in ids {
            if case .failure(let f) = await update(type, id: id, body) { return .failure(f) }
        }
        return .success(ids)
    }

    public func writeGroups(_ writes: [GroupWrite]) async -> [WriteResult] {
        var results: [WriteResult] = []
        for write in writes {
            if let id = write.targetId {
                results.append(await update(.group, id: id, write.body))
            } else {
                results.append(await create(.group, write.body))
            }
        }
        return results
    }

    public func deleteGroups(_ ids: [String]) async -> [WriteResult] {
        var results: [WriteResult] = []
        for id in ids { results.append(await delete(.group, id: id)) }
        return results
    }

    public func replaceMembers(group id: String, with members: [JSONValue], keepingGroupMembers: Bool) async -> WriteResult {
        .failure(WriteFailure(.invalid, "the system cannot change a group's members alone"))
    }
}

extension JSONValue {
    /// The value at a simple SCIM attribute path (`userName`, `emails[0].value`, `name.givenName`) as text.
    func text(atAttributePath path: String) -> String? {
        var current: JSONValue? = self
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var index: Int?
            if let open = part.firstIndex(of: "["), part.hasSuffix("]") {
                name = part[..<open]
                index = Int(part[part.index(after: open)..<part.index(before: part.endIndex)])
            }
            current = current?[String(name)]
            if let index { current = current?[index] }
        }
        switch current {
        case .string(let s)?: return s
        case .number(let n)?: return n.text
        case .bool(let b)?: return b ? "true" : "false"
        default: return nil
        }
    }
}
