import Hosting
import JSON

/// UAA's (and XSUAA's) users and groups as their administrators change them, for scenarios with
/// XSUAA as a source: users under UAA's rules (origin, unique userName per origin), groups whose
/// members name users by userName (with their origin). Every change goes through the directory's
/// own create, replace and delete, so versions and `meta.lastModified` move as through the API
/// and a delta read sees the change.
extension UAA: DirectoryAdministration {
    public var administration: (any DirectoryAdministration)? { self }

    public func apply(_ change: DirectoryChange) throws(FakeRequestError) -> String {
        switch change {
        case .create(.user, let value):
            try refused { () throws(UAAError) in _ = try directory.createUser(value) }
        case .create(.group, var value):
            if let list = value["members"]?.arrayValue { value["members"] = .array(try list.map(member)) }
            let group = value
            try refused { () throws(UAAError) in _ = try directory.createGroup(group) }
        case .update(.user, let name, let set):
            let id = try userId(name)
            try refused { () throws(UAAError) in
                var user = try directory.user(id)
                for attribute in set { user[attribute.key] = attribute.value }
                _ = try directory.replaceUser(id, user, match: .any)
            }
        case .update(.group, let name, let set):
            let id = try groupId(name)
            if set["displayName"] != nil, configuration.flavour == .xsuaa {
                throw FakeRequestError("a role collection's name is its ID: it cannot be renamed")
            }
            var changes = set
            if let list = set["members"] { changes["members"] = .array(try (list.arrayValue ?? []).map(member)) }
            let attributes = changes
            try refused { () throws(UAAError) in
                var group = try directory.group(id)
                for attribute in attributes { group[attribute.key] = attribute.value }
                _ = try directory.updateGroup(id, group, match: .any, how: .replace)
            }
        case .delete(.user, let name):
            let id = try userId(name)
            try refused { () throws(UAAError) in _ = try directory.deleteUser(id, match: nil) }
        case .delete(.group, let name):
            let id = try groupId(name)
            try refused { () throws(UAAError) in _ = try directory.deleteGroup(id, match: nil) }
        case .rename(let name, let to):
            _ = try apply(.update(.user, name: name, set: ["userName": .string(to)]))
        case .move(let name, let from, let to):
            let id = try userId(name)
            let added = try member(.string(name))
            if let from { try replaceMembers(of: try groupId(from)) { $0.filter { $0["value"]?.stringValue != id } } }
            if let to { try replaceMembers(of: try groupId(to)) { $0 + [added] } }
        }
        return change.summary
    }

    /// The directory's own refusal, with UAA's status and message.
    private func refused(_ body: () throws(UAAError) -> Void) throws(FakeRequestError) {
        do throws(UAAError) { try body() } catch { throw FakeRequestError("refused: \(error.status) \(error.message)") }
    }

    /// A member as UAA stores it; a plain string names a user by userName.
    private func member(_ value: JSONValue) throws(FakeRequestError) -> JSONValue {
        guard let name = value.stringValue else { return value }
        _ = try userId(name)
        var resolved = value
        try refused { () throws(UAAError) in resolved = try resolve(.object(JSONObject([("userName", .string(name))]))) }
        return resolved
    }

    private func replaceMembers(of id: String, _ change: @escaping ([JSONValue]) -> [JSONValue]) throws(FakeRequestError) {
        try refused { () throws(UAAError) in
            var json = try directory.group(id)
            json["members"] = .array(change(json["members"]?.arrayValue ?? []))
            _ = try directory.updateGroup(id, json, match: .any, how: .replace)
        }
    }

    /// One user by userName; several origins with the name are ambiguous.
    private func userId(_ name: String) throws(FakeRequestError) -> String {
        let found = directory.users(named: name)
        guard let first = found.first else { throw FakeRequestError("no user with userName '\(name)'") }
        guard found.count == 1 else {
            throw FakeRequestError("\(found.count) users are named '\(name)' (origins \(found.map(\.origin).sorted().joined(separator: ", "))); give each a distinct userName to change one")
        }
        return first.id
    }

    private func groupId(_ name: String) throws(FakeRequestError) -> String {
        guard let id = directory.groupId(displayName: name) else { throw FakeRequestError("no group with displayName '\(name)'") }
        return id
    }
}
