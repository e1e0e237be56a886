import Hosting
import Chrono
import JSON
import Synchronization

/// How the fake Cloud Controller behaves where real foundations differ by configuration.
public struct CloudControllerSettings: Sendable, Equatable {
    /// Simulated seconds before an accepted deletion job runs (0: at once, before the 202).
    public var jobSeconds: Double = 0
    /// Feature flag `set_roles_by_username`: roles may name the user by username and origin.
    public var setRolesByUsername = true
    /// `cc.allow_user_creation_by_org_manager`: org managers may create users by username/origin.
    public var allowUserCreationByOrgManager = true
    /// A space role needs `organization_user` in the space's organization (always, in real Cloud
    /// Foundry; only `FakeDefect.cfSpaceRoleWithoutOrgUser` turns it off).
    public var spaceRolesNeedOrganizationUser = true

    public init() {}

    var json: JSONValue {
        .object(JSONObject([
            ("jobSeconds", JSONNumber(jobSeconds).map(JSONValue.number) ?? 0), ("setRolesByUsername", .bool(setRolesByUsername)),
            ("allowUserCreationByOrgManager", .bool(allowUserCreationByOrgManager)),
        ]))
    }

    mutating func update(_ json: JSONValue) throws(FakeRequestError) {
        guard case .object(let o) = json else { throw FakeRequestError("settings must be an object") }
        for member in o {
            switch member.key {
            case "jobSeconds":
                guard let v = member.value.numberValue?.doubleValue, v >= 0 else { throw FakeRequestError("jobSeconds must be a number >= 0") }
                jobSeconds = v
            case "setRolesByUsername", "allowUserCreationByOrgManager":
                guard let v = member.value.boolValue else { throw FakeRequestError("\(member.key) must be true or false") }
                if member.key == "setRolesByUsername" { setRolesByUsername = v } else { allowUserCreationByOrgManager = v }
            default:
                throw FakeRequestError("unknown setting '\(member.key)' (jobSeconds, setRolesByUsername, allowUserCreationByOrgManager)")
            }
        }
    }
}

/// A fake Cloud Foundry Cloud Controller (V3 API): organizations, spaces, users and the eight
/// role types with the real rules (a space role needs `organization_user` in the space's
/// organization; no duplicate roles; `organization_user` stays while space roles remain; role
/// deletion is an asynchronous job), V3 pagination and errors. Tokens come from the paired UAA
/// and are checked for signature, expiry and scopes.
public final class CloudController: FakeService {
    public let name = "cf"
    public let uaa: UAA
    /// The client `provsim serve` publishes: a Cloud Controller admin (client credentials at the UAA).
    public let client: OAuthClient
    private let authenticator: Authenticator
    private let uaaURL: @Sendable () -> String
    private let clock: SimulatedClock
    private let seedValue: UInt64
    private let state: Mutex<CFState>
    private let settingsStore: Mutex<CloudControllerSettings>

    /// - Parameter uaaURL: where the paired UAA is served (the root document links to it).
    public init(uaa: UAA, uaaURL: @escaping @Sendable () -> String, clock: SimulatedClock, seed: UInt64, settings: CloudControllerSettings = CloudControllerSettings()) {
        self.uaa = uaa
        self.uaaURL = uaaURL
        self.clock = clock
        seedValue = seed
        client = OAuthClient(id: "provsim-cf-admin", secret: UAA.secret(seed, "cf", clock),
                             scopes: ["cloud_controller.admin", "cloud_controller.read", "cloud_controller.write", "scim.read"])
        uaa.authenticator.register(client)
        authenticator = Authenticator(tokens: uaa.authenticator.tokens, clients: [], allowsBasic: false, audiences: ["cloud_controller"])
        state = Mutex(CFState(seed: seed))
        settingsStore = Mutex(settings)
    }

    public var settings: CloudControllerSettings {
        get { settingsStore.withLock { $0 } }
        set { settingsStore.withLock { $0 = newValue } }
    }

    // MARK: Requests

