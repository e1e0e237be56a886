import JSON
import SCIM
import Transformation

/// Platform Members as a source, and the read side of its proxy (docs/fidelity.md, “The provisioning engine”): what the CF
/// provisioning user, an org manager, can see through the V3 API, in the SCIM shape the default
/// read transformations address.
///
/// - Users are the Cloud Foundry users of `btp.cf.pm.origin`: `id` = user GUID, `userName`,
///   `origin`, and as e-mail the user name, which is the one e-mail of the UAA shadow user the
///   Cloud Controller creates. V3 users carry nothing else.
/// - Groups are the role sets of every visible org (four org roles) and space (four space roles),
///   also those nobody holds, so that admins can assign users to them: `id` `<org_ID> <org_role>`
///   or `<org_ID> <space_ID> <space_role>`, `displayName`
///   `<landscape>:<org_name>[:<space_name>]:<role>`, `members` the holders of `btp.cf.pm.origin`.
/// - A user without any role is invisible to an org manager, so it cannot be read back.
extension PlatformMembersConnector: SourceConnector {
    /// The V3 API has no "changed since" query that covers roles.
    public var supportsDeltaRead: Bool { false }

    public func read(_ type: EntityType, modifiedAfter: String?) async throws(ConnectorError) -> [JSONValue] {
        let entities = type == .user ? try await users() : try await groups()
        var filters: [SCIMFilter] = []
        let property = type == .user ? "user.filter" : "group.filter"
        if let text = properties.scim(property), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do throws(SCIMError) {
                filters.append(try SCIMFilter(parsing: text))
            } catch {
                throw ConnectorError("btp.cf.pm.\(property) '\(text)': \(error.detail)")
            }
        }
        if let modifiedAfter { filters.append(.modifiedAfter(modifiedAfter)) }
        guard !filters.isEmpty else { return entities }
        let evaluator = SCIMFilterEvaluator(resourceType: type == .user ? Self.userType : Self.groupType)
        return entities.filter { entity in filters.allSatisfy { evaluator.matches($0, entity) } }
    }

    public func read(_ type: EntityType, id: String) async throws(ConnectorError) -> JSONValue? {
        type == .user ? try await user(id) : try await group(id)
    }

    static let userType = SCIMResourceType(name: "User", endpoint: "/Users", description: "Cloud Foundry user", schema: SCIMSchemas.user)
    static let groupType = SCIMResourceType(name: "Group", endpoint: "/Groups", description: "Cloud Foundry role set", schema: SCIMSchemas.group)

    // MARK: Users

    private func users() async throws(ConnectorError) -> [JSONValue] {
        try await list(apiURL + "/v3/users?per_page=5000").resources.compactMap(scimUser)
    }

    private func user(_ guid: String) async throws(ConnectorError) -> JSONValue? {
        guard let cf = try await get(apiURL + "/v3/users/" + FormEncoding.escape(guid)) else { return nil }
        return scimUser(cf)
    }

    /// nil for users of another origin (the provisioning user, other identity providers) and for
    /// users without a UAA identity (clients).
    private func scimUser(_ cf: JSONValue) -> JSONValue? {
        guard let guid = cf["guid"]?.stringValue, let username = cf["username"]?.stringValue else { return nil }
        let userOrigin = cf["origin"]?.stringValue
        if let origin, userOrigin != origin { return nil }
        var members: [(String, JSONValue)] = [
            ("schemas", [.string(SCIMSchemas.userURN)]), ("id", .string(guid)), ("userName", .string(username)),
            ("emails", [["value": .string(username), "primary": true]]),
        ]
        if let userOrigin { members.append(("origin", .string(userOrigin))) }
        members.append(("meta", Self.meta("User", created: cf["created_at"], lastModified: cf["updated_at"])))
        return .object(JSONObject(members))
    }

    // MARK: Groups

    private func groups() async throws(ConnectorError) -> [JSONValue] {
        let organizations = try await list(apiURL + "/v3/organizations?per_page=5000").resources
        let spaces = try await list(apiURL + "/v3/spaces?per_page=5000").resources
        let roles = try await list(apiURL + "/v3/roles?per_page=5000&include=user")
        let holders = RoleHolders(roles: roles.resources, users: roles.included["users"] ?? [], origin: origin)
        var groups: [JSONValue] = []
        for organization in organizations {
            guard let orgGuid = organization["guid"]?.stringValue else { continue }
            for role in Self.organizationRoles {
                groups.append(scimGroup(RoleSet(organization: orgGuid, space: nil, role: role), organization: organization, space: nil, holders: holders))
            }
            for space in spaces where space["relationships"]?["organization"]?["data"]?["guid"]?.stringValue == orgGuid {
                guard let spaceGuid = space["guid"]?.stringValue else { continue }
                for role in Self.spaceRoles {
                    groups.append(scimGroup(RoleSet(organization: orgGuid, space: spaceGuid, role: role), organization: organization, space: space, holders: holders))
                }
            }
        }
        return groups
    }

    /// nil when the ID names no role, or an org or space that does not exist (or is not visible).
    private func group(_ id: String) async throws(ConnectorError) -> JSONValue? {
        guard let set = try? RoleSet(id: id) else { return nil }
        guard let organization = try await get(apiURL + "/v3/organizations/" + FormEncoding.escape(set.organization)) else { return nil }
        var space: JSONValue?
        if let spaceGuid = set.space {
            space = try await get(apiURL + "/v3/spaces/" + FormEncoding.escape(spaceGuid))
            guard space?["relationships"]?["organization"]?["data"]?["guid"]?.stringValue == set.organization else { return nil }
        }
        let scope = set.space.map { "space_guids=\($0)" } ?? "organization_guids=\(set.organization)"
        let roles = try await list(apiURL + "/v3/roles?per_page=5000&include=user&types=\(set.role)&" + scope)
        return scimGroup(set, organization: organization, space: space, holders: RoleHolders(roles: roles.resources, users: roles.included["users"] ?? [], origin: origin))
    }

    private func scimGroup(_ set: RoleSet, organization: JSONValue, space: JSONValue?, holders: RoleHolders) -> JSONValue {
        let names = [landscape, organization["name"]?.stringValue ?? set.organization] + (space.map { [$0["name"]?.stringValue ?? set.space ?? ""] } ?? []) + [set.role]
        let held = holders.of(set)
        let owner = space ?? organization
        // A role change is a change of the group; removals leave no trace in the V3 API.
        let lastModified = ([owner["updated_at"]?.stringValue] + held.map(\.created)).compactMap { $0 }.max()
        return .object(JSONObject([
            ("schemas", [.string(SCIMSchemas.groupURN)]), ("id", .string(set.id)), ("displayName", .string(names.joined(separator: ":"))),
            ("members", .array(held.map { ["value": .string($0.user), "display": .string($0.username), "type": "User"] })),
            ("meta", Self.meta("Group", created: owner["created_at"], lastModified: lastModified.map(JSONValue.string))),
        ]))
    }

    private static func meta(_ resourceType: String, created: JSONValue?, lastModified: JSONValue?) -> JSONValue {
        var meta: [(String, JSONValue)] = [("resourceType", .string(resourceType))]
        if let created { meta.append(("created", created)) }
        if let lastModified { meta.append(("lastModified", lastModified)) }
        return .object(JSONObject(meta))
    }

    // MARK: Requests

    /// Every page of a V3 list below the API URL (`/v3/roles?include=user`), following
    /// `pagination.next`: the resources, and what `include` added by kind (`users`, `spaces` …),
    /// each once.
    public func list(path: String) async throws(ConnectorError) -> (resources: [JSONValue], included: [String: [JSONValue]]) {
        try await list(apiURL + path)
    }

    /// Every page of a V3 list, following `pagination.next`; with `include=…`, the included
    /// resources by kind, each once.
    func list(_ first: String) async throws(ConnectorError) -> (resources: [JSONValue], included: [String: [JSONValue]]) {
        var url: String? = first
        var resources: [JSONValue] = []
        var included: [String: [JSONValue]] = [:]
        var seen: Set<String> = []
        var pages = 0
        while let next = url {
            let response = try await client.send("GET", next, purpose: .read(fullRead: true))
            guard response.isSuccess, let page = try? JSONParser.parse(response.body) else { throw ConnectorError.from(response, method: "GET", url: next) }
            resources += page["resources"]?.arrayValue ?? []
            if case .object(let kinds)? = page["included"] {
                for kind in kinds {
                    for item in kind.value.arrayValue ?? [] where item["guid"]?.stringValue.map({ seen.insert(kind.key + "/" + $0).inserted }) ?? true {
                        included[kind.key, default: []].append(item)
                    }
                }
            }
            url = page["pagination"]?["next"]?["href"]?.stringValue
            pages += 1
            // A `next` that points back, or pages without end, must not keep a job reading forever.
            if url == next || pages >= 100_000 {
                throw ConnectorError(status: response.status, "GET \(Redaction.path(of: next)): the pages do not end (pagination.next after \(pages) pages)")
            }
        }
        return (resources, included)
    }

    /// One resource; nil when the Cloud Controller does not have it (or does not show it).
    private func get(_ url: String) async throws(ConnectorError) -> JSONValue? {
        let response = try await client.send("GET", url, purpose: .read(fullRead: false))
        if response.status == 404 { return nil }
        guard response.isSuccess, let json = try? JSONParser.parse(response.body) else { throw ConnectorError.from(response, method: "GET", url: url) }
        return json
    }
}

/// Who holds which role, from a V3 role list with `include=user`: only users of the origin.
private struct RoleHolders {
    struct Holder {
        let user: String
        let username: String
        let created: String?
    }

    private var byKey: [String: [Holder]] = [:]

    init(roles: [JSONValue], users: [JSONValue], origin: String?) {
        var identities: [String: (username: String, origin: String?)] = [:]
        for user in users {
            if let guid = user["guid"]?.stringValue, let name = user["username"]?.stringValue { identities[guid] = (name, user["origin"]?.stringValue) }
        }
        for role in roles {
            guard let type = role["type"]?.stringValue, let user = role["relationships"]?["user"]?["data"]?["guid"]?.stringValue,
                  let identity = identities[user], origin == nil || identity.origin == origin else { continue }
            let scope = role["relationships"]?["space"]?["data"]?["guid"]?.stringValue ?? role["relationships"]?["organization"]?["data"]?["guid"]?.stringValue ?? ""
            byKey["\(scope) \(type)", default: []].append(Holder(user: user, username: identity.username, created: role["created_at"]?.stringValue))
        }
    }

    func of(_ set: PlatformMembersConnector.RoleSet) -> [Holder] {
        byKey["\(set.space ?? set.organization) \(set.role)"] ?? []
    }
}
