import Chrono
import Hosting
import JSON
import SCIM
import Synchronization

/// A fake UAA: Cloud Foundry's UAA, or (flavour `xsuaa`) SAP BTP's XSUAA User Management (SCIM)
/// API. SCIM 1.0 users and groups with UAA's wire rules (If-Match, versions, lower-case
/// `resources`, UAA filters and PATCH, member endpoints, UAA error bodies), the OAuth2 token
/// endpoint (client credentials, password through the public `cf` client, refresh tokens), and
/// a seeded provisioning user who can sign in with a password.
public final class UAA: FakeService {
    public let name: String
    public let configuration: UAAConfiguration
    public let authenticator: Authenticator
    /// The client `provsim serve` publishes (SCIM administration).
    public let client: OAuthClient
    /// The user the Platform Members connector signs in as (CF provisioning user); `nil` for XSUAA.
    public let provisioningUser: (username: String, password: String)?
    let directory: UAADirectory
    private let signInScopes: SignInScopes

    /// Scopes of password sign-ins by userName (lower case), for users seeded with `scopes`.
    private final class SignInScopes: Sendable {
        private let byUserName = Mutex<[String: [String]]>([:])
        func set(_ scopes: [String]?, for userName: String) { byUserName.withLock { $0[userName.lowercased()] = scopes } }
        func scopes(for userName: String) -> [String] { byUserName.withLock { $0[userName.lowercased()] } ?? UAA.defaultUserScopes }
        func clear() { byUserName.withLock { $0 = [:] } }
    }

    /// Scopes of a user who signs in with a password (UAA's default user groups that matter here).
    public static let defaultUserScopes = ["openid", "uaa.user", "cloud_controller.read", "cloud_controller.write", "password.write", "scim.me"]
    /// The provisioning user may also read UAA users (to look people up by userName).
    public static let provisioningUserScopes = defaultUserScopes + ["scim.read"]

    public init(configuration: UAAConfiguration, clock: SimulatedClock, seed: UInt64, tokens: TokenIssuer? = nil) {
        self.configuration = configuration
        let xsuaa = configuration.flavour == .xsuaa
        name = xsuaa ? "xsuaa" : "uaa"
        let tokens = tokens ?? TokenIssuer(issuer: xsuaa ? "xsuaa" : "uaa", clock: clock, seed: seed, accessTokenLifetime: configuration.tokenLifetime)
        client = xsuaa
            ? OAuthClient(id: "sb-provsim-apiaccess!b\(seed % 1000)", secret: Self.secret(seed, "xs", clock), scopes: ["xs_user.read", "xs_user.write"])
            : OAuthClient(id: "provsim-uaa-admin", secret: Self.secret(seed, "uaa", clock), scopes: ["scim.read", "scim.write", "scim.create", "groups.update", "uaa.admin"])
        var clients = [client]
        if !xsuaa {
            // The CF CLI's public client: no secret, signs users in with their password.
            clients.append(OAuthClient(id: "cf", secret: "", scopes: [
                "cloud_controller.read", "cloud_controller.write", "cloud_controller.admin", "openid", "uaa.user",
                "password.write", "scim.read", "scim.write",
            ], grantTypes: ["password", "refresh_token"]))
        }
        // The SCIM endpoints accept tokens for the resources their scopes name (scim.*, groups.update,
        // zones.uaa.admin, uaa.admin; XSUAA's API its xs_user.* scopes), not a Cloud Controller token.
        let audiences: Set<String> = ["scim", "groups", "zones", "uaa"]
        let authenticator = Authenticator(tokens: tokens, clients: clients, allowsBasic: false, audiences: xsuaa ? audiences.union(["xs_user"]) : audiences)
        self.authenticator = authenticator
        let signInScopes = SignInScopes()
        self.signInScopes = signInScopes
        directory = UAADirectory(configuration: configuration, clock: clock, seed: seed) { change in
            switch change {
            case .set(let username, let password, let userId, let origin):
                authenticator.register(OAuthUser(username: username, password: password, userId: userId, origin: origin,
                                                 scopes: signInScopes.scopes(for: username)))
            case .removed(let userId):
                authenticator.unregister(userId: userId)
            }
        }
        provisioningUser = xsuaa ? nil : ("cf-provisioner@provsim.example", Self.secret(seed, "provisioning-password", clock))
        seedProvisioningUser()
    }

