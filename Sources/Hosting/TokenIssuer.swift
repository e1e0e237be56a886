import Chrono
import Determinism
import JSON
import Synchronization

/// What a valid access token says.
public struct TokenClaims: Sendable, Equatable {
    public let jti: String
    public let clientId: String
    public let userName: String?
    public let userId: String?
    public let origin: String?
    public let scopes: [String]
    public let grantType: String
    public let issuedAt: Int
    public let expiresAt: Int
    /// `iss`: the URL of the token endpoint that issued the token.
    public let issuer: String
    /// `aud`: the resource IDs the token is meant for (the prefixes of its scopes).
    public let audience: Set<String>

    public func hasScope(_ scope: String) -> Bool { scopes.contains(scope) }
}

/// Why a bearer token was refused.
public enum TokenProblem: Error, Sendable, Equatable {
    case malformed
    case badSignature
    case expired
    /// Signed by this issuer's key but issued elsewhere (`iss` names another token endpoint).
    case wrongIssuer
    /// Valid, but not meant for this service (`aud` names none of its resource IDs).
    case wrongAudience

    public var description: String {
        switch self {
        case .malformed: return "The token is malformed"
        case .badSignature: return "The token signature is invalid"
        case .expired: return "The token has expired"
        case .wrongIssuer: return "The token was not issued by this server's token endpoint"
        case .wrongAudience: return "The token is not meant for this resource (audience)"
        }
    }
}

/// Issues and validates JWT access tokens (HS256) with UAA's claims. Fakes that must accept each
/// other's tokens (Cloud Foundry accepting UAA's) share one issuer.
///
/// Each issuer signs with its own key, random for every run (derived from the seed and the
/// issuer's name in a deterministic fleet, see `SecretSource`). A token's `iss` is the URL of the
/// token endpoint that issued it, and validation checks it, and optionally `aud`, as the real
/// resource servers do: a token is valid only where it was issued and for what it was meant.
public final class TokenIssuer: Sendable {
    private let key: [UInt8]
    /// The issuer's name (`uaa`, `identity-directory`): what its key is derived from.
    public let issuer: String
    public let clock: SimulatedClock
    /// Lifetime of access tokens in simulated seconds.
    public let accessTokenLifetime: Int
    private let state: Mutex<State>

    private struct State {
        var random: SeededRandom
        var refreshTokens: [String: TokenClaims] = [:]
        /// Tokens whose signature was checked already (clients send the same token for an hour).
        var verified: [String: TokenClaims] = [:]
    }

    /// UAA's default access-token validity: twelve hours, less a second.
    public static let defaultLifetime = 43_199
    /// Lifetimes a fake accepts, in simulated seconds: up to ten years.
    public static let lifetimes = 1...315_360_000

    public init(issuer: String, clock: SimulatedClock, seed: UInt64, accessTokenLifetime: Int = TokenIssuer.defaultLifetime) {
        key = SecretSource.bytes(32, purpose: "signing-key:\(issuer)", seed: seed, deterministic: clock.deterministic)
        let random = SeededRandom(seed: SecretSource.generatorSeed(purpose: "token-ids:\(issuer)", seed: seed, deterministic: clock.deterministic))
        self.issuer = issuer
        self.clock = clock
        self.accessTokenLifetime = min(max(accessTokenLifetime, TokenIssuer.lifetimes.lowerBound), TokenIssuer.lifetimes.upperBound)
        state = Mutex(State(random: random))
    }

