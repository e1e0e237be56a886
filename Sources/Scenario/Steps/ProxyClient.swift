import Engine
import Fakes
import Hosting
import JSON
import Proxy

/// How a step authenticates at the proxy: as the scenario's technical user with Basic (the
/// default) or with a token from `/oauth2/token`, as other credentials, or not at all.
enum ProxyAuth: Sendable, Equatable {
    case basic
    case oauth
    case none
    case credentials(clientId: String, secret: String)

    static let credentialsShape = JSONShape.object("Other credentials, with Basic authentication.", [
        .required("clientId", .text("The client ID.")), .required("secret", .text("The secret.")),
    ])
    static let shape = JSONShape.anyOf([.choice(["basic", "oauth", "none"], "as the scenario's technical user, with Basic or a token; or without credentials"), credentialsShape],
                                       "How the step authenticates at the proxy (default basic).")

    /// `auth: basic | oauth | none | { clientId: …, secret: … }`.
    init(_ node: ScenarioNode?) throws(ScenarioError) {
        guard let node else { self = .basic; return }
        if node.isMapping {
            try node.rejectUnknownKeys(Self.credentialsShape)
            self = .credentials(clientId: try node.required("clientId").string(), secret: try node.required("secret").string())
            return
        }
        switch try node.string() {
        case "basic": self = .basic
        case "oauth": self = .oauth
        case "none": self = .none
        default: throw node.error("auth is basic, oauth, none or {clientId, secret}")
        }
    }
}

/// The external identity manager's side of the proxy: requests to the scenario's proxy through
/// the simulation's transport, authenticated as a technical user.
struct ProxyClient: Sendable {
    let transport: any HTTPTransport
    let baseURL: String
    let authorization: String?

    static func connect(_ world: World, auth: ProxyAuth) async -> Result<ProxyClient, StepFailure> {
        guard let provisioning = await world.provisioning else { return .failure(StepFailure("no systems are declared: a 'systems' step must come first")) }
        guard let proxy = provisioning.proxy else {
            return .failure(StepFailure("the proxy is not served: declare a system with role proxy, or give the systems step a proxy: key"))
        }
        let base = proxy.endpoint.baseURL
        let user = proxy.technicalUser
        func basic(_ id: String, _ secret: String) -> String { "Basic " + Base64.encode(Array("\(id):\(secret)".utf8)) }
        switch auth {
        case .none: return .success(ProxyClient(transport: provisioning.simulation.transport, baseURL: base, authorization: nil))
        case .basic: return .success(ProxyClient(transport: provisioning.simulation.transport, baseURL: base, authorization: basic(user.clientId, user.secret)))
        case .credentials(let id, let secret): return .success(ProxyClient(transport: provisioning.simulation.transport, baseURL: base, authorization: basic(id, secret)))
        case .oauth:
            let request = HTTPRequest(method: "POST", url: base + "/oauth2/token",
                                      headers: [("authorization", basic(user.clientId, user.secret)), ("content-type", "application/x-www-form-urlencoded")],
                                      body: Array("grant_type=client_credentials".utf8))
            do throws(TransportError) {
                let response = try await provisioning.simulation.transport.send(request, timeout: .seconds(30))
                guard response.status == 200, let token = (try? JSONParser.parse(response.body))?["access_token"]?.stringValue else {
                    return .failure(StepFailure("POST /oauth2/token → \(response.status): \(String(decoding: response.body, as: UTF8.self))"))
                }
                return .success(ProxyClient(transport: provisioning.simulation.transport, baseURL: base, authorization: "Bearer " + token))
            } catch {
                return .failure(StepFailure("POST /oauth2/token: \(error)"))
            }
        }
    }

    /// Sends a request to `path` (from the server root, e.g. `/ipsproxy/service/api/v1/scim/xs/Users`).
    func send(_ method: String, _ path: String, json: JSONValue? = nil) async -> Result<HTTPResponse, StepFailure> {
        // Scenarios write filters readably (`?filter=userName eq "a"`); on the wire they are escaped.
        let path = path.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "\"", with: "%22")
        var headers: [(name: String, value: String)] = [("accept", "application/scim+json")]
        if let authorization { headers.append(("authorization", authorization)) }
        if json != nil { headers.append(("content-type", "application/scim+json")) }
        do throws(TransportError) {
            return .success(try await transport.send(HTTPRequest(method: method, url: baseURL + path, headers: headers, body: json.map { JSONWriter().bytes($0) }),
                                                     timeout: .seconds(60)))
        } catch {
            return .failure(StepFailure("\(method) \(path): \(error)"))
        }
    }

    /// The proxy SCIM path of a system.
    static func scimPath(_ system: String) -> String { ProxyService.scimBase("", system: system) }

    /// Replaces `{userName:<name>}` and `{displayName:<name>}` in a path or in the string values of
    /// a body with the entity's proxy ID: the one the proxy answered when the scenario created it
    /// (`known`, keyed `userName:<name>`), as an identity manager keeps the IDs of its creates,
    /// else found with a single-entity filter.
    func resolve(_ text: String, system: String, known: [String: String] = [:]) async -> Result<String, StepFailure> {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let inner = rest[rest.index(after: open)..<close]
            let parts = inner.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["userName", "displayName"].contains(parts[0]) else {
                result += rest[...open]
                rest = rest[rest.index(after: open)...]
                continue
            }
            result += rest[..<open]
            if let id = known[String(inner)] {
                result += id
                rest = rest[rest.index(after: close)...]
                continue
            }
            let endpoint = parts[0] == "userName" ? "/Users" : "/Groups"
            let filter = FormEncoding.escape("\(parts[0]) eq \"\(parts[1])\"")
            switch await send("GET", Self.scimPath(system) + endpoint + "?filter=" + filter) {
            case .failure(let f): return .failure(f)
            case .success(let response):
                let json = try? JSONParser.parse(response.body)
                guard response.status == 200, let id = json?["Resources"]?[0]?["id"]?.idText else {
                    return .failure(StepFailure("no \(parts[0]) '\(parts[1])' through proxy \(system) (GET \(endpoint) → \(response.status), totalResults \(json?["totalResults"]?.serialized() ?? "-"))"))
                }
                result += id
            }
            rest = rest[rest.index(after: close)...]
        }
        return .success(result + rest)
    }

    func resolve(_ value: JSONValue, system: String, known: [String: String] = [:]) async -> Result<JSONValue, StepFailure> {
        switch value {
        case .string(let s) where s.contains("{"):
            return await resolve(s, system: system, known: known).map(JSONValue.string)
        case .array(let items):
            var out: [JSONValue] = []
            for item in items {
                switch await resolve(item, system: system, known: known) {
                case .success(let v): out.append(v)
                case .failure(let f): return .failure(f)
                }
            }
            return .success(.array(out))
        case .object(let object):
            var out = JSONObject()
            for member in object {
                switch await resolve(member.value, system: system, known: known) {
                case .success(let v): out[member.key] = v
                case .failure(let f): return .failure(f)
                }
            }
            return .success(.object(out))
        default:
            return .success(value)
        }
    }
}
