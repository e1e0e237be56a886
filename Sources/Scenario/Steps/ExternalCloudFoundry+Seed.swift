import Engine
import JSON

/// `seed` on a Cloud Foundry system that is not a fake: what an organization manager may create
/// through the V3 API, in the fake's seed format without `organizations` (an org manager cannot
/// create organizations, and Cloud Foundry assigns their GUIDs):
///
/// ```yaml
/// - seed:
///     system: cf
///     data:
///       users: [{ username: "${run}-ann@example.com" }]            # origin: btp.cf.pm.origin
///       roles:
///         - { type: organization_user, user: { username: "${run}-ann@example.com" }, organization: acme }
///         - { type: space_developer, user: { username: "${run}-ann@example.com" }, organization: acme, space: dev }
/// ```
///
/// Users are `{username, origin}` (created with `POST /v3/users` unless Cloud Foundry has them) or
/// `{guid}`; roles name organizations and spaces by name or GUID. Whatever is created is
/// remembered for the clean-up, which removes it when the user's name carries the run ID.
extension ExternalCloudFoundry {
    static let seedKeys = ["users", "roles"]

    func seed(_ data: JSONValue) async -> Result<String, StepFailure> {
        guard case .object(let object) = data, !object.isEmpty else {
            return .failure(StepFailure("seed data for \(system), a Cloud Foundry system, is {users: [...], roles: [...]}"))
        }
        if object["organizations"] != nil {
            return .failure(StepFailure("\(system): organizations cannot be seeded through the CF V3 API (an organization manager cannot create them, and Cloud Foundry assigns their GUIDs): name existing organizations and spaces in roles, by name or GUID"))
        }
        if let unknown = object.keys.first(where: { !Self.seedKeys.contains($0) }) {
            let hint = unknown == "provisioningUser" ? " (provisioningUser is a fake's; a real system's credentials are its own)" : ""
            return .failure(StepFailure("unknown seed key '\(unknown)' for \(system), a Cloud Foundry system (\(Self.seedKeys.joined(separator: ", ")))\(hint)"))
        }
        let connector: PlatformMembersConnector
        switch await platformConnector() {
        case .success(let c): connector = c
        case .failure(let f): return .failure(f)
        }
        let origin = await world.provisioning?.engine.systems[system]?.properties["btp.cf.pm.origin"]
        var seeding = Seeding(platform: self, connector: connector, defaultOrigin: origin)
        do throws(StepFailure) {
            for (i, user) in (object["users"]?.arrayValue ?? []).enumerated() {
                _ = try await seeding.user(user, at: "users[\(i)]", creatingByGuid: true)
            }
            for (i, role) in (object["roles"]?.arrayValue ?? []).enumerated() {
                try await seeding.role(role, at: "roles[\(i)]")
            }
        } catch {
            return .failure(error)
        }
        let (users, roles) = (seeding.createdUsers, seeding.createdRoles)
        return .success("created \(users) user\(users == 1 ? "" : "s") and \(roles) role\(roles == 1 ? "" : "s") in \(system) through its API")
    }

    /// One seed on its way: what it created, and the users it has met by name.
    private struct Seeding {
        let platform: ExternalCloudFoundry
        let connector: PlatformMembersConnector
        let defaultOrigin: String?
        var createdUsers = 0
        var createdRoles = 0
        /// `origin/username` → the user, so that a user the seed created (which an organization
        /// manager cannot see until it holds a role) is found again.
        var known: [String: UserReference] = [:]

        /// How a role names its user: by GUID, or by username and origin (Cloud Foundry's
        /// `set_roles_by_username`), for a user that exists but the credentials cannot see.
        enum UserReference {
            case guid(String)
            case name(username: String, origin: String)

            var data: JSONValue {
                switch self {
                case .guid(let guid): ["data": ["guid": .string(guid)]]
                case .name(let username, let origin): ["data": ["username": .string(username), "origin": .string(origin)]]
                }
            }
        }

        var system: String { platform.system }

