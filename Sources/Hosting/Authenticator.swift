import Synchronization

/// Who made a request.
public enum Principal: Sendable, Equatable {
    case token(TokenClaims)
    /// HTTP Basic with a registered client's ID and secret (where the service allows it).
    case basic(clientId: String, scopes: [String])

    public var clientId: String {
        switch self {
        case .token(let claims): return claims.clientId
        case .basic(let id, _): return id
        }
    }

    public var scopes: [String] {
        switch self {
        case .token(let claims): return claims.scopes
        case .basic(_, let scopes): return scopes
        }
    }

    public func hasScope(_ scope: String) -> Bool { scopes.contains(scope) }
}

/// Why a request was not authenticated; each fake renders this in its own wire format.
public enum AuthFailure: Error, Sendable, Equatable {
    case missing
    case unsupportedScheme
    case invalidToken(TokenProblem)
    case badCredentials

    public var description: String {
        switch self {
        case .missing: return "Full authentication is required to access this resource"
        case .unsupportedScheme: return "Unsupported authorization scheme"
        case .invalidToken(let problem): return problem.description
        case .badCredentials: return "Bad credentials"
        }
    }
}

/// The registered clients and users of a fake, and the checks on `Authorization` headers.
public final class Authenticator: Sendable {
    public let tokens: TokenIssuer
    public let allowsBasic: Bool
    /// The resource IDs a token's `aud` must name one of; nil accepts any audience.
    public let audiences: Set<String>?
    private let registry: Mutex<(clients: [String: OAuthClient], users: [String: OAuthUser])>

    public init(tokens: TokenIssuer, clients: [OAuthClient], users: [OAuthUser] = [], allowsBasic: Bool, audiences: Set<String>? = nil) {
        self.tokens = tokens
        self.allowsBasic = allowsBasic
        self.audiences = audiences
        registry = Mutex((Dictionary(clients.map { ($0.id, $0) }, uniquingKeysWith: { $1 }),
                          Dictionary(users.map { ($0.username.lowercased(), $0) }, uniquingKeysWith: { $1 })))
    }

    public func client(_ id: String) -> OAuthClient? {
        registry.withLock { $0.clients[id] }
    }

    public func user(named name: String) -> OAuthUser? {
        registry.withLock { $0.users[name.lowercased()] }
    }

    public func register(_ client: OAuthClient) {
        registry.withLock { $0.clients[client.id] = client }
    }

    public func register(_ user: OAuthUser) {
        registry.withLock { r in
            r.users = r.users.filter { $0.value.userId != user.userId }
            r.users[user.username.lowercased()] = user
        }
    }

    /// Forgets the sign-in of a user (deleted, renamed or without a password now).
    public func unregister(userId: String) {
        registry.withLock { r in r.users = r.users.filter { $0.value.userId != userId } }
    }

    public var clients: [OAuthClient] {
        registry.withLock { Array($0.clients.values).sorted { $0.id < $1.id } }
    }

    /// Checks the `Authorization` header: a bearer token valid here (signed by `tokens`, issued
    /// by the token endpoint at `issuerURL`, for one of `audiences`), or Basic client credentials.
    public func authenticate(_ request: FakeRequest, issuerURL: String) -> Result<Principal, AuthFailure> {
        guard let header = request.header("authorization")?.trimmingCharacters(in: " "), !header.isEmpty else {
            return .failure(.missing)
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return .failure(.unsupportedScheme) }
        switch parts[0].lowercased() {
        case "bearer":
            switch tokens.validate(String(parts[1]).trimmingCharacters(in: " "), issuerURL: issuerURL, audiences: audiences) {
            case .success(let claims): return .success(.token(claims))
            case .failure(let problem): return .failure(.invalidToken(problem))
            }
        case "basic" where allowsBasic:
            guard let (id, secret) = Self.basicCredentials(String(parts[1])),
                  let client = client(id), SecretSource.matches(secret, client.secret) else { return .failure(.badCredentials) }
            return .success(.basic(clientId: id, scopes: client.scopes))
        default:
            return .failure(.unsupportedScheme)
        }
    }

    /// The client of a token request: HTTP Basic, which wins, or `client_id`/`client_secret` in the
    /// form; nil when a Basic header cannot be decoded.
    public static func tokenClient(_ request: FakeRequest, form: [String: String]) -> (id: String?, secret: String?)? {
        guard let header = request.header("authorization"), header.lowercased().hasPrefix("basic ") else {
            return (form["client_id"], form["client_secret"])
        }
        return basicCredentials(String(header.dropFirst(6))).map { ($0.0, $0.1) }
    }

    /// Decodes `Basic base64(id:secret)`.
    public static func basicCredentials(_ encoded: String) -> (String, String)? {
        guard let bytes = Base64.decode(encoded.trimmingCharacters(in: " ")), let decoded = String(validating: bytes, as: UTF8.self), let colon = decoded.firstIndex(of: ":") else { return nil }
        return (String(decoded[..<colon]), String(decoded[decoded.index(after: colon)...]))
    }
}