    /// A secret of this fake for `purpose`: random per run, or derived from the seed when the
    /// clock is deterministic (`SecretSource`).
    static func secret(_ seed: UInt64, _ purpose: String, _ clock: SimulatedClock) -> String {
        SecretSource.secret(purpose: "uaa:\(purpose)", seed: seed, deterministic: clock.deterministic)
    }

    /// The provisioning user's ID (the same in UAA and Cloud Foundry).
    public var provisioningUserId: String? {
        provisioningUser.flatMap { directory.userId(userName: $0.username, origin: "uaa") }
    }

    /// A user's userName and origin, if the user exists.
    public func identity(of userId: String) -> (userName: String, origin: String)? {
        directory.identity(of: userId)
    }

    /// The ID of the user (userName, origin), created as the Cloud Controller creates shadow users
    /// (the username as the one email) when there is none.
    func shadowUser(userName: String, origin: String) throws(UAAError) -> String {
        if let existing = directory.userId(userName: userName, origin: origin) { return existing }
        let created = try directory.createUser(["userName": .string(userName), "origin": .string(origin),
                                                "emails": [["value": .string(userName), "primary": true]]])
        return created["id"]?.stringValue ?? ""
    }

    private func seedProvisioningUser() {
        guard let (username, password) = provisioningUser else { return }
        _ = try? seedUser(["userName": .string(username), "password": .string(password), "origin": "uaa",
                           "emails": [["value": .string(username), "primary": true]],
                           "name": ["givenName": "CF", "familyName": "Provisioning"]],
                          scopes: Self.provisioningUserScopes)
    }

    private func seedUser(_ body: JSONValue, scopes: [String]?) throws(UAAError) -> JSONValue {
        if let scopes, let userName = body["userName"]?.stringValue { signInScopes.set(scopes, for: userName) }
        return try directory.createUser(body)
    }

    // MARK: FakeService

    /// XSUAA documents its limits (16 KB of headers, 1 MB POST bodies); CF's UAA does not.
    public var requestLimits: RequestLimits { configuration.flavour == .xsuaa ? .xsuaa : .standard }

    public func handle(_ request: FakeRequest, context: FakeContext) async -> (response: FakeResponse, clientId: String?) {
        if request.path == "/oauth/token" {
            return TokenEndpoint(authenticator: authenticator).handle(request, issuerURL: context.baseURL + "/oauth/token")
        }
        guard let first = request.segments.first, first == "Users" || first == "Groups" else {
            if request.path == "/" || request.path == "/info" { return (.json(200, info(context)), nil) }
            return (UAAError(404, "not_found", "No endpoint \(request.method) \(request.path)").response, nil)
        }
        let principal: Principal
        switch authenticator.authenticate(request, issuerURL: context.baseURL + "/oauth/token") {
        case .success(let p): principal = p
        case .failure(let failure): return (Self.unauthorized(failure), nil)
        }
        let handler: UAAHandler
        let parameters: RouteParameters
        switch Self.routes.lookup(request.method, request.segments) {
        case .found(let found, let values): (handler, parameters) = (found, values)
        case .methodNotAllowed: return (Self.methodNotAllowed(request.method).response, principal.clientId)
        // UAA's security chain denies everything else under /Users/** and /Groups/**.
        case .notFound: return (UAAError(403, "access_denied", "Access is denied").response, principal.clientId)
        }
        do {
            return (try handler(self, UAARequest(request: request, principal: principal, parameters: parameters)), principal.clientId)
        } catch let error as UAAError {
            return (error.response, principal.clientId)
        } catch {
            return (UAAError(500, "server_error", "\(error)").response, principal.clientId)
        }
    }