    public func handle(_ request: FakeRequest, context: FakeContext) async -> (response: FakeResponse, clientId: String?) {
        let base = context.baseURL
        switch request.path {
        case "/", "": return (.json(200, root(base)), nil)
        case "/v3", "/v3/": return (.json(200, v3Root(base)), nil)
        case "/v3/info": return (.json(200, info(base)), nil)
        default: break
        }
        guard request.path.hasPrefix("/v3/") else { return (CFError.unknownRequest.response, nil) }
        let claims: TokenClaims
        switch authenticator.authenticate(request, issuerURL: uaaURL() + "/oauth/token") {
        case .success(.token(let c)): claims = c
        case .success(.basic), .failure(.missing), .failure(.unsupportedScheme), .failure(.badCredentials):
            return (CFError.notAuthenticated.response, nil)
        case .failure(.invalidToken):
            return (CFError.invalidToken.response, nil)
        }
        let admin = claims.hasScope("cloud_controller.admin")
        let readsAll = admin || claims.hasScope("cloud_controller.admin_read_only") || claims.hasScope("cloud_controller.global_auditor")
        let reads = readsAll || claims.hasScope("cloud_controller.read")
        let writes = admin || claims.hasScope("cloud_controller.write")
        guard request.method == "GET" ? reads : writes else { return (CFError.notAuthorized.response, claims.clientId) }
        let caller = CFCaller(userGuid: claims.userId ?? claims.clientId, admin: admin, readsAll: readsAll)
        do throws(CFError) {
            return (try route(request, caller: caller, base: base), claims.clientId)
        } catch {
            return (error.response, claims.clientId)
        }
    }

    private func route(_ request: FakeRequest, caller: CFCaller, base: String) throws(CFError) -> FakeResponse {
        let parts = request.path.split(separator: "/").dropFirst().map(String.init)
        let now = clock.now()
        state.withLock { $0.settleJobs(now: now, timestamp: clock.timestamp) }
        switch (request.method, parts.first ?? "", parts.count) {
        case ("GET", "organizations", 1): return try listOrganizations(request, caller, base)
        case ("POST", "organizations", 1): return try createOrganization(request, caller, base)
        case ("GET", "organizations", 2): return try read { s throws(CFError) in
                guard s.canRead(organization: parts[1], caller) else { throw CFError.notFound("Organization") }
                return s.organizations[parts[1]]!.json(base)
            }
        case ("GET", "organizations", 3) where parts[2] == "users": return try listUsers(request, caller, base, organization: parts[1])
        case ("GET", "spaces", 1): return try listSpaces(request, caller, base)
        case ("POST", "spaces", 1): return try createSpace(request, caller, base)
        case ("GET", "spaces", 2): return try read { s throws(CFError) in
                guard s.canRead(space: parts[1], caller) else { throw CFError.notFound("Space") }
                return s.spaces[parts[1]]!.json(base)
            }
        case ("GET", "spaces", 3) where parts[2] == "users": return try listUsers(request, caller, base, space: parts[1])
        case ("GET", "users", 1): return try listUsers(request, caller, base)
        case ("POST", "users", 1): return try createUser(request, caller, base)
        case ("GET", "users", 2): return try read { s throws(CFError) in
                guard s.canRead(user: parts[1], caller) else { throw CFError.notFound("User") }
                return s.users[parts[1]]!.json(base, identity: uaa.directory.identity(of: parts[1]))
            }
        case ("DELETE", "users", 2): return try deleteUser(parts[1], caller, base)
        case ("GET", "roles", 1): return try listRoles(request, caller, base)
        case ("POST", "roles", 1): return try createRole(request, caller, base)
        case ("GET", "roles", 2): return try read { s throws(CFError) in
                guard let role = s.roles[parts[1]], s.canRead(role: role, caller) else { throw CFError.notFound("Role") }
                return role.json(base)
            }
        case ("DELETE", "roles", 2): return try deleteRole(parts[1], caller, base)
        case ("GET", "jobs", 2): return try read { s throws(CFError) in
                guard let job = s.jobs[parts[1]] else { throw CFError.notFound("Job") }
                return job.json(base)
            }
        default: throw CFError.unknownRequest
        }
    }

    private func read(_ body: (CFState) throws(CFError) -> JSONValue) throws(CFError) -> FakeResponse {
        .json(200, try state.withLock { (s) throws(CFError) -> JSONValue in try body(s) })
    }

    private func body(_ request: FakeRequest) throws(CFError) -> JSONObject {
        guard let json = try? request.json(), case .object(let object) = json else { throw CFError.invalidRequest("invalid request body") }
        return object
    }

    // MARK: Organizations and spaces

