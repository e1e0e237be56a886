import JSON

/// A Cloud Foundry role as a state lists it (`{roles, users, organizations, spaces}`, a fake's or
/// one read through `GET /v3/roles?include=…`): whose it is, which, and where.
struct CloudFoundryRole: Sendable, Equatable {
    let guid: String
    let type: String
    let userGuid: String
    /// The user's username, when the state names it (clients and users the credentials cannot
    /// see have none).
    let username: String?
    /// The username, or the GUID when there is none.
    var user: String { username ?? userGuid }
    /// `org` for an organization role, `org/space` for a space role (names where the state has
    /// them, GUIDs where not).
    let place: String

    /// `space_developer acme/dev`, as `assert`'s `roles:` names a role.
    var name: String { "\(type) \(place)" }


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
            return CloudFoundryRole(guid: guid, type: type, userGuid: userGuid, username: users[userGuid]?["username"]?.stringValue, place: place)
        }
    }
}
