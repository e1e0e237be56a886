import Hosting
import JSON
import SCIM

/// A fake that is a SCIM 2.0 service: its endpoint answers the API, its directory holds the data,
/// and its OAuth client is what `provsim serve` publishes. The defaults here are the whole
/// service; a fake overrides what its rules change (AFC: reset keeps the role catalog, state
/// shows deleted users).
public protocol SCIMFakeService: FakeService {
    var directory: SCIMDirectory { get }
    var endpoint: SCIMEndpoint { get }
    var client: OAuthClient { get }
}

extension SCIMFakeService {
    public func handle(_ request: FakeRequest, context: FakeContext) async -> (response: FakeResponse, clientId: String?) {
        endpoint.handle(request, context: context)
    }

    public func rateLimited(retryAfter: Int, reason: String) -> FakeResponse {
        SCIMEndpoint.tooManyRequests(retryAfter: retryAfter, reason: reason)
    }

    /// A SCIM error without `scimType` (RFC 7644 §3.7.4 gives none for 413).
    public func refusal(status: Int, detail: String) -> FakeResponse {
        .json(status, SCIMError(status: status, detail: detail).json, contentType: SCIMEndpoint.contentType)
    }

    public func reset() {
        directory.reset()
    }

    public func seed(_ data: JSONValue, context: FakeContext) throws(FakeRequestError) -> JSONValue {
        try SCIMSeeding.seed(data, into: directory, context: context)
    }

    public func state(context: FakeContext) -> JSONValue {
        SCIMSeeding.state(of: directory, context: context)
    }

    public func connection(context: FakeContext) -> FakeConnection {
        .oauthClient(client, baseURL: context.baseURL)
    }

    public func descriptor(context: FakeContext) -> [(String, JSONValue)] {
        [
            ("scim", .string(context.baseURL + directory.basePath)),
            ("tokenURL", .string(context.baseURL + "/oauth/token")),
            ("clientId", .string(client.id)),
            ("clientSecret", .string(client.secret)),
        ]
    }
}