    private func listOrganizations(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let query = try CFListQuery(request.query, filters: ["names", "guids"], orderBy: ["created_at", "updated_at", "name"])
        let names = query.filters["names"].map { Set($0.map { $0.lowercased() }) }
        let (page, total) = state.withLock { s in
            query.page(s.organizationOrder.compactMap { s.organizations[$0] }.filter { org in
                s.canRead(organization: org.guid, caller) && query.allows("guids", org.guid) && (names?.contains(org.name.lowercased()) ?? true)
            }) { org, field in field == "name" ? org.name : field == "updated_at" ? String(org.updated) : String(org.created) }
        }
        return .json(200, query.response(page.map { $0.json(base) }, total: total, url: base + "/v3/organizations"))
    }

    private func createOrganization(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let body = try body(request)
        guard caller.admin else { throw CFError.notAuthorized }
        guard let name = body["name"]?.stringValue, !name.isEmpty else { throw CFError.unprocessable("Name must be a string, Name can't be blank") }
        let org = try state.withLock { (s) throws(CFError) -> CFOrganization in try s.addOrganization(name: name, guid: nil, now: clock.timestamp()) }
        return .json(201, org.json(base))
    }

    private func listSpaces(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let query = try CFListQuery(request.query, filters: ["names", "guids", "organization_guids"], orderBy: ["created_at", "updated_at", "name"], include: ["organization"])
        let (page, total, orgs) = state.withLock { s in
            let (page, total) = query.page(s.spaceOrder.compactMap { s.spaces[$0] }.filter { space in
                s.canRead(space: space.guid, caller) && query.allows("guids", space.guid) && query.allows("names", space.name)
                    && query.allows("organization_guids", space.organizationGuid)
            }) { space, field in field == "name" ? space.name : field == "updated_at" ? String(space.updated) : String(space.created) }
            let orgGuids = page.map(\.organizationGuid).uniqued()
            return (page, total, orgGuids.compactMap { s.organizations[$0]?.json(base) })
        }
        let included: [(String, JSONValue)] = query.include.contains("organization") ? [("organizations", .array(orgs))] : []
        return .json(200, query.response(page.map { $0.json(base) }, total: total, url: base + "/v3/spaces", included: included))
    }

    private func createSpace(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let body = try body(request)
        guard let name = body["name"]?.stringValue, !name.isEmpty else { throw CFError.unprocessable("Name must be a string, Name can't be blank") }
        guard let orgGuid = body["relationships"]?["organization"]?["data"]?["guid"]?.stringValue else {
            throw CFError.unprocessable("Relationships Organization can't be blank")
        }
        let space = try state.withLock { (s) throws(CFError) -> CFSpace in
            guard s.canRead(organization: orgGuid, caller) else {
                throw CFError.unprocessable("Invalid organization. Ensure the organization exists and you have access to it.")
            }
            guard s.canManage(organization: orgGuid, caller) else { throw CFError.notAuthorized }
            return try s.addSpace(name: name, organization: orgGuid, guid: nil, now: clock.timestamp())
        }
        return .json(201, space.json(base))
    }

    // MARK: Users

    private func listUsers(_ request: FakeRequest, _ caller: CFCaller, _ base: String, organization: String? = nil, space: String? = nil) throws(CFError) -> FakeResponse {
        let query = try CFListQuery(request.query, filters: ["guids", "usernames", "partial_usernames", "origins"], refusal: .unprocessable)
        if query.filters["origins"] != nil, query.filters["usernames"] == nil, query.filters["partial_usernames"] == nil {
            throw CFError.unprocessable("Origins filter cannot be provided without usernames or partial_usernames filter")
        }
        let directory = uaa.directory
        let result = try state.withLock { (s) throws(CFError) -> (page: [CFUser], total: Int) in
            if let organization, !s.canRead(organization: organization, caller) { throw CFError.notFound("Organization") }
            if let space, !s.canRead(space: space, caller) { throw CFError.notFound("Space") }
            let users = s.userOrder.compactMap { s.users[$0] }.filter { user in
                guard s.canRead(user: user.guid, caller), query.allows("guids", user.guid) else { return false }
                if let organization, !s.hasAnyRole(user.guid, inOrganization: organization) { return false }
                if let space, !s.roles(of: user.guid).contains(where: { $0.spaceGuid == space }) { return false }
                guard query.filters["usernames"] != nil || query.filters["partial_usernames"] != nil else { return true }
                guard let identity = directory.identity(of: user.guid) else { return false }
                if let names = query.filters["usernames"], !names.contains(identity.userName) { return false }
                if let partial = query.filters["partial_usernames"], !partial.contains(where: { identity.userName.lowercased().contains($0.lowercased()) }) { return false }
                return query.allows("origins", identity.origin)
            }
            return query.page(users) { user, field in String(field == "updated_at" ? user.updated : user.created) }
        }
        let path = organization.map { "/v3/organizations/\($0)/users" } ?? space.map { "/v3/spaces/\($0)/users" } ?? "/v3/users"
        return .json(200, query.response(result.page.map { $0.json(base, identity: directory.identity(of: $0.guid)) }, total: result.total, url: base + path))
    }

