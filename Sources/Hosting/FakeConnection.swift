/// How a provisioning system reaches a fake: the URL it calls and what it signs in with. Typed,
/// so the simulation turns it into a system's connection properties without a detour through the
/// JSON that `provsim serve` prints.
public struct FakeConnection: Sendable, Equatable {
    public enum Credentials: Sendable, Equatable {
        /// An OAuth client signing in with client credentials at `tokenURL`.
        case client(tokenURL: String, id: String, secret: String)
        /// A user's name and password (Cloud Foundry's provisioning user, who signs in at the
        /// paired UAA that the Cloud Controller's root document names).
        case user(name: String, password: String)
    }

    /// The base URL systems use (their `URL` property).
    public var url: String
    /// None when the fake has nobody to sign in as (a Cloud Controller without a UAA user).
    public var credentials: Credentials?

    public init(url: String, credentials: Credentials?) {
        self.url = url
        self.credentials = credentials
    }

    /// A fake at `baseURL` that `client` signs in to with client credentials at its own `/oauth/token`.
    public static func oauthClient(_ client: OAuthClient, baseURL: String) -> FakeConnection {
        FakeConnection(url: baseURL, credentials: .client(tokenURL: baseURL + "/oauth/token", id: client.id, secret: client.secret))
    }
}

extension FakeConnection {
    /// The connection properties of an IPS system that reaches this fake, as written on the
    /// system's Properties tab: `URL`, `Authentication`, `OAuth2TokenServiceURL`, `User`, `Password`.
    public var systemProperties: [String: String] {
        var properties = ["URL": url, "Authentication": "BasicAuthentication"]
        switch credentials {
        case .client(let tokenURL, let id, let secret):
            properties["OAuth2TokenServiceURL"] = tokenURL
            properties["User"] = id
            properties["Password"] = secret
        case .user(let name, let password):
            properties["User"] = name
            properties["Password"] = password
        case nil:
            break
        }
        return properties
    }
}
