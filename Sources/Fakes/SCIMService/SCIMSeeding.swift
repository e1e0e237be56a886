import Hosting
import JSON
import SCIM

/// Seeding and dumping SCIM directories through the control API.
///
/// Seed form: `{"users": [...], "groups": [...]}` with SCIM resources; a resource may carry its
/// own `id`. Group members may name users by `{"userName": "jdoe"}` instead of `{"value": id}`.
public enum SCIMSeeding {
    public static func seed(_ data: JSONValue, into directory: SCIMDirectory, context: FakeContext) throws(FakeRequestError) -> JSONValue {
        guard case .object(let object) = data else { throw FakeRequestError("seed data must be an object such as {\"users\": [...], \"groups\": [...]}") }
        var created: [(String, JSONValue)] = []
        for (key, typeName) in [("users", "User"), ("groups", "Group"), ("roles", "Role")] {
            guard let list = object[key] else { continue }
            guard let type = directory.type(named: typeName) else { throw FakeRequestError("this service has no \(key)") }
            guard case .array(let resources) = list else { throw FakeRequestError("'\(key)' must be a list") }
            var ids: [JSONValue] = []
            for (index, var resource) in resources.enumerated() {
                if resource["schemas"] == nil { resource["schemas"] = .array([.string(type.schema.id)]) }
                if typeName == "Group", case .array(let members)? = resource["members"] {
                    resource["members"] = .array(try members.map { (m) throws(FakeRequestError) -> JSONValue in try resolveMember(m, directory: directory) })
                }
                do throws(SCIMError) {
                    let record = try directory.create(type, resource, id: resource["id"]?.stringValue)
                    ids.append(.string(record.id))
                } catch {
                    throw FakeRequestError("\(key)[\(index)]: \(error.detail)")
                }
            }
            created.append((key, .array(ids)))
        }
        guard !created.isEmpty else { throw FakeRequestError("nothing to seed: give users and/or groups") }
        return .object(JSONObject(created))
    }

    static func resolveMember(_ member: JSONValue, directory: SCIMDirectory) throws(FakeRequestError) -> JSONValue {
        guard let userName = member["userName"]?.stringValue else { return member }
        let id = directory.read { state in
            (state.candidates("User", schema: nil, attribute: "userName", value: userName) ?? state.all("User"))
                .first { !$0.hidden && $0.resource["userName"]?.stringValue == userName }?.id
        }
        guard let id else { throw FakeRequestError("member userName '\(userName)' is not a user") }
        return .object(JSONObject([("value", .string(id)), ("type", "User")]))
    }

    public static func state(of directory: SCIMDirectory, context: FakeContext) -> JSONValue {
        .object(JSONObject(directory.types.map { type in
            (type.endpoint.dropFirst().lowercased(), .array(directory.renderedAll(type, baseURL: context.baseURL)))
        }))
    }
}