    /// `{"guid"}` (admins) or `{"username", "origin"}` (admins, and org managers when allowed):
    /// the latter creates the UAA shadow user when it does not exist.
    private func createUser(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let body = try body(request)
        if let unknown = body.keys.first(where: { !["guid", "username", "origin", "metadata"].contains($0) }) {
            throw CFError.unprocessable("Unknown field(s): '\(unknown)'")
        }
        let guid: String
        if let given = body["guid"]?.stringValue {
            guard caller.admin else { throw CFError.notAuthorized }
            guard body["username"] == nil, body["origin"] == nil else { throw CFError.unprocessable("Guid cannot be provided with username or origin") }
            guid = given
        } else if let username = body["username"]?.stringValue, let origin = body["origin"]?.stringValue {
            let isOrgManager = state.withLock { s in s.roles(of: caller.userGuid).contains { $0.type == .organizationManager } }
            guard caller.admin || (settings.allowUserCreationByOrgManager && isOrgManager) else { throw CFError.notAuthorized }
            guard origin != "uaa" else { throw CFError.unprocessable("Origin cannot be 'uaa' when creating a user.") }
            do throws(UAAError) {
                guid = try uaa.shadowUser(userName: username, origin: origin)
            } catch {
                throw CFError(502, 20005, "CF-UaaUnavailable", "The UAA refused the user: \(error.message)")
            }
        } else {
            throw CFError.unprocessable("Guid must be a string, or username and origin must be given")
        }
        let user = try state.withLock { (s) throws(CFError) -> CFUser in
            if s.users[guid] != nil { throw CFError.unprocessable("User with guid '\(guid)' already exists.") }
            return s.ensureUser(guid, now: clock.timestamp())
        }
        return .json(201, user.json(base, identity: uaa.directory.identity(of: guid)))
    }

    private func deleteUser(_ guid: String, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        try state.withLock { (s) throws(CFError) -> Void in
            guard s.canRead(user: guid, caller) else { throw CFError.notFound("User") }
            guard caller.admin else { throw CFError.notAuthorized }
        }
        return accepted(.deleteUser(guid), operation: "user.delete", base: base)
    }

    // MARK: Roles

    private func listRoles(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let query = try CFListQuery(request.query, filters: ["guids", "types", "space_guids", "organization_guids", "user_guids"], include: ["user", "space", "organization"], refusal: .unprocessable)
        let directory = uaa.directory
        let (page, total, included) = state.withLock { s in
            let (page, total) = query.page(s.roleOrder.compactMap { s.roles[$0] }.filter { role in
                s.canRead(role: role, caller) && query.allows("guids", role.guid) && query.allows("types", role.type.rawValue)
                    && query.allows("user_guids", role.userGuid) && query.allows("organization_guids", role.organizationGuid)
                    && query.allows("space_guids", role.spaceGuid)
            }) { role, _ in String(role.created) }
            var included: [(String, JSONValue)] = []
            for kind in query.include {
                switch kind {
                case "user":
                    included.append(("users", .array(page.map(\.userGuid).uniqued().compactMap { s.users[$0]?.json(base, identity: directory.identity(of: $0)) })))
                case "space":
                    included.append(("spaces", .array(page.compactMap(\.spaceGuid).uniqued().compactMap { s.spaces[$0]?.json(base) })))
                default:
                    included.append(("organizations", .array(page.compactMap(\.organizationGuid).uniqued().compactMap { s.organizations[$0]?.json(base) })))
                }
            }
            return (page, total, included)
        }
        return .json(200, query.response(page.map { $0.json(base) }, total: total, url: base + "/v3/roles", included: included))
    }

