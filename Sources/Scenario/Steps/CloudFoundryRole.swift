import JSON

/// A Cloud Foundry role as a state lists it (`{roles, users, organizations, spaces}`, a fake's or
/// one read through `GET /v3/roles?include=…`): whose it is, which, and where.
struct CloudFoundryRole: Sendable, Equatable {
    let guid: String
    let type: String
    /// The user's username (its GUID when the state does not name it).
    let user: String
    /// `org` for an organization role, `org/space` for a space role (names where the state has
    /// them, GUIDs where not).
    let place: String

    /// `space_developer acme/dev`, as `assert`'s `roles:` names a role.
    var name: String { "\(type) \(place)" }

    /// Space roles first, `organization_user` last: Cloud Foundry refuses to remove
    /// `organization_user` while the user has roles in the organization's spaces.
    var removalRank: Int { type.hasPrefix("space_") ? 0 : type == "organization_user" ? 2 : 1 }

    static func all(in state: JSONValue) -> [CloudFoundryRole] {
        func byGuid(_ key: String) -> [String: JSONValue] {
            Dictionary((state[key]?.arrayValue ?? []).compactMap { item in item["guid"]?.stringValue.map { ($0, item) } }, uniquingKeysWith: { a, _ in a })
        }
        let users = byGuid("users"), organizations = byGuid("organizations"), spaces = byGuid("spaces")
        return (state["roles"]?.arrayValue ?? []).compactMap { role in
            let relationships = role["relationships"]
            guard let guid = role["guid"]?.stringValue, let type = role["type"]?.stringValue,
                  let userGuid = relationships?["user"]?["data"]?["guid"]?.stringValue else { return nil }
            var place = "?"
            if let spaceGuid = relationships?["space"]?["data"]?["guid"]?.stringValue {
                let space = spaces[spaceGuid]
                let organizationGuid = space?["relationships"]?["organization"]?["data"]?["guid"]?.stringValue ?? "?"
                place = "\(organizations[organizationGuid]?["name"]?.stringValue ?? organizationGuid)/\(space?["name"]?.stringValue ?? spaceGuid)"
            } else if let organizationGuid = relationships?["organization"]?["data"]?["guid"]?.stringValue {
                place = organizations[organizationGuid]?["name"]?.stringValue ?? organizationGuid
            }
            return CloudFoundryRole(guid: guid, type: type, user: users[userGuid]?["username"]?.stringValue ?? userGuid, place: place)
        }
    }
}
