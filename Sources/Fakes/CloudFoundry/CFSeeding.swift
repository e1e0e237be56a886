import Chrono
import Hosting
import JSON
import Synchronization

/// Seeding the fake Cloud Controller through the control API:
///
/// ```json
/// {"organizations": [{"name": "acme", "spaces": [{"name": "dev"}]}],
///  "users": [{"guid": "…"}, {"username": "jdoe@example.com", "origin": "idp-platform"}],
///  "roles": [{"type": "space_developer", "user": {"username": "jdoe@example.com"}, "organization": "acme", "space": "dev"}],
///  "provisioningUser": true}
/// ```
///
/// Organizations and spaces may carry a `guid`; roles name organizations and spaces by name or
/// GUID and users by GUID or username (UAA shadow users are created for unknown usernames with
/// an origin). The seeded provisioning user becomes `organization_user` and
/// `organization_manager` of every seeded organization unless `provisioningUser` is false. Role
/// rules apply as for an admin: no space role without `organization_user`, no duplicates.
enum CFSeeding {
    static func seed(_ data: JSONValue, into state: borrowing Mutex<CFState>, uaa: UAA, clock: SimulatedClock) throws(FakeRequestError) -> JSONValue {
        guard case .object(let object) = data, !object.isEmpty else {
            throw FakeRequestError("seed data must be an object such as {\"organizations\": [...], \"users\": [...], \"roles\": [...]}")
        }
        if let unknown = object.keys.first(where: { !["organizations", "users", "roles", "provisioningUser"].contains($0) }) {
            throw FakeRequestError("unknown seed key '\(unknown)' (organizations, users, roles, provisioningUser)")
        }
        let grantProvisioningUser = object["provisioningUser"]?.boolValue ?? true
        let provisioningUserId = uaa.provisioningUserId
        return try state.withLock { (s) throws(FakeRequestError) -> JSONValue in
            var created: (orgs: [JSONValue], spaces: [JSONValue], users: [JSONValue], roles: [JSONValue]) = ([], [], [], [])
            func fail(_ where_: String, _ error: CFError) -> FakeRequestError { FakeRequestError("\(where_): \(error.detail)") }
            for (i, org) in (object["organizations"]?.arrayValue ?? []).enumerated() {
                guard let name = org["name"]?.stringValue else { throw FakeRequestError("organizations[\(i)]: needs a name") }
                do throws(CFError) {
                    let o = try s.addOrganization(name: name, guid: org["guid"]?.stringValue, now: clock.timestamp())
                    created.orgs.append(.string(o.guid))
                    for (j, space) in (org["spaces"]?.arrayValue ?? []).enumerated() {
                        guard let spaceName = space["name"]?.stringValue else { throw CFError.unprocessable("spaces[\(j)] needs a name") }
                        created.spaces.append(.string(try s.addSpace(name: spaceName, organization: o.guid, guid: space["guid"]?.stringValue, now: clock.timestamp()).guid))
                    }
                    if grantProvisioningUser, let provisioningUserId {
                        s.ensureUser(provisioningUserId, now: clock.timestamp())
                        for type in [CFRoleType.organizationUser, .organizationManager] {
                            _ = try s.addRole(type, user: provisioningUserId, organization: o.guid, space: nil, presentationName: "", now: clock.timestamp())
                        }
                    }
                } catch {
                    throw fail("organizations[\(i)]", error)
                }
            }
            for (i, user) in (object["users"]?.arrayValue ?? []).enumerated() {
                let guid = try userGuid(user, uaa: uaa, where_: "users[\(i)]")
                s.ensureUser(guid, now: clock.timestamp())
                created.users.append(.string(guid))
            }
            for (i, role) in (object["roles"]?.arrayValue ?? []).enumerated() {
                let where_ = "roles[\(i)]"
                guard let type = role["type"]?.stringValue.flatMap(CFRoleType.init(rawValue:)) else {
                    throw FakeRequestError("\(where_): type must be one of \(CFRoleType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                guard let userRef = role["user"] else { throw FakeRequestError("\(where_): needs a user (GUID or {\"username\", \"origin\"})") }
                let user = try userGuid(userRef.stringValue.map { ["guid": .string($0)] } ?? userRef, uaa: uaa, where_: where_)
                guard let orgRef = role["organization"]?.stringValue,
                      let org = s.organizations[orgRef]?.guid ?? s.organizations.values.first(where: { $0.name == orgRef })?.guid else {
                    throw FakeRequestError("\(where_): organization '\(role["organization"]?.stringValue ?? "")' is not seeded")
                }
                var space: String?
                if let spaceRef = role["space"]?.stringValue {
                    guard let found = s.spaces[spaceRef]?.guid ?? s.spaces.values.first(where: { $0.organizationGuid == org && $0.name == spaceRef })?.guid else {
                        throw FakeRequestError("\(where_): space '\(spaceRef)' is not in organization '\(orgRef)'")
                    }
                    space = found
                }
                guard type.isSpaceRole == (space != nil) else { throw FakeRequestError("\(where_): \(type.rawValue) \(type.isSpaceRole ? "needs" : "takes no") space") }
                if space != nil, !s.isOrganizationUser(user, org) {
                    throw FakeRequestError("\(where_): Users cannot be assigned roles in a space if they do not have a role in that space's organization.")
                }
                s.ensureUser(user, now: clock.timestamp())
                do throws(CFError) {
                    let name = uaa.directory.identity(of: user)?.userName ?? user
                    created.roles.append(.string(try s.addRole(type, user: user, organization: space == nil ? org : nil, space: space, presentationName: name, now: clock.timestamp()).guid))
                } catch {
                    throw fail(where_, error)
                }
            }
            return .object(JSONObject([
                ("organizations", .array(created.orgs)), ("spaces", .array(created.spaces)),
                ("users", .array(created.users)), ("roles", .array(created.roles)),
            ]))
        }
    }

    /// `{"guid"}`, or `{"username", "origin"}` looked up in (or created as a shadow user in) the UAA.
    static func userGuid(_ ref: JSONValue, uaa: UAA, where_: String) throws(FakeRequestError) -> String {
        if let guid = ref["guid"]?.stringValue { return guid }
        guard let username = ref["username"]?.stringValue else { throw FakeRequestError("\(where_): give a guid or a username") }
        let origin = ref["origin"]?.stringValue
        let matches = uaa.directory.users(named: username).filter { origin == nil || $0.origin == origin }
        if matches.count == 1 { return matches[0].id }
        if matches.count > 1 { throw FakeRequestError("\(where_): username '\(username)' exists in several origins; give an origin") }
        guard let origin else { throw FakeRequestError("\(where_): no UAA user '\(username)'; give an origin to create a shadow user") }
        do throws(UAAError) {
            return try uaa.shadowUser(userName: username, origin: origin)
        } catch {
            throw FakeRequestError("\(where_): \(error.message)")
        }
    }
}
