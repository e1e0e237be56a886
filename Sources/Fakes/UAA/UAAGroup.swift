import Hosting
import JSON

/// A member of a UAA group (`ScimGroupMember`): a user or a nested group.
struct UAAMember: Sendable, Equatable {
    enum Kind: String, Sendable { case user = "USER", group = "GROUP" }

    var value: String
    var type: Kind
    var origin: String

    /// Reads `{value, type, origin}`; `type` defaults to `USER`, `origin` to `uaa`.
    init(json: JSONValue) throws(UAAError) {
        guard case .object = json else { throw UAAError.unreadable("a member must be an object") }
        guard let value = json["value"]?.stringValue else {
            if json["value"] == nil || json["value"]!.isNull { throw UAAError.badRequest("Member ID must not be empty") }
            throw UAAError.unreadable("'members[].value' must be a string")
        }
        self.value = value
        switch json["type"] {
        case nil, .null?: type = .user
        case .string(let name)?:
            guard let kind = Kind(rawValue: name) else {
                throw UAAError.unreadable("Cannot deserialize value of type `Type` from String \"\(name)\": not one of the values accepted for Enum class: [GROUP, USER]")
            }
            type = kind
        default: throw UAAError.unreadable("'members[].type' must be a string")
        }
        switch json["origin"] {
        case nil, .null?: origin = "uaa"
        case .string(let o)?: origin = o
        default: throw UAAError.unreadable("'members[].origin' must be a string")
        }
        if value.isEmpty { throw UAAError.badRequest("Member ID must not be empty") }
        if origin.isEmpty { throw UAAError.badRequest("Member origin must not be empty") }
    }

    init(value: String, type: Kind, origin: String) {
        self.value = value
        self.type = type
        self.origin = origin
    }

    var json: JSONValue {
        .object(JSONObject([("value", .string(value)), ("type", .string(type.rawValue)), ("origin", .string(origin))]))
    }
}

/// A group in the UAA fake (a role collection in the XSUAA flavour).
struct UAAGroup: Sendable {
    let id: String
    var displayName: String
    var description: String?
    var members: [UAAMember]
    var version = 0
    let created: Int
    var lastModified: Int

    func rendered(zoneId: String, includeMembers: Bool = true) -> JSONValue {
        var out: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("meta", UAAMeta.json(version: version, created: created, lastModified: lastModified)),
            ("displayName", .string(displayName)),
        ]
        if let description { out.append(("description", .string(description))) }
        if includeMembers { out.append(("members", .array(members.map(\.json)))) }
        out += [("zoneId", .string(zoneId)), ("schemas", [.string(UAAUser.schemaURN)])]
        return .object(JSONObject(out))
    }

    /// The group fields of a request body: `displayName`, `description`, `members`.
    struct Body {
        var displayName: String?
        var description: String?
        var members: [UAAMember]?
    }

    static func parse(_ json: JSONValue) throws(UAAError) -> Body {
        guard case .object(let object) = json else { throw UAAError.unreadable("the body must be a JSON object") }
        try UAAUser.checkSchemas(object["schemas"])
        var body = Body()
        switch object["displayName"] {
        case nil, .null?: break
        case .string(let s)?: body.displayName = s
        default: throw UAAError.unreadable("'displayName' must be a string")
        }
        switch object["description"] {
        case nil, .null?: break
        case .string(let s)?: body.description = s
        default: throw UAAError.unreadable("'description' must be a string")
        }
        switch object["members"] {
        case nil, .null?: break
        case .array(let list)?:
            var members: [UAAMember] = []
            for element in list { members.append(try UAAMember(json: element)) }
            body.members = members
        default: throw UAAError.unreadable("'members' must be an array")
        }
        return body
    }
}
