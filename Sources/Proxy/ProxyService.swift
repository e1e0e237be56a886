import Chrono
import Engine
import Hosting
import JSON
import SCIM
import Synchronization
import Transformation

/// How the proxy is served.
public struct ProxyServiceSettings: Sendable {
    public var technicalUsers: [ProxyTechnicalUser]
    /// Serve `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas` for SCIM clients that
    /// discover; off matches IPS exactly (404).
    public var discoveryEndpoints = true
    /// Access-token validity of `/oauth2/token` in simulated seconds.
    public var tokenLifetime = 3600

    public init(technicalUsers: [ProxyTechnicalUser]) {
        self.technicalUsers = technicalUsers
    }

    /// IPS's inbound limit per tenant, shared by the proxy and real-time APIs (docs/fidelity.md, “The provisioning engine”):
    /// beyond 150 requests a minute each is slowed down (by 0.4 s, so that the rate falls to
    /// 150 a minute: INFERRED), beyond 200 it is refused with 429. The token endpoint is IAS's.
    public static let inboundLimits = RateLimits(windowRequests: 200, windowSeconds: 60, slowAfter: 150, slowDelaySeconds: 0.4,
                                                 exemptPaths: ["/oauth2/token"])
}

/// IPS's inbound APIs over a set of systems: the proxy SCIM API of every proxy system
/// (reference section 3) and the real-time API of every source (section 4), under the paths of
/// the current infrastructure (`/ipsproxy/service/api/v1/…`, Basic or OAuth) and of Neo
/// (`/ipsproxy/api/v1/…`, OAuth only), plus the tenant's `/oauth2/token`. Served like a fake
/// (`FakeHost` adds the inbound limit, faults and the journal). System IDs are system names.
public final class ProxyService: FakeService {
    public let name = "proxy"
    public let engine: ProvisioningEngine
    public let settings: ProxyServiceSettings
    let authenticator: Authenticator
    let realTime: (any RealTimeProvisioner)?
    /// The Real-Time Logs, newest last.
    private let logs = Mutex<[RealTimeLog]>([])

    public init(engine: ProvisioningEngine, settings: ProxyServiceSettings, realTime: (any RealTimeProvisioner)?, clock: SimulatedClock, seed: UInt64) {
        self.engine = engine
        self.settings = settings
        self.realTime = realTime
        let tokens = TokenIssuer(issuer: "ips-proxy", clock: clock, seed: seed, accessTokenLifetime: settings.tokenLifetime)
        authenticator = Authenticator(tokens: tokens, clients: settings.technicalUsers.map(\.client), allowsBasic: true, audiences: ["ips"])
    }

    /// The APIs behind a host like a fake's (`FakeHost`: faults, journal, control API), behind
    /// IPS's inbound limit unless `inboundLimit` is false; a simulation serves it.
    public func host(clock: SimulatedClock, seed: UInt64, inboundLimit: Bool, controlAccess: ControlAccess = ControlAccess()) -> FakeHost {
        let host = FakeHost(service: self, clock: clock, limits: inboundLimit ? ProxyServiceSettings.inboundLimits : .none, seed: seed)
        host.controlAccess = controlAccess
        return host
    }

    /// The real-time logs so far.
    public var realTimeLogs: [RealTimeLog] { logs.withLock { $0 } }

    public static let currentPrefix = "/ipsproxy/service/api/v1"
    public static let neoPrefix = "/ipsproxy/api/v1"

    /// The proxy SCIM base of a system (`…/scim/<id>`, no trailing slash).
    public static func scimBase(_ baseURL: String, system: String) -> String {
        baseURL + currentPrefix + "/scim/" + system
    }

    /// The real-time URL of a source system for an entity type (`…/entities/user`).
    public static func realTimeURL(_ baseURL: String, system: String, type: EntityType) -> String {
        baseURL + currentPrefix + "/systems/" + system + "/entities/" + type.rawValue
    }

    // MARK: Requests

    /// Which API a path addresses.
    private enum Route {
        case scim(system: String, rest: [String])
        case realTime(system: String, rest: [String])
    }

    public func handle(_ request: FakeRequest, context: FakeContext) async -> (response: FakeResponse, clientId: String?) {
        if request.path == "/oauth2/token" { return ProxyTokenEndpoint(authenticator: authenticator).handle(request, issuerURL: context.baseURL + "/oauth2/token") }
        guard let (prefix, route) = Self.route(request) else {
            return (Self.error(.notFound("No resource at \(request.path): the proxy API is under \(Self.currentPrefix)/scim/<systemId>/, the real-time API under \(Self.currentPrefix)/systems/<systemId>/entities/")), nil)
        }
        let principal: Principal
        switch authenticator.authenticate(request, issuerURL: context.baseURL + "/oauth2/token") {
        case .success(.basic) where prefix == Self.neoPrefix:
            return (Self.unauthorized("the Neo proxy URL accepts OAuth bearer tokens only"), nil)
        case .success(let p): principal = p
        case .failure(let failure): return (Self.unauthorized(failure.description), nil)
        }
        let permission: ProxyPermission
        if case .scim = route { permission = .proxySystemAPI } else { permission = .realTimeProvisioningAPI }
        guard principal.hasScope(permission.rawValue) else {
            return (Self.error(SCIMError(status: 403, detail: "the technical user \(principal.clientId) lacks the permission \(permission.displayName)")), principal.clientId)
        }
        do throws(SCIMError) {
            switch route {
            case .scim(let system, let rest):
                return (try await scim(request, system: system, rest: rest, base: context.baseURL + prefix + "/scim/" + system), principal.clientId)
            case .realTime(let system, let rest):
                return (try await realTime(request, system: system, rest: rest), principal.clientId)
            }
        } catch {
            return (Self.error(error), principal.clientId)
        }
    }

