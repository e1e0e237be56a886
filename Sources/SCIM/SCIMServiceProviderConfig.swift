import JSON

/// The `/ServiceProviderConfig` document (RFC 7643 §5), stating exactly what a server supports.
public struct SCIMServiceProviderConfig: Sendable {
    public var documentationUri: String?
    public var patch = true
    public var bulk = false
    public var filter = true
    public var maxResults: Int
    public var sort = true
    public var etag = true
    public var changePassword = false
    public var authenticationSchemes: [(type: String, name: String, description: String)]

    public init(maxResults: Int, authenticationSchemes: [(type: String, name: String, description: String)]) {
        self.maxResults = maxResults
        self.authenticationSchemes = authenticationSchemes
    }

    public static let oauthBearer = (type: "oauthbearertoken", name: "OAuth Bearer Token", description: "Authentication with an OAuth 2.0 bearer token from the token endpoint (client credentials)")
    public static let httpBasic = (type: "httpbasic", name: "HTTP Basic", description: "Authentication with a client ID and secret in HTTP Basic")

    public func json(location: String) -> JSONValue {
        var members: [(String, JSONValue)] = [("schemas", ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"])]
        if let documentationUri { members.append(("documentationUri", .string(documentationUri))) }
        members += [
            ("patch", .object(JSONObject([("supported", .bool(patch))]))),
            ("bulk", .object(JSONObject([("supported", .bool(bulk)), ("maxOperations", JSONValue(0)), ("maxPayloadSize", JSONValue(0))]))),
            ("filter", .object(JSONObject([("supported", .bool(filter)), ("maxResults", JSONValue(maxResults))]))),
            ("changePassword", .object(JSONObject([("supported", .bool(changePassword))]))),
            ("sort", .object(JSONObject([("supported", .bool(sort))]))),
            ("etag", .object(JSONObject([("supported", .bool(etag))]))),
            ("authenticationSchemes", .array(authenticationSchemes.enumerated().map { i, s in
                .object(JSONObject([("type", .string(s.type)), ("name", .string(s.name)), ("description", .string(s.description)), ("primary", .bool(i == 0))]))
            })),
            ("meta", .object(JSONObject([("resourceType", "ServiceProviderConfig"), ("location", .string(location))]))),
        ]
        return .object(JSONObject(members))
    }
}
