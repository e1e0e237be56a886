import JSON

/// A SCIM protocol error (RFC 7644 §3.12): an HTTP status, an optional `scimType` and a detail.
public struct SCIMError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum ScimType: String, Sendable {
        case invalidFilter, tooMany, uniqueness, mutability, invalidSyntax, invalidPath, noTarget
        case invalidValue, invalidVers, sensitive
    }

    public let status: Int
    public let scimType: ScimType?
    public let detail: String

    public init(status: Int, scimType: ScimType? = nil, detail: String) {
        self.status = status
        self.scimType = scimType
        self.detail = detail
    }

    public static func badRequest(_ type: ScimType, _ detail: String) -> SCIMError {
        SCIMError(status: 400, scimType: type, detail: detail)
    }

    public static func notFound(_ detail: String) -> SCIMError {
        SCIMError(status: 404, detail: detail)
    }

    public static func conflict(_ detail: String) -> SCIMError {
        SCIMError(status: 409, scimType: .uniqueness, detail: detail)
    }

    /// The error body, with `status` as a string as the RFC's examples show.
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("schemas", [.string(SCIMSchemas.errorURN)])]
        if let scimType { members.append(("scimType", .string(scimType.rawValue))) }
        members += [("detail", .string(detail)), ("status", .string(String(status)))]
        return .object(JSONObject(members))
    }

    public var description: String {
        "\(status)\(scimType.map { " \($0.rawValue)" } ?? ""): \(detail)"
    }
}
