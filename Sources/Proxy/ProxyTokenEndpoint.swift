import Hosting
import JSON

/// `POST /oauth2/token` of the Cloud Identity Services tenant, for technical users that call the
/// proxy and real-time APIs with OAuth (docs/fidelity.md, “Proxy systems”): the client-credentials grant only, the
/// client authenticated with Basic or in the form; errors as RFC 6749 §5.2 words them.
struct ProxyTokenEndpoint: Sendable {
    let authenticator: Authenticator

    func handle(_ request: FakeRequest, issuerURL: String) -> (response: FakeResponse, clientId: String?) {
        guard request.method == "POST" else {
            return (Self.error(405, "invalid_request", "the token endpoint accepts POST only"), nil)
        }
        let form = request.formFields()
        guard let (clientId, secret) = Authenticator.tokenClient(request, form: form) else { return (Self.invalidClient, nil) }
        guard let clientId, let client = authenticator.client(clientId), SecretSource.matches(secret ?? "", client.secret) else {
            return (Self.invalidClient, nil)
        }
        guard let grant = form["grant_type"], !grant.isEmpty else {
            return (Self.error(400, "invalid_request", "grant_type is missing"), clientId)
        }
        guard grant == "client_credentials" else {
            return (Self.error(400, "unsupported_grant_type", "only client_credentials is supported for technical users"), clientId)
        }
        let (token, claims) = authenticator.tokens.issue(clientId: clientId, scopes: client.scopes, grantType: grant, issuerURL: issuerURL)
        let body: JSONValue = .object(JSONObject([
            ("access_token", .string(token)), ("token_type", "Bearer"), ("expires_in", JSONValue(claims.expiresAt - claims.issuedAt)),
        ]))
        return (.json(200, body, headers: [("cache-control", "no-store"), ("pragma", "no-cache")]), clientId)
    }

    static let invalidClient = FakeResponse.json(401, .object(JSONObject([("error", "invalid_client"), ("error_description", "Client authentication failed")])),
                                                headers: [("www-authenticate", "Basic realm=\"oauth2\"")])

    static func error(_ status: Int, _ error: String, _ description: String) -> FakeResponse {
        .json(status, .object(JSONObject([("error", .string(error)), ("error_description", .string(description))])))
    }
}