    /// The API a request addresses, from its path segments (each decoded on its own, so an
    /// encoded "/" inside an ID stays inside it).
    private static func route(_ request: FakeRequest) -> (prefix: String, route: Route)? {
        for prefix in [currentPrefix, neoPrefix] where request.path.hasPrefix(prefix + "/") {
            let parts = Array(request.segments.dropFirst(prefix.split(separator: "/").count))
            guard parts.count >= 2 else { return nil }
            switch parts[0] {
            case "scim": return (prefix, .scim(system: parts[1], rest: Array(parts.dropFirst(2))))
            case "systems": return (prefix, .realTime(system: parts[1], rest: Array(parts.dropFirst(2))))
            default: return nil
            }
        }
        return nil
    }

    private func scim(_ request: FakeRequest, system: String, rest: [String], base: String) async throws(SCIMError) -> FakeResponse {
        guard let first = rest.first else { throw .notFound("Nothing at the root of proxy system \(system): use /Users or /Groups") }
        if ["ServiceProviderConfig", "ResourceTypes", "Schemas"].contains(first) {
            guard settings.discoveryEndpoints else { throw .notFound("No resource at /\(first) (IPS's proxy does not serve it)") }
            guard request.method == "GET" else { throw Self.methodNotAllowed(request.method, first) }
            return Self.ok(200, try ProxyDiscovery.document(rest, base: base))
        }
        // Each entity block's `scimEntityEndpoint` binds its type to an endpoint (docs/fidelity.md, “Proxy systems”).
        let endpoints = Self.endpoints(of: engine.systems[system]?.transformation)
        guard let type = endpoints.first(where: { $0.endpoint == first })?.type else {
            throw .notFound("No resource type at /\(first): the proxy serves \(endpoints.map { "/" + $0.endpoint }.joined(separator: " and "))")
        }
        guard rest.count <= 2 else { throw .notFound("No resource at \(request.path)") }
        let proxy = try ProxySystem(engine: engine, system: system, baseLocation: base + "/")
        let id = rest.count == 2 ? rest[1] : nil
        switch (request.method, id) {
        case ("GET", nil):
            return Self.ok(200, try await proxy.reader.list(type, try ProxyReader.Query(parameters: request.query)))
        case ("GET", let id?):
            return Self.ok(200, try await proxy.reader.entity(type, id: id, attributes: request.query["attributes"], excludedAttributes: request.query["excludedAttributes"]))
        case ("POST", nil):
            return Self.written(try await proxy.writer.create(type, try Self.body(request)))
        case ("PUT", let id?):
            return Self.written(try await proxy.writer.replace(type, id: id, try Self.body(request)))
        case ("PATCH", let id?):
            return Self.written(try await proxy.writer.patch(type, id: id, try Self.body(request)))
        case ("DELETE", let id?):
            return Self.written(try await proxy.writer.delete(type, id: id))
        default:
            throw Self.methodNotAllowed(request.method, first + (id == nil ? "" : "/{id}"))
        }
    }

    /// The endpoint of each entity type the read transformation serves: its `scimEntityEndpoint`,
    /// else `Users` and `Groups`.
    static func endpoints(of transformation: Transformation?) -> [(endpoint: String, type: EntityType)] {
        [(EntityType.user, "Users"), (.group, "Groups")].map { type, fallback in
            (transformation?.plan(for: type)?.scimEntityEndpoint ?? fallback, type)
        }
    }

