import Hosting
import JSON
import SCIM

extension SCIMFakeService {
    public var administration: (any DirectoryAdministration)? { directory }
}

/// A SCIM 2.0 fake's users and groups as its administrators change them: SCIM 2.0 core resources,
/// group members as `{value: id}`.
extension SCIMDirectory: DirectoryAdministration {
    public func apply(_ change: DirectoryChange) throws(FakeRequestError) -> String {
        guard let users = type(named: "User"), let groups = type(named: "Group") else { throw FakeRequestError("the directory has no users and groups") }
        func collection(_ kind: DirectoryChange.Entity) -> SCIMResourceType { kind == .user ? users : groups }
        func find(_ kind: DirectoryChange.Entity, _ name: String) throws(FakeRequestError) -> SCIMRecord {
            let key = kind == .user ? "userName" : "displayName"
            let found = read { state in state.all(kind == .user ? "User" : "Group").first { !$0.hidden && $0.resource[key]?.stringValue == name } }
            guard let found else { throw FakeRequestError("no \(kind.rawValue) with \(key) '\(name)'") }
            return found
        }
        func write(_ body: () throws(SCIMError) -> Void) throws(FakeRequestError) {
            do throws(SCIMError) { try body() } catch { throw FakeRequestError("refused: \(error.status) \(error.detail)") }
        }
        func members(_ names: [JSONValue]) throws(FakeRequestError) -> JSONValue {
            var result: [JSONValue] = []
            for n in names {
                guard let name = n.stringValue else { result.append(n); continue }
                result.append(.object(JSONObject([("value", .string(try find(.user, name).id))])))
            }
            return .array(result)
        }
        func replaceGroupMembers(_ group: String, _ change: ([JSONValue]) -> [JSONValue]) throws(FakeRequestError) {
            let record = try find(.group, group)
            var resource = record.resource
            resource["members"] = .array(change(resource["members"]?.arrayValue ?? []))
            try write { () throws(SCIMError) in _ = try replace(groups, id: record.id, resource, ifMatch: nil) }
        }
        switch change {
        case .create(let kind, var value):
            if value["schemas"] == nil { value["schemas"] = .array([.string(kind == .user ? SCIMSchemas.userURN : SCIMSchemas.groupURN)]) }
            if kind == .group, let list = value["members"]?.arrayValue { value["members"] = try members(list) }
            let created = value
            try write { () throws(SCIMError) in _ = try create(collection(kind), created) }
        case .update(let kind, let name, let set):
            let record = try find(kind, name)
            var resource = record.resource
            for member in set {
                resource[member.key] = member.key == "members" ? try members(member.value.arrayValue ?? []) : member.value
            }
            let updated = resource
            try write { () throws(SCIMError) in _ = try replace(collection(kind), id: record.id, updated, ifMatch: nil) }
        case .delete(let kind, let name):
            let record = try find(kind, name)
            try write { () throws(SCIMError) in try delete(collection(kind), id: record.id, ifMatch: nil) }
        case .rename(let name, let to):
            _ = try apply(.update(.user, name: name, set: ["userName": .string(to)]))
        case .move(let name, let from, let to):
            let id = try find(.user, name).id
            if let from { try replaceGroupMembers(from) { $0.filter { $0["value"]?.stringValue != id } } }
            if let to { try replaceGroupMembers(to) { $0 + [.object(JSONObject([("value", .string(id))]))] } }
        }
        return change.summary
    }
}
