/// A registered OAuth client of a fake: what `/oauth/token` accepts and which scopes it grants.
public struct OAuthClient: Sendable {
    public let id: String
    public let secret: String
    public var scopes: [String]
    public var grantTypes: Set<String>

    public init(id: String, secret: String, scopes: [String], grantTypes: Set<String> = ["client_credentials"]) {
        self.id = id
        self.secret = secret
        self.scopes = scopes
        self.grantTypes = grantTypes
    }
}

/// A user who may sign in with the `password` grant (the CF provisioning user, for instance).
public struct OAuthUser: Sendable {
    public let username: String
    public let password: String
    public let userId: String
    public let origin: String
    public var scopes: [String]

    public init(username: String, password: String, userId: String, origin: String = "uaa", scopes: [String]) {
        self.username = username
        self.password = password
        self.userId = userId
        self.origin = origin
        self.scopes = scopes
    }
}