    private func createRole(_ request: FakeRequest, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        let message = try CFRoleCreateMessage(try body(request))
        let userGuid = try resolveUser(message)
        let directory = uaa.directory
        let role = try state.withLock { (s) throws(CFError) -> CFRole in
            let now = clock.timestamp()
            let presentation = directory.identity(of: userGuid)?.userName ?? userGuid
            if let orgGuid = message.organizationGuid {
                guard s.canRead(organization: orgGuid, caller) else {
                    throw CFError.unprocessable("Invalid organization. Ensure that the organization exists and you have access to it.")
                }
                guard s.canManage(organization: orgGuid, caller) else { throw CFError.notAuthorized }
                // An organization role creates the Cloud Controller's user record when missing.
                s.ensureUser(userGuid, now: now)
                return try s.addRole(message.type, user: userGuid, organization: orgGuid, space: nil, presentationName: presentation, now: now)
            }
            let spaceGuid = message.spaceGuid!
            guard s.canRead(space: spaceGuid, caller) else {
                throw CFError.unprocessable("Invalid space. Ensure that the space exists and you have access to it.")
            }
            guard s.canManage(space: spaceGuid, caller) else { throw CFError.notAuthorized }
            let orgGuid = s.spaces[spaceGuid]!.organizationGuid
            guard (s.canRead(user: userGuid, caller) && s.isOrganizationUser(userGuid, orgGuid)) || !settings.spaceRolesNeedOrganizationUser else {
                throw CFError.unprocessable("Users cannot be assigned roles in a space if they do not have a role in that space's organization.")
            }
            return try s.addRole(message.type, user: userGuid, organization: nil, space: spaceGuid, presentationName: presentation, now: now)
        }
        return .json(201, role.json(base))
    }

    /// The user's GUID from the message, looking a username up in the UAA.
    private func resolveUser(_ message: CFRoleCreateMessage) throws(CFError) -> String {
        if let guid = message.userGuid { return guid }
        guard settings.setRolesByUsername else {
            throw CFError(403, 330002, "CF-FeatureDisabled", "Feature Disabled: set_roles_by_username")
        }
        let username = message.username!
        let matches = uaa.directory.users(named: username).filter { message.origin == nil || $0.origin == message.origin }
        if matches.isEmpty {
            throw CFError.unprocessable(message.origin.map { "No user exists with the username '\(username)' and origin '\($0)'." }
                ?? "No user exists with the username '\(username)'.")
        }
        if matches.count > 1 {
            throw CFError.unprocessable("User with username '\(username)' exists in the following origins: \(matches.map(\.origin).sorted().joined(separator: ", ")). Specify an origin to disambiguate.")
        }
        return matches[0].id
    }

    private func deleteRole(_ guid: String, _ caller: CFCaller, _ base: String) throws(CFError) -> FakeResponse {
        try state.withLock { (s) throws(CFError) -> Void in
            guard let role = s.roles[guid], s.canRead(role: role, caller) else { throw CFError.notFound("Role") }
            if let space = role.spaceGuid {
                guard s.canManage(space: space, caller) else { throw CFError.notAuthorized }
            } else if let org = role.organizationGuid {
                guard s.canManage(organization: org, caller) else { throw CFError.notAuthorized }
                if role.type == .organizationUser, !s.spaceRoles(of: role.userGuid, inOrganization: org).isEmpty {
                    throw CFError.unprocessable("Cannot delete organization_user role while user has roles in spaces in that organization.")
                }
            }
        }
        return accepted(.deleteRole(guid), operation: "role.delete", base: base)
    }

    /// 202 with `Location: …/v3/jobs/{guid}`; the job runs now or after `jobSeconds`.
    private func accepted(_ work: CFJob.Work, operation: String, base: String) -> FakeResponse {
        let delay = settings.jobSeconds
        let jobGuid = state.withLock { s in
            let now = clock.timestamp()
            let job = CFJob(guid: s.guid(), operation: operation, state: .processing, created: now, updated: now, dueAt: clock.now() + delay, work: work)
            s.jobs[job.guid] = job
            if delay == 0 { s.settleJobs(now: clock.now(), timestamp: clock.timestamp) }
            return job.guid
        }
        return .empty(202, headers: [("location", "\(base)/v3/jobs/\(jobGuid)")])
    }

    // MARK: Documents