    /// `POST …/entities/user` with the entity (at least its `id` in the source) creates or
    /// updates it in every target; `DELETE …/entities/user/{id}` (or with `{"id": …}`) removes it.
    /// The answer is the real-time log: 200 when it finished successfully, 502 when a target
    /// failed (docs/fidelity.md).
    private func realTime(_ request: FakeRequest, system: String, rest: [String]) async throws(SCIMError) -> FakeResponse {
        guard rest.count >= 2, rest.count <= 3, rest[0] == "entities", let type = EntityType(rawValue: rest[1]) else {
            throw .notFound("No resource at \(request.path): use …/systems/\(system)/entities/user or …/entities/group")
        }
        guard let realTime else { throw SCIMError(status: 404, detail: "real-time provisioning is not enabled for this tenant") }
        let deleted: Bool
        switch request.method {
        case "POST" where rest.count == 2: deleted = false
        case "DELETE": deleted = true
        default: throw Self.methodNotAllowed(request.method, "entities/\(type.rawValue)" + (rest.count == 3 ? "/{id}" : ""))
        }
        let id: String
        if rest.count == 3 {
            id = rest[2]
        } else {
            guard let given = try Self.body(request)["id"]?.idText, !given.isEmpty else {
                throw .badRequest(.invalidValue, "the body must carry the \(type.rawValue)'s \"id\" in \(system)")
            }
            id = given
        }
        let log: RealTimeLog
        do throws(RealTimeError) {
            log = try await realTime.provision(source: system, type: type, id: id, deleted: deleted)
        } catch {
            throw SCIMError(status: error.status, detail: error.message)
        }
        logs.withLock { $0.append(log) }
        return .json(log.status == .success ? 200 : 502, log.json)
    }

    // MARK: Answers

    static let contentType = "application/scim+json"

    static func ok(_ status: Int, _ body: JSONValue) -> FakeResponse {
        .json(status, body, contentType: contentType)
    }

    static func written(_ result: ProxyWriteResult) -> FakeResponse {
        guard let body = result.body else { return .empty(result.status) }
        let location = result.status == 201 ? body["meta"]?["location"]?.stringValue.map { [("location", $0)] } ?? [] : []
        return .json(result.status, body, contentType: contentType, headers: location)
    }

    static func error(_ error: SCIMError) -> FakeResponse {
        .json(error.status, error.json, contentType: contentType)
    }

    static func unauthorized(_ detail: String) -> FakeResponse {
        .json(401, SCIMError(status: 401, detail: detail).json, contentType: contentType,
              headers: [("www-authenticate", "Basic realm=\"ipsproxy\""), ("www-authenticate", "Bearer realm=\"ipsproxy\"")])
    }

    static func methodNotAllowed(_ method: String, _ resource: String) -> SCIMError {
        SCIMError(status: 405, detail: "\(method) is not supported on /\(resource)")
    }

    static func body(_ request: FakeRequest) throws(SCIMError) -> JSONValue {
        do throws(FakeRequestError) {
            return try request.json()
        } catch {
            throw .badRequest(.invalidSyntax, error.message)
        }
    }

    // MARK: FakeService

    public func rateLimited(retryAfter: Int, reason: String) -> FakeResponse {
        Self.error(SCIMError(status: 429, detail: "Too Many Requests: \(reason)"))
    }

    public func refusal(status: Int, detail: String) -> FakeResponse {
        Self.error(SCIMError(status: status, detail: detail))
    }

    /// Forgets the real-time logs; the systems behind the proxy keep their data.
    public func reset() {
        logs.withLock { $0.removeAll() }
    }

    public func seed(_ data: JSONValue, context: FakeContext) throws(FakeRequestError) -> JSONValue {
        throw FakeRequestError("the proxy holds no data of its own: seed the systems behind it")
    }

    public func state(context: FakeContext) -> JSONValue {
        .object(JSONObject([
            ("proxySystems", .array(proxySystems.map { .string(Self.scimBase(context.baseURL, system: $0)) })),
            ("realTimeSources", .array(realTimeSources.map { .string(Self.realTimeURL(context.baseURL, system: $0, type: .user)) })),
            ("realTimeLogs", .array(realTimeLogs.map(\.json))),
        ]))
    }

    /// An identity manager signs in as the first technical user.
    public func connection(context: FakeContext) -> FakeConnection {
        FakeConnection(url: context.baseURL, credentials: settings.technicalUsers.first.map { .client(tokenURL: context.baseURL + "/oauth2/token", id: $0.clientId, secret: $0.secret) })
    }

    /// `scim` is the SCIM base of the first proxy system (an XSUAA one when there is one), with
    /// the first technical user's credentials.
    public func descriptor(context: FakeContext) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = []
        let preferred = proxySystems.first { engine.systems[$0]?.type == .xsuaa } ?? proxySystems.first
        if let preferred { fields.append(("scim", .string(Self.scimBase(context.baseURL, system: preferred)))) }
        fields.append(("tokenURL", .string(context.baseURL + "/oauth2/token")))
        if let user = settings.technicalUsers.first {
            fields += [("clientId", .string(user.clientId)), ("clientSecret", .string(user.secret))]
        }
        fields.append(("proxySystems", .object(JSONObject(proxySystems.map { ($0, .string(Self.scimBase(context.baseURL, system: $0))) }))))
        if realTime != nil {
            fields.append(("realTime", .object(JSONObject(realTimeSources.map { ($0, .string(Self.realTimeURL(context.baseURL, system: $0, type: .user))) }))))
        }
        return fields
    }

    var proxySystems: [String] { engine.systems.order.filter { engine.systems[$0]?.role == .proxy } }
    var realTimeSources: [String] { realTime == nil ? [] : engine.systems.order.filter { engine.systems[$0]?.role == .source } }
}
