import Hosting
import JSON

/// An error as UAA's SCIM endpoints render it: `{"error", "error_description", "message"}` plus
/// extra fields (`origin` on a username conflict). `error` is UAA's exception name in snake case
/// without `_exception`.
public struct UAAError: Error, Sendable {
    public let status: Int
    public let error: String
    public let message: String
    public var extra: [(String, JSONValue)] = []

    public init(_ status: Int, _ error: String, _ message: String, extra: [(String, JSONValue)] = []) {
        self.status = status
        self.error = error
        self.message = message
        self.extra = extra
    }

    public var response: FakeResponse {
        .json(status, .object(JSONObject([("error", .string(error)), ("error_description", .string(message)), ("message", .string(message))] + extra)))
    }

    static func notFound(user id: String) -> UAAError { UAAError(404, "scim_resource_not_found", "User \(id) does not exist") }
    static func notFound(group id: String) -> UAAError { UAAError(404, "scim_resource_not_found", "Group \(id) does not exist") }
    static func invalid(_ message: String) -> UAAError { UAAError(400, "invalid_scim_resource", message) }
    static func badRequest(_ message: String) -> UAAError { UAAError(400, "scim", message) }
    static func conflict(_ message: String) -> UAAError { UAAError(409, "scim_resource_conflict", message) }
}
