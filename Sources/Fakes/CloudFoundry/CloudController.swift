import Chrono
import Hosting
import JSON
import Synchronization

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
    let uaaURL: @Sendable () -> String
    let clock: SimulatedClock
    private let seedValue: UInt64
    let state: Mutex<CFState>
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
        let now = clock.now()
        state.withLock { $0.settleJobs(now: now, timestamp: clock.timestamp) }
        guard case .found(let handler, let parameters) = Self.routes.lookup(request.method, Array(request.segments.dropFirst())) else {
            return (CFError.unknownRequest.response, claims.clientId)
        }
        do {
            return (try handler(self, CFRequest(request: request, caller: caller, base: base, parameters: parameters)), claims.clientId)
        } catch let error as CFError {
            return (error.response, claims.clientId)
        } catch {
            return (CFError.unknownRequest.response, claims.clientId)
        }
    }

    /// The V3 API under `/v3`, a table per resource (see the `CloudController+…` files).
    static let routes: RouteTable<CFHandler> = {
        var table = RouteTable<CFHandler>()
        for resource in [organizationRoutes(), spaceRoutes(), userRoutes(), roleRoutes(), jobRoutes()] { table.add(resource) }
        return table
    }()


    /// The handler of `GET /<resources>/{guid}`: the resource `find` renders, or the Cloud
    /// Controller's 404 naming `what` when it does not exist or the caller may not see it.
    static func readOne(_ what: String, _ find: @escaping @Sendable (CloudController, CFState, CFRequest) -> JSONValue?) -> CFHandler {
        { cc, r in
            guard let json = cc.state.withLock({ find(cc, $0, r) }) else { throw CFError.notFound(what) }
            return .json(200, json)
        }
    }

    func body(_ request: FakeRequest) throws(CFError) -> JSONObject {
        guard let json = try? request.json(), case .object(let object) = json else { throw CFError.invalidRequest("invalid request body") }
        return object
    }

}

/// One V3 request as a route's handler sees it.
struct CFRequest: Sendable {
    let request: FakeRequest
    let caller: CFCaller
    /// The Cloud Controller's base URL, for links.
    let base: String
    let parameters: RouteParameters

    /// The `{guid}` of the route.
    var guid: String { parameters["guid"] }
}

/// A V3 route's handler.
typealias CFHandler = @Sendable (CloudController, CFRequest) throws -> FakeResponse

extension CloudController {
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
                ("users", .array(s.userOrder.all.compactMap { s.users[$0]?.json(base, identity: directory.identity(of: $0)) })),
                ("roles", .array(s.roleOrder.compactMap { s.roles[$0]?.json(base) })),
                ("jobs", .array(s.jobs.values.sorted { $0.created < $1.created }.map { $0.json(base) })),
            ]))
        }
    }

    /// The Cloud Controller's settings (rules a real one is configured with).
    public func controlRoutes() -> RouteTable<ControlHandler> {
        var table = RouteTable<ControlHandler>()
        table.add("GET", "/settings") { _, _, _ in .json(200, self.settings.json) }
        table.add("PUT", "/settings") { request, _, _ in
            var updated = self.settings
            try updated.update(try request.json())
            self.settings = updated
            return .json(200, updated.json)
        }
        return table
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