    /// The SCIM API, a table per resource (see `UAA+Users` and `UAA+Groups`).
    static let routes: RouteTable<UAAHandler> = {
        var table = RouteTable<UAAHandler>()
        table.add(userRoutes())
        table.add(groupRoutes())
        return table
    }()

    static func unauthorized(_ failure: AuthFailure) -> FakeResponse {
        let (error, description): (String, String)
        switch failure {
        case .missing, .unsupportedScheme: (error, description) = ("unauthorized", "Full authentication is required to access this resource")
        case .badCredentials: (error, description) = ("unauthorized", "Bad credentials")
        case .invalidToken(.expired): (error, description) = ("invalid_token", "Token has expired")
        case .invalidToken(let problem): (error, description) = ("invalid_token", "Invalid token: \(problem.description)")
        }
        return .json(401, .object(JSONObject([("error", .string(error)), ("error_description", .string(description))])), headers: [
            ("www-authenticate", "Bearer realm=\"UAA/oauth\", error=\"\(error)\", error_description=\"\(description)\""),
        ])
    }

    /// Whether the principal has one of `scopes`, the zone admin scope, or (XSUAA) the
    /// `xs_user.*` scope standing for it; otherwise UAA's 403.
    func require(_ principal: Principal, _ scopes: [String]) throws(UAAError) {
        let zoneAdmin = "zones.\(configuration.zoneId).admin"
        var accepted = scopes + [zoneAdmin]
        if configuration.flavour == .xsuaa {
            accepted += scopes.contains("scim.read") ? ["xs_user.read"] : ["xs_user.write"]
        }
        guard !accepted.contains(where: principal.hasScope) else { return }
        throw UAAError(403, "insufficient_scope", "Insufficient scope for this resource", extra: [("scope", .string(accepted.joined(separator: " ")))])
    }

    func ifMatch(_ request: FakeRequest, required message: String) throws(UAAError) -> UAAVersionMatch {
        guard let match = try UAAVersionMatch.parse(request.header("if-match")) else { throw UAAError.badRequest(message) }
        return match
    }

    func resource(_ status: Int, _ value: JSONValue) -> FakeResponse {
        var headers: [(name: String, value: String)] = []
        if let version = value["meta"]?["version"]?.intValue { headers.append(("etag", "\"\(version)\"")) }
        return .json(status, value, headers: headers)
    }

    static func methodNotAllowed(_ method: String) -> UAAError {
        UAAError(405, "method_not_allowed", "Request method '\(method)' not supported")
    }

    /// UAA's list shape: lower-case `resources`, `itemsPerPage` = the requested (capped) count.
    func list(_ result: (resources: [JSONValue], total: Int), _ query: UAAQuery) -> FakeResponse {
        .json(200, .object(JSONObject([
            ("resources", .array(result.resources)),
            ("startIndex", JSONValue(query.startIndex)),
            ("itemsPerPage", JSONValue(query.count)),
            ("totalResults", JSONValue(result.total)),
            ("schemas", [.string(UAAUser.schemaURN)]),
        ])))
    }

    private func info(_ context: FakeContext) -> JSONValue {
        .object(JSONObject([
            ("app", ["version": "77.0.0"]), ("zone_name", .string(configuration.zoneId)),
            ("links", .object(JSONObject([("uaa", .string(context.baseURL)), ("login", .string(context.baseURL))]))),
            ("entityID", .string(context.baseURL)), ("commit_id", "provsim"),
        ]))
    }

    public func rateLimited(retryAfter: Int, reason: String) -> FakeResponse {
        var response = UAAError(429, "too_many_requests", "Too many requests: \(reason)").response
        response.headers.append(("retry-after", String(retryAfter)))
        return response
    }

