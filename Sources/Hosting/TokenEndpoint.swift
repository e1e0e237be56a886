import JSON

/// `POST /oauth/token` the way UAA/XSUAA answer it: `client_credentials` (client authenticated in
/// the form or with Basic), `password` and `refresh_token`; errors in UAA's OAuth format.
public struct TokenEndpoint: Sendable {
    public let authenticator: Authenticator

    public init(authenticator: Authenticator) {
        self.authenticator = authenticator
    }

    /// `issuerURL` is this endpoint's URL, the `iss` of the tokens it issues.
    public func handle(_ request: FakeRequest, issuerURL: String) -> (response: FakeResponse, clientId: String?) {
        guard request.method == "POST" else {
            return (Self.error(405, "method_not_allowed", "Request method '\(request.method)' not supported"), nil)
        }
        let form = request.formFields()
        guard let (clientId, clientSecret) = Authenticator.tokenClient(request, form: form) else { return (Self.badCredentials, nil) }
        guard let clientId, let client = authenticator.client(clientId), SecretSource.matches(clientSecret ?? "", client.secret) else {
            return (Self.badCredentials, clientId)
        }
        guard let grant = form["grant_type"], !grant.isEmpty else {
            return (Self.error(400, "invalid_request", "Missing grant type"), clientId)
        }
        guard client.grantTypes.contains(grant) else {
            let known = ["client_credentials", "password", "refresh_token", "authorization_code", "implicit"]
            return known.contains(grant)
                ? (Self.error(400, "invalid_client", "Unauthorized grant type: \(grant)"), clientId)
                : (Self.error(400, "unsupported_grant_type", "Unsupported grant type: \(grant)"), clientId)
        }
        // An empty `scope` asks for the defaults, like no `scope` (cloudfoundry-client sends one).
        let requested = form["scope"].map { $0.split(separator: " ").map(String.init) }.flatMap { $0.isEmpty ? nil : $0 }
        switch grant {
        case "client_credentials":
            return (grantScopes(client.scopes, requested: requested, clientId: clientId) { scopes in
                let (token, claims) = authenticator.tokens.issue(clientId: clientId, scopes: scopes, grantType: grant, issuerURL: issuerURL)
                return Self.tokenResponse(token, claims: claims, refresh: nil)
            }, clientId)
        case "password":
            guard let name = form["username"], let password = form["password"],
                  let user = authenticator.user(named: name), SecretSource.matches(password, user.password) else {
                return (Self.badCredentials, clientId)
            }
            // A user's token carries the scopes both the user and the client have (UAA's rule).
            return (grantScopes(user.scopes.filter(client.scopes.contains), requested: requested, clientId: clientId) { scopes in
                let (token, claims) = authenticator.tokens.issue(clientId: clientId, scopes: scopes, grantType: grant, user: user, issuerURL: issuerURL)
                return Self.tokenResponse(token, claims: claims, refresh: authenticator.tokens.issueRefreshToken(for: claims))
            }, clientId)
        case "refresh_token":
            guard let refresh = form["refresh_token"], let previous = authenticator.tokens.claims(forRefreshToken: refresh),
                  previous.clientId == clientId, let name = previous.userName, let user = authenticator.user(named: name) else {
                return (Self.error(401, "invalid_token", "Invalid refresh token"), clientId)
            }
            let (token, claims) = authenticator.tokens.issue(clientId: clientId, scopes: previous.scopes, grantType: "password", user: user, issuerURL: issuerURL)
            return (Self.tokenResponse(token, claims: claims, refresh: refresh), clientId)
        default:
            return (Self.error(400, "unsupported_grant_type", "Unsupported grant type: \(grant)"), clientId)
        }
    }

    private func grantScopes(_ allowed: [String], requested: [String]?, clientId: String, issue: ([String]) -> FakeResponse) -> FakeResponse {
        guard let requested else { return issue(allowed) }
        let unknown = requested.filter { !allowed.contains($0) }
        guard unknown.isEmpty else {
            return Self.error(400, "invalid_scope", "Invalid scope: \(unknown.joined(separator: " ")). Did you know that you can get default scopes by simply sending no value?")
        }
        return issue(requested)
    }

    static func tokenResponse(_ token: String, claims: TokenClaims, refresh: String?) -> FakeResponse {
        var members: [(String, JSONValue)] = [("access_token", .string(token)), ("token_type", "bearer")]
        if let refresh { members.append(("refresh_token", .string(refresh))) }
        members += [
            ("expires_in", JSONValue(claims.expiresAt - claims.issuedAt)),
            ("scope", .string(claims.scopes.joined(separator: " "))),
            ("jti", .string(claims.jti)),
        ]
        return .json(200, .object(JSONObject(members)), headers: [("cache-control", "no-store"), ("pragma", "no-cache")])
    }

    static let badCredentials = error(401, "unauthorized", "Bad credentials")

    static func error(_ status: Int, _ error: String, _ description: String) -> FakeResponse {
        .json(status, .object(JSONObject([("error", .string(error)), ("error_description", .string(description))])))
    }
}