        /// A user given as a GUID (`"…"` or `{guid}`) or as `{username, origin}` (origin: the
        /// system's `btp.cf.pm.origin` by default), created with `POST /v3/users` when Cloud
        /// Foundry has none. `{guid}` in `users:` is created too (an admin's call).
        mutating func user(_ ref: JSONValue, at place: String, creatingByGuid: Bool = false) async throws(StepFailure) -> UserReference {
            if let guid = ref.stringValue ?? ref["guid"]?.stringValue {
                guard ref["username"] == nil, ref["origin"] == nil else { throw StepFailure("\(place): give a guid or a username and origin, not both") }
                guard !guid.isEmpty else { throw StepFailure("\(place): the guid is empty") }
                if creatingByGuid { try await create(guid: guid, at: place) }
                return .guid(guid)
            }
            guard let username = ref["username"]?.stringValue, !username.isEmpty else {
                throw StepFailure("\(place): a user is a GUID, {guid: …} or {username: …, origin: …}")
            }
            guard let origin = ref["origin"]?.stringValue ?? defaultOrigin else {
                throw StepFailure("\(place): user '\(username)' needs an origin (or the system's btp.cf.pm.origin)")
            }
            if let known = known[origin + "/" + username] { return known }
            let found: [String]
            do throws(ConnectorError) {
                found = try await connector.find(.user, matching: [("userName", username), ("origin", origin)])
            } catch {
                throw StepFailure("\(place): finding user '\(username)' in \(system): \(error.message)")
            }
            guard found.count <= 1 else { throw StepFailure("\(place): \(system) has \(found.count) users '\(username)' of origin '\(origin)'") }
            let reference: UserReference
            if let only = found.first {
                reference = .guid(only)
            } else {
                switch await connector.create(.user, ["userName": .string(username), "origin": .string(origin)]) {
                case .success(let ids):
                    guard let guid = ids.first else { throw StepFailure("\(place): \(system) created user '\(username)' without a GUID") }
                    await platform.world.rememberExternal(system: system, type: .user, id: guid)
                    createdUsers += 1
                    reference = .guid(guid)
                case .failure(let failure) where failure.kind == .conflict:
                    reference = .name(username: username, origin: origin)  // there, but not visible to these credentials
                case .failure(let failure):
                    throw StepFailure("\(place): \(system) refused to create user '\(username)': \(failure.message)")
                }
            }
            known[origin + "/" + username] = reference
            return reference
        }

        /// `POST /v3/users {"guid"}`; a user Cloud Foundry has already is fine.
        private mutating func create(guid: String, at place: String) async throws(StepFailure) {
            let response = try await platform.send("POST", "/v3/users", json: ["guid": .string(guid)]).get()
            if PlatformMembersConnector.userExists(response) { return }
            guard response.isSuccess else { throw StepFailure("\(place): \(system) refused the user: \(ConnectorError.from(response, method: "POST", url: "/v3/users").message)") }
            await platform.world.rememberExternal(system: system, type: .user, id: guid)
            createdUsers += 1
        }

        /// `POST /v3/roles` for `{type, user, organization, space?}`; the role's GUID is remembered.
        mutating func role(_ role: JSONValue, at place: String) async throws(StepFailure) {
            guard case .object(let fields) = role else { throw StepFailure("\(place): a role is {type, user, organization, space}") }
            if let unknown = fields.keys.first(where: { !["type", "user", "organization", "space"].contains($0) }) {
                throw StepFailure("\(place): unknown key '\(unknown)' (type, user, organization, space)")
            }
            guard let type = role["type"]?.stringValue else { throw StepFailure("\(place): needs a type (organization_user, space_developer, …)") }
            guard let userRef = role["user"] else { throw StepFailure("\(place): needs a user (GUID or {username, origin})") }
            guard let organizationRef = role["organization"]?.stringValue else { throw StepFailure("\(place): needs an organization (name or GUID)") }
            let organization = try await platform.organizationGuid(organizationRef, at: place)
            var scope = ("organization", organization)
            if let ref = role["space"] {
                guard let name = ref.stringValue else { throw StepFailure("\(place): space must be a name or GUID") }
                scope = ("space", try await platform.spaceGuid(name, organization: organization, at: place))
            }
            let user = try await user(userRef, at: place + ".user")
            let scopeData: JSONValue = ["data": ["guid": .string(scope.1)]]
            let body: JSONValue = .object(JSONObject([
                ("type", .string(type)),
                ("relationships", .object(JSONObject([("user", user.data), (scope.0, scopeData)]))),
            ]))
            let response = try await platform.send("POST", "/v3/roles", json: body).get()
            guard response.isSuccess, let guid = (try? JSONParser.parse(response.body))?["guid"]?.stringValue else {
                throw StepFailure("\(place): \(system) refused the role: \(ConnectorError.from(response, method: "POST", url: "/v3/roles").message)")
            }
            await platform.world.rememberExternal(system: system, type: .group, id: guid)
            createdRoles += 1
        }
    }

    fileprivate func organizationGuid(_ ref: String, at place: String) async throws(StepFailure) -> String {
        let named = try await get("/v3/organizations?names=" + FormEncoding.escape(ref)).get()
        let matches = named.body?["resources"]?.arrayValue?.compactMap { $0["guid"]?.stringValue } ?? []
        if let only = matches.first, matches.count == 1 { return only }
        if try await get("/v3/organizations/" + FormEncoding.escape(ref)).get().body != nil { return ref }
        throw StepFailure("\(place): \(system) shows no organization named '\(ref)' or with that GUID to its credentials")
    }

    fileprivate func spaceGuid(_ ref: String, organization: String, at place: String) async throws(StepFailure) -> String {
        let named = try await get("/v3/spaces?names=\(FormEncoding.escape(ref))&organization_guids=\(FormEncoding.escape(organization))").get()
        let matches = named.body?["resources"]?.arrayValue?.compactMap { $0["guid"]?.stringValue } ?? []
        if let only = matches.first, matches.count == 1 { return only }
        let byGuid = try await get("/v3/spaces/" + FormEncoding.escape(ref)).get().body
        if byGuid?["relationships"]?["organization"]?["data"]?["guid"]?.stringValue == organization { return ref }
        throw StepFailure("\(place): \(system) shows no space named '\(ref)' or with that GUID in organization \(organization) to its credentials")
    }
}
