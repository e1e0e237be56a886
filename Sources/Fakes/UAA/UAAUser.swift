import Chrono
import Hosting
import JSON

/// A user in the UAA fake (UAA's `ScimUser`): the attributes a client may set, plus what UAA
/// keeps itself. The password is stored for the `password` grant and never rendered.
struct UAAUser: Sendable {
    static let schemaURN = "urn:scim:schemas:core:1.0"

    let id: String
    /// Client-settable attributes in the order they were given (`userName`, `name`, `emails` …).
    var attributes: JSONObject
    var origin: String
    var password: String?
    var version = 0
    let created: Int
    var lastModified: Int

    var userName: String { attributes["userName"]?.stringValue ?? "" }

    /// What a client may write; everything else in a body (`id`, `meta`, `groups`, `approvals`,
    /// `zoneId`, logon times) is read-only and ignored, as UAA ignores it.
    static let writable: [String: JSONKind] = [
        "externalId": .string, "userName": .string, "name": .object, "emails": .array, "phoneNumbers": .array,
        "displayName": .string, "nickName": .string, "profileUrl": .string, "title": .string, "userType": .string,
        "preferredLanguage": .string, "locale": .string, "timezone": .string, "active": .bool, "verified": .bool,
    ]

    enum JSONKind: String { case string, object, array, bool }

    /// The writable part of a request body, type-checked; `origin` and `password` apart.
    static func parse(_ body: JSONValue) throws(UAAError) -> (attributes: JSONObject, origin: String?, password: String?) {
        guard case .object(let object) = body else { throw UAAError.unreadable("the body must be a JSON object") }
        try checkSchemas(object["schemas"])
        var attributes = JSONObject()
        var origin: String?
        var password: String?
        for member in object {
            if member.key == "origin" {
                guard case .string(let value) = member.value else {
                    if member.value.isNull { continue }
                    throw UAAError.unreadable("'origin' must be a string")
                }
                origin = value
            } else if member.key == "password" {
                guard case .string(let value) = member.value else { throw UAAError.unreadable("'password' must be a string") }
                password = value
            } else if let kind = writable[member.key] {
                if member.value.isNull { continue }
                guard member.value.kind == kind else { throw UAAError.unreadable("'\(member.key)' must be a \(kind.rawValue)") }
                attributes[member.key] = member.value
            }
        }
        if case .array(let emails)? = attributes["emails"] {
            for (index, email) in emails.enumerated() where email["value"] != nil && email["value"]?.stringValue == nil {
                throw UAAError.unreadable("'emails[\(index)].value' must be a string")
            }
        }
        return (attributes, origin, password)
    }

    /// UAA accepts only its SCIM 1.0 core schema.
    static func checkSchemas(_ schemas: JSONValue?) throws(UAAError) {
        guard let schemas, !schemas.isNull else { return }
        guard schemas == .array([.string(schemaURN)]) else {
            throw UAAError(400, "http_message_not_readable", "JSON parse error: Only schema '\(schemaURN)' is currently supported")
        }
    }

    /// UAA's validation on create and update.
    func validate() throws(UAAError) {
        guard !userName.isEmpty else { throw UAAError.invalid("A username must be provided.") }
        if origin == "uaa", !userName.unicodeScalars.allSatisfy(Self.isUsernameScalar) {
            throw UAAError.invalid("Username must match pattern: [\\p{L}+0-9+\\-_.@'!]+")
        }
        let emails = attributes["emails"]?.arrayValue ?? []
        guard emails.count == 1 else { throw UAAError.invalid("Exactly one email must be provided.") }
        guard let value = emails[0]["value"]?.stringValue, !value.trimmingCharacters(in: " ").isEmpty else {
            throw UAAError.invalid("An email must be provided.")
        }
    }

    static func isUsernameScalar(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || ("0"..."9").contains(s) || "+-_.@'!".unicodeScalars.contains(s)
    }

    /// The user as UAA renders it, with its group memberships.
    func rendered(groups: [JSONValue], zoneId: String) -> JSONValue {
        var out: [(String, JSONValue)] = [("id", .string(id))]
        if let externalId = attributes["externalId"] { out.append(("externalId", externalId)) }
        out.append(("meta", UAAMeta.json(version: version, created: created, lastModified: lastModified)))
        out.append(("userName", .string(userName)))
        out.append(("name", attributes["name"] ?? .object(JSONObject())))
        out.append(("emails", attributes["emails"] ?? .array([])))
        out.append(("groups", .array(groups)))
        out.append(("approvals", .array([])))
        for key in ["phoneNumbers", "displayName", "nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale", "timezone"] {
            if let value = attributes[key] { out.append((key, value)) }
        }
        out += [
            ("active", attributes["active"] ?? true), ("verified", attributes["verified"] ?? true),
            ("origin", .string(origin)), ("zoneId", .string(zoneId)),
            ("passwordLastModified", .string(RFC3339.format(epochMilliseconds: created))),
            ("schemas", [.string(Self.schemaURN)]),
        ]
        return .object(JSONObject(out))
    }
}

/// UAA's `meta`: an integer version and millisecond timestamps.
enum UAAMeta {
    static func json(version: Int, created: Int, lastModified: Int) -> JSONValue {
        .object(JSONObject([
            ("version", JSONValue(version)),
            ("created", .string(RFC3339.format(epochMilliseconds: created))),
            ("lastModified", .string(RFC3339.format(epochMilliseconds: lastModified))),
        ]))
    }
}

extension UAAError {
    /// A body Jackson could not bind (wrong JSON type, unsupported schema).
    static func unreadable(_ detail: String) -> UAAError {
        UAAError(400, "http_message_not_readable", "JSON parse error: \(detail)")
    }
}

extension JSONValue {
    var kind: UAAUser.JSONKind? {
        switch self {
        case .string: return .string
        case .object: return .object
        case .array: return .array
        case .bool: return .bool
        default: return nil
        }
    }
}
