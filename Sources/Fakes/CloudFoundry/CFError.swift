import Hosting
import JSON

/// A Cloud Controller V3 error: always rendered as `{"errors": [{"code", "title", "detail"}]}`.
/// Clients key on `code` and `title`; `detail` is the human text.
public struct CFError: Error, Sendable {
    public let status: Int
    public let code: Int
    public let title: String
    public let detail: String

    public init(_ status: Int, _ code: Int, _ title: String, _ detail: String) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
    }

    public var response: FakeResponse {
        .json(status, ["errors": [.object(JSONObject([("detail", .string(detail)), ("title", .string(title)), ("code", JSONValue(code))]))]])
    }

    static func unprocessable(_ detail: String) -> CFError { CFError(422, 10008, "CF-UnprocessableEntity", detail) }
    static func notFound(_ what: String) -> CFError { CFError(404, 10010, "CF-ResourceNotFound", "\(what) not found") }
    static func badQuery(_ detail: String) -> CFError { CFError(400, 10005, "CF-BadQueryParameter", "The query parameter is invalid: \(detail)") }
    static let notAuthorized = CFError(403, 10003, "CF-NotAuthorized", "You are not authorized to perform the requested action")
    static let notAuthenticated = CFError(401, 10002, "CF-NotAuthenticated", "Authentication error")
    static let invalidToken = CFError(401, 1000, "CF-InvalidAuthToken", "Invalid Auth Token")
    static let unknownRequest = CFError(404, 10000, "CF-NotFound", "Unknown request")
    static func invalidRequest(_ detail: String) -> CFError { CFError(400, 1001, "CF-MessageParseError", "Request invalid due to parse error: \(detail)") }
}