    /// UAA's error JSON. (Tomcat itself answers an over-long header with a bare 400 page; the
    /// fake keeps the status the limit names and UAA's error shape, see docs/fidelity.md.)
    public func refusal(status: Int, detail: String) -> FakeResponse {
        UAAError(status, "invalid_request", detail).response
    }

    public func reset() {
        directory.reset()
        signInScopes.clear()
        seedProvisioningUser()
    }

    /// `{"users": [UAA users, optionally with "scopes" for password sign-in], "groups": [groups whose
    /// members may name users by {"userName", "origin"}]}`.
    public func seed(_ data: JSONValue, context: FakeContext) throws(FakeRequestError) -> JSONValue {
        guard case .object(let object) = data, object["users"] != nil || object["groups"] != nil else {
            throw FakeRequestError("seed data must be an object such as {\"users\": [...], \"groups\": [...]}")
        }
        var created: [(String, JSONValue)] = []
        do throws(UAAError) {
            if let users = object["users"] {
                guard case .array(let list) = users else { throw UAAError.badRequest("'users' must be a list") }
                var ids: [JSONValue] = []
                for (index, var user) in list.enumerated() {
                    let scopes = user["scopes"]?.arrayValue?.compactMap(\.stringValue)
                    user["scopes"] = nil
                    do throws(UAAError) {
                        ids.append(try seedUser(user, scopes: scopes)["id"] ?? .null)
                    } catch {
                        throw UAAError.badRequest("users[\(index)]: \(error.message)")
                    }
                }
                created.append(("users", .array(ids)))
            }
            if let groups = object["groups"] {
                guard case .array(let list) = groups else { throw UAAError.badRequest("'groups' must be a list") }
                var ids: [JSONValue] = []
                for (index, var group) in list.enumerated() {
                    do throws(UAAError) {
                        if case .array(let members)? = group["members"] {
                            group["members"] = .array(try members.map { (m) throws(UAAError) -> JSONValue in try resolve(m) })
                        }
                        ids.append(try directory.createGroup(group)["id"] ?? .null)
                    } catch {
                        throw UAAError.badRequest("groups[\(index)]: \(error.message)")
                    }
                }
                created.append(("groups", .array(ids)))
            }
        } catch {
            throw FakeRequestError(error.message)
        }
        return .object(JSONObject(created))
    }

    func resolve(_ member: JSONValue) throws(UAAError) -> JSONValue {
        guard let userName = member["userName"]?.stringValue else { return member }
        let origin = member["origin"]?.stringValue
        guard let id = directory.userId(userName: userName, origin: origin) else {
            throw UAAError.badRequest("member userName '\(userName)' is not a user")
        }
        return .object(JSONObject([("value", .string(id)), ("type", "USER"), ("origin", .string(origin ?? directory.identity(of: id)?.origin ?? "uaa"))]))
    }

    public func state(context: FakeContext) -> JSONValue {
        directory.snapshot
    }

    public func connection(context: FakeContext) -> FakeConnection {
        .oauthClient(client, baseURL: context.baseURL)
    }

    public func descriptor(context: FakeContext) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [
            ("flavour", .string(configuration.flavour.rawValue)),
            ("scim", .string(context.baseURL)),
            ("tokenURL", .string(context.baseURL + "/oauth/token")),
            ("clientId", .string(client.id)),
            ("clientSecret", .string(client.secret)),
        ]
        if let (username, password) = provisioningUser {
            fields += [("username", .string(username)), ("password", .string(password))]
        }
        return fields
    }
}

/// One SCIM request as a route's handler sees it.
struct UAARequest: Sendable {
    let request: FakeRequest
    let principal: Principal
    let parameters: RouteParameters

    /// The body as JSON, or UAA's 400 for an unreadable one.
    func body() throws(UAAError) -> JSONValue {
        do throws(FakeRequestError) { return try request.json() } catch { throw UAAError.unreadable(error.message) }
    }

    var ifMatchHeader: String? { request.header("if-match") }
}

/// A SCIM route's handler.
typealias UAAHandler = @Sendable (UAA, UAARequest) throws -> FakeResponse
