import Engine
import Hosting
import JSON
import SCIM
import Transformation

/// The users and groups of a system that is not a fake (`--target`, or a system declared with a
/// URL), reached as IPS reaches it: through its public API, with the engine's connector for the
/// system (its URL, credentials, token, dialect: SCIM 2.0, or UAA's SCIM for XSUAA). What the
/// scenario creates is remembered in the world and deleted when the scenario ends.
struct ExternalDirectory: Sendable {
    let system: String
    let type: SystemType
    let reader: any SourceConnector
    let connector: any TargetConnector
    let world: World

    static let uaaCore = "urn:scim:schemas:core:1.0"

    /// The SCIM connection of `system`, of `type` (a system `DirectoryTarget` resolved).
    static func connect(_ system: String, type: SystemType, in world: World) async -> Result<ExternalDirectory, StepFailure> {
        guard let engine = await world.provisioning?.engine else { return .failure(StepFailure("no systems are declared: a 'systems' step must come first")) }
        do throws(ConnectorError) {
            let connection = try await engine.connection(of: system)
            guard let reader = connection.source, let connector = connection.target else {
                return .failure(StepFailure("\(system) has no SCIM connector"))
            }
            return .success(ExternalDirectory(system: system, type: type, reader: reader, connector: connector, world: world))
        } catch {
            return .failure(StepFailure("\(system): \(error.message)"))
        }
    }

    // MARK: Reading

    /// `{users: […], groups: […]}` as the API lists them (every page), like a fake's state.
    func state() async -> Result<JSONValue, StepFailure> {
        do throws(ConnectorError) {
            let users = try await reader.read(.user, modifiedAfter: nil)
            let groups = try await reader.read(.group, modifiedAfter: nil)
            return .success(["users": .array(users), "groups": .array(groups)])
        } catch {
            return .failure(StepFailure("\(system): reading users and groups: \(error.message)"))
        }
    }

    private func id(_ kind: DirectoryChange.Entity, named name: String) async throws(StepFailure) -> String {
        let attribute = kind == .user ? "userName" : "displayName"
        let found: [String]
        do throws(ConnectorError) {
            found = try await connector.find(kind.entityType, matching: [(attribute, name)])
        } catch {
            throw StepFailure("\(system): finding \(kind.rawValue) \(name): \(error.message)")
        }
        guard let first = found.first else { throw StepFailure("\(system) has no \(kind.rawValue) with \(attribute) '\(name)'") }
        guard found.count == 1 else { throw StepFailure("\(system) has \(found.count) \(kind.rawValue)s with \(attribute) '\(name)'") }
        return first
    }

    private func entity(_ kind: DirectoryChange.Entity, id: String) async throws(StepFailure) -> JSONValue {
        let found: JSONValue?
        do throws(ConnectorError) {
            found = try await reader.read(kind.entityType, id: id)
        } catch {
            throw StepFailure("\(system): reading \(kind.rawValue) \(id): \(error.message)")
        }
        guard let found else { throw StepFailure("\(system): \(kind.rawValue) \(id) is gone") }
        return found
    }

    // MARK: Writing

    /// Creates users, then groups whose members name users by `{userName}` (or give `{value}`).
    func seed(_ data: JSONValue) async -> Result<String, StepFailure> {
        do throws(StepFailure) {
            var created = 0
            for user in data["users"]?.arrayValue ?? [] {
                try await create(.user, user)
                created += 1
            }
            for group in data["groups"]?.arrayValue ?? [] {
                try await create(.group, group)
                created += 1
            }
            return .success("created \(created) entities in \(system) through its API")
        } catch {
            return .failure(error)
        }
    }

    func apply(_ change: DirectoryChange) async -> Result<String, StepFailure> {
        do throws(StepFailure) {
            switch change {
            case .create(let kind, let value):
                try await create(kind, value)
            case .update(let kind, let name, let set):
                let id = try await id(kind, named: name)
                var entity = try await entity(kind, id: id)
                for attribute in set { entity[attribute.key] = attribute.key == "members" ? try await members(attribute.value) : attribute.value }
                let updated = await connector.update(kind.entityType, id: id, body(entity))
                try write(kind, "update", updated)
            case .delete(let kind, let name):
                let id = try await id(kind, named: name)
                let deleted = await connector.delete(kind.entityType, id: id)
                try write(kind, "delete", deleted)
                await world.forgetExternal(system: system, id: id)
            case .rename(let name, let to):
                let id = try await id(.user, named: name)
                var entity = try await entity(.user, id: id)
                entity["userName"] = .string(to)
                let renamed = await connector.update(.user, id: id, body(entity))
                try write(.user, "rename", renamed)
            case .move(let name, let from, let to):
                let user = try await id(.user, named: name)
                if let from {
                    let group = try await id(.group, named: from)
                    try write(.group, "unassign", await connector.unassign(user: user, fromGroup: group))
                }
                if let to {
                    let group = try await id(.group, named: to)
                    try write(.group, "assign", await connector.assign(user: user, toGroup: group))
                }
            }
            return .success(change.summary + " in \(system) through its API")
        } catch {
            return .failure(error)
        }
    }

    private func create(_ kind: DirectoryChange.Entity, _ value: JSONValue) async throws(StepFailure) {
        var entity = value
        if kind == .group, let list = value["members"] { entity["members"] = try await members(list) }
        let result = await connector.create(kind.entityType, body(entity, creating: kind))
        guard case .success(let ids) = result else { try write(kind, "create", result); return }
        for id in ids { await world.rememberExternal(system: system, type: kind.entityType, id: id) }
    }

    /// Members named `{userName: x}` or `x` become `{value: id}` (with UAA's member type).
    private func members(_ list: JSONValue) async throws(StepFailure) -> JSONValue {
        var out: [JSONValue] = []
        for member in list.arrayValue ?? [] {
            guard let name = member.stringValue ?? member["userName"]?.stringValue else { out.append(member); continue }
            var resolved = JSONObject([("value", .string(try await id(.user, named: name)))])
            if type == .xsuaa { resolved["type"] = "USER" }
            out.append(.object(resolved))
        }
        return .array(out)
    }

    /// The entity with the schema its API takes (SCIM 2.0 core, or UAA's SCIM 1.0), without what
    /// the server keeps (`meta`, and UAA's computed `groups`).
    private func body(_ entity: JSONValue, creating kind: DirectoryChange.Entity? = nil) -> JSONValue {
        var body = entity
        body["meta"] = nil
        if type == .xsuaa {
            body["groups"] = nil
            body["schemas"] = [.string(Self.uaaCore)]
        } else if body["schemas"] == nil, let kind {
            body["schemas"] = [.string(kind == .user ? SCIMSchemas.userURN : SCIMSchemas.groupURN)]
        }
        return body
    }

    private func write(_ kind: DirectoryChange.Entity, _ what: String, _ result: WriteResult) throws(StepFailure) {
        if case .failure(let failure) = result { throw StepFailure("\(system) refused to \(what) the \(kind.rawValue): \(failure.message)") }
    }
}

private extension DirectoryChange.Entity {
    /// The engine's name for the same kind of entity.
    var entityType: EntityType { self == .user ? .user : .group }
}