    /// A new access token and its claims; `issuerURL` is the URL of the token endpoint that
    /// issues it (its `iss`).
    public func issue(clientId: String, scopes: [String], grantType: String, user: OAuthUser? = nil, issuerURL: String) -> (token: String, claims: TokenClaims) {
        let now = clock.epochSeconds()
        let jti = state.withLock { s in s.random.uuidString().filter { $0 != "-" } }
        let audience = Set(scopes.map { $0.split(separator: ".").first.map(String.init) ?? $0 })
        let claims = TokenClaims(
            jti: jti, clientId: clientId, userName: user?.username, userId: user?.userId, origin: user?.origin,
            scopes: scopes, grantType: grantType, issuedAt: now, expiresAt: now + accessTokenLifetime, issuer: issuerURL, audience: audience)
        var payload: [(String, JSONValue)] = [
            ("jti", .string(jti)), ("sub", .string(user?.userId ?? clientId)),
            ("scope", .array(scopes.map(JSONValue.string))),
            ("client_id", .string(clientId)), ("cid", .string(clientId)), ("azp", .string(clientId)),
            ("grant_type", .string(grantType)),
        ]
        if let user {
            payload += [("user_id", .string(user.userId)), ("user_name", .string(user.username)), ("origin", .string(user.origin))]
        }
        payload += [
            ("iat", JSONValue(now)), ("exp", JSONValue(now + accessTokenLifetime)), ("iss", .string(issuerURL)),
            ("zid", "uaa"), ("aud", .array(audience.sorted().map(JSONValue.string))),
        ]
        let header = Base64.encode(Array(#"{"alg":"HS256","kid":"provsim","typ":"JWT"}"#.utf8), alphabet: .url, padded: false)
        let body = Base64.encode(JSONWriter().bytes(.object(JSONObject(payload))), alphabet: .url, padded: false)
        let signature = Base64.encode(SHA256.hmac(key: key, message: Array("\(header).\(body)".utf8)), alphabet: .url, padded: false)
        return ("\(header).\(body).\(signature)", claims)
    }

    /// A refresh token bound to the claims of a password-grant token.
    public func issueRefreshToken(for claims: TokenClaims) -> String {
        state.withLock { s in
            let token = s.random.uuidString().filter { $0 != "-" } + "-r"
            s.refreshTokens[token] = claims
            return token
        }
    }

    public func claims(forRefreshToken token: String) -> TokenClaims? {
        state.withLock { $0.refreshTokens[token] }
    }

    /// Checks signature, expiry, `iss` (must be `issuerURL`) and, when `audiences` is given, that
    /// `aud` names one of them.
    public func validate(_ token: String, issuerURL: String, audiences: Set<String>? = nil) -> Result<TokenClaims, TokenProblem> {
        let now = clock.epochSeconds()
        let cached = state.withLock { s -> Result<TokenClaims, TokenProblem>? in
            guard let claims = s.verified[token] else { return nil }
            return now < claims.expiresAt ? .success(claims) : .failure(.expired)
        }
        let result = cached ?? verify(token, now: now)
        guard case .success(let claims) = result else { return result }
        guard claims.issuer == issuerURL else { return .failure(.wrongIssuer) }
        if let audiences, audiences.isDisjoint(with: claims.audience) { return .failure(.wrongAudience) }
        if cached != nil { return result }
        if case .success(let claims) = result {
            state.withLock { s in
                if s.verified.count >= 10_000 { s.verified.removeAll(keepingCapacity: true) }
                s.verified[token] = claims
            }
        }
        return result
    }

    private func verify(_ token: String, now: Int) -> Result<TokenClaims, TokenProblem> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let payloadBytes = Base64.decode(String(parts[1]), alphabet: .url),
              let payload = try? JSONParser.parse(payloadBytes) else { return .failure(.malformed) }
        let expected = Base64.encode(SHA256.hmac(key: key, message: Array("\(parts[0]).\(parts[1])".utf8)), alphabet: .url, padded: false)
        guard expected == String(parts[2]) else { return .failure(.badSignature) }
        guard let jti = payload["jti"]?.stringValue, let clientId = payload["client_id"]?.stringValue,
              let exp = payload["exp"]?.intValue, let iat = payload["iat"]?.intValue else { return .failure(.malformed) }
        guard now < exp else { return .failure(.expired) }
        let scopes = payload["scope"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return .success(TokenClaims(
            jti: jti, clientId: clientId, userName: payload["user_name"]?.stringValue, userId: payload["user_id"]?.stringValue,
            origin: payload["origin"]?.stringValue, scopes: scopes, grantType: payload["grant_type"]?.stringValue ?? "",
            issuedAt: iat, expiresAt: exp, issuer: payload["iss"]?.stringValue ?? "",
            audience: Set(payload["aud"]?.arrayValue?.compactMap(\.stringValue) ?? [])))
    }
}