    private func root(_ base: String) -> JSONValue {
        let uaa = uaaURL()
        return ["links": .object(JSONObject([
            ("self", link(base)), ("bits_service", .null), ("cloud_controller_v2", .null),
            ("cloud_controller_v3", ["href": .string(base + "/v3"), "meta": ["version": "3.180.0"]]),
            ("network_policy_v0", .null), ("network_policy_v1", .null),
            ("login", link(uaa)), ("uaa", link(uaa)), ("credhub", .null), ("routing", .null),
            ("logging", .null), ("log_cache", .null), ("log_stream", .null), ("app_ssh", .null),
        ]))]
    }

    private func v3Root(_ base: String) -> JSONValue {
        ["links": .object(JSONObject([("self", link(base + "/v3"))] + ["info", "jobs", "organizations", "roles", "spaces", "users"].map {
            ($0, link("\(base)/v3/\($0)"))
        }))]
    }

    private func info(_ base: String) -> JSONValue {
        .object(JSONObject([
            ("build", "provsim"), ("cli_version", ["minimum": "", "recommended": ""]), ("custom", .object(JSONObject())),
            ("description", "provsim fake Cloud Controller"), ("name", "provsim"), ("version", 0), ("osbapi_version", ""),
            ("links", ["self": link(base + "/v3/info"), "support": link("https://github.com/provsim")]),
        ]))
    }

    // MARK: FakeService

    public func rateLimited(retryAfter: Int, reason: String) -> FakeResponse {
        var response = CFError(429, 10013, "CF-RateLimitExceeded", "Rate Limit Exceeded: \(reason)").response
        response.headers.append(("retry-after", String(retryAfter)))
        return response
    }

    public var requestLimits: RequestLimits { .cloudController }

    /// The V3 error envelope with CF-BadRequest (1004). The real answers come from the front
    /// ends (nginx's HTML 413/414, gorouter's plain-text 431); the fake keeps their statuses and
    /// answers JSON a CF client can read (docs/fidelity.md).
    public func refusal(status: Int, detail: String) -> FakeResponse {
        CFError(status, 1004, "CF-BadRequest", "Bad request: \(detail)").response
    }

    public func reset() {
        state.withLock { $0 = CFState(seed: seedValue) }
    }

    public func seed(_ data: JSONValue, context: FakeContext) throws(FakeRequestError) -> JSONValue {
        try CFSeeding.seed(data, into: state, uaa: uaa, clock: clock)
    }

    public func state(context: FakeContext) -> JSONValue {
        let base = context.baseURL
        let directory = uaa.directory
        return state.withLock { s in
            .object(JSONObject([
                ("organizations", .array(s.organizationOrder.compactMap { s.organizations[$0]?.json(base) })),
                ("spaces", .array(s.spaceOrder.compactMap { s.spaces[$0]?.json(base) })),
                ("users", .array(s.userOrder.compactMap { s.users[$0]?.json(base, identity: directory.identity(of: $0)) })),
                ("roles", .array(s.roleOrder.compactMap { s.roles[$0]?.json(base) })),
                ("jobs", .array(s.jobs.values.sorted { $0.created < $1.created }.map { $0.json(base) })),
            ]))
        }
    }

    public func control(_ request: FakeRequest, path: [String], context: FakeContext) -> FakeResponse? {
        guard path == ["settings"] else { return nil }
        switch request.method {
        case "GET": return .json(200, settings.json)
        case "PUT":
            do throws(FakeRequestError) {
                var updated = settings
                try updated.update(try request.json())
                settings = updated
                return .json(200, updated.json)
            } catch {
                return .json(400, ["error": .string(error.message)])
            }
        default: return nil
        }
    }

    /// Platform Members systems sign in as the UAA's provisioning user.
    public func connection(context: FakeContext) -> FakeConnection {
        FakeConnection(url: context.baseURL, credentials: uaa.provisioningUser.map { .user(name: $0.username, password: $0.password) })
    }

    public func descriptor(context: FakeContext) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("api", .string(context.baseURL + "/v3")),
            ("uaaURL", .string(uaaURL())),
            ("tokenURL", .string(uaaURL() + "/oauth/token")),
            ("clientId", .string(client.id)),
            ("clientSecret", .string(client.secret)),
        ]
        if let (username, password) = uaa.provisioningUser {
            fields += [("username", .string(username)), ("password", .string(password)), ("passwordClientId", "cf")]
        }
        return fields
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
