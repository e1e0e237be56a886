import Hosting
import JSON
import SCIM

/// UAA's PATCH: the body is a partial resource plus `meta.attributes`, the attributes to remove
/// (not RFC 7644 PatchOp; `ScimUser.patch` and `ScimGroup.patch` in UAA). Groups also accept an
/// RFC 7644 PatchOp body, which IPS proxy write transformations pass through.
enum UAAPatch {
    /// `meta.attributes` of a patch body, as given.
    static func removals(_ body: JSONObject) throws(UAAError) -> [String] {
        guard let meta = body["meta"], !meta.isNull else { return [] }
        guard let list = meta["attributes"] else { return [] }
        if list.isNull { return [] }
        guard case .array(let names) = list, names.allSatisfy({ $0.stringValue != nil }) else {
            throw UAAError.unreadable("'meta.attributes' must be a list of attribute names")
        }
        return names.compactMap(\.stringValue)
    }

    static let removableUserAttributes: [String: String] = [
        "username": "userName", "emails": "emails", "phonenumbers": "phoneNumbers", "displayname": "displayName",
        "nickname": "nickName", "profileurl": "profileUrl", "title": "title", "preferredlanguage": "preferredLanguage",
        "locale": "locale", "timezone": "timezone", "name": "name", "externalid": "externalId",
    ]
    static let nameParts = ["familyname": "familyName", "givenname": "givenName", "formatted": "formatted",
                            "middlename": "middleName", "honorificprefix": "honorificPrefix", "honorificsuffix": "honorificSuffix"]

    /// Applies a UAA user patch. `active` and `verified` come from the body, defaulting to
    /// `true` when absent (UAA binds them to Java booleans that default to true); emails are
    /// appended, phone numbers put first; more than one email collapses to the primary one.
    static func apply(_ json: JSONValue, to user: UAAUser) throws(UAAError) -> UAAUser {
        guard case .object(let object) = json else { throw UAAError.unreadable("the body must be a JSON object") }
        let (patch, origin, _) = try UAAUser.parse(json)
        if let origin, origin != user.origin { throw UAAError.invalid("Cannot change origin in patch of user.") }
        var result = user
        for name in try removals(object) {
            let lower = name.lowercased()
            if let key = removableUserAttributes[lower] {
                result.attributes[key] = nil
            } else if lower.hasPrefix("name."), let part = nameParts[String(lower.dropFirst(5))] {
                if case .object(var n)? = result.attributes["name"] {
                    n[part] = nil
                    result.attributes["name"] = .object(n)
                }
            } else {
                throw UAAError(400, "illegal_argument", "Attribute \(name) cannot be removed using \"Meta.attributes\"")
            }
        }
        for member in patch {
            switch member.key {
            case "name":
                var merged = result.attributes["name"]?.objectValue ?? JSONObject()
                for part in member.value.objectValue ?? JSONObject() where !part.value.isNull { merged[part.key] = part.value }
                result.attributes["name"] = .object(merged)
            case "emails":
                var existing = result.attributes["emails"]?.arrayValue ?? []
                let added = member.value.arrayValue ?? []
                if added.contains(where: { $0["primary"]?.boolValue == true }) {
                    existing = existing.map { e in
                        var e = e
                        if e["primary"] != nil { e["primary"] = false }
                        return e
                    }
                }
                result.attributes["emails"] = .array(existing + added)
            case "phoneNumbers":
                result.attributes["phoneNumbers"] = .array((member.value.arrayValue ?? []) + (result.attributes["phoneNumbers"]?.arrayValue ?? []))
            case "active", "verified":
                break
            default:
                result.attributes[member.key] = member.value
            }
        }
        result.attributes["active"] = patch["active"] ?? true
        result.attributes["verified"] = patch["verified"] ?? true
        if case .array(let emails)? = result.attributes["emails"], emails.count > 1 {
            result.attributes["emails"] = .array([emails.first { $0["primary"]?.boolValue == true } ?? emails[0]])
        }
        return result
    }

    /// A group patch in UAA's style: removals from `meta.attributes`, then every member named in
    /// the body is taken out and those without `"operation": "delete"` are put (back) in, then
    /// `displayName` and `description` are applied.
    static func apply(_ json: JSONValue, to group: UAAGroup) throws(UAAError) -> UAAGroup.Body {
        guard case .object(let object) = json else { throw UAAError.unreadable("the body must be a JSON object") }
        let patch = try UAAGroup.parse(removingOperations(json))
        var displayName: String? = group.displayName
        var description = group.description
        var members = group.members
        for name in try removals(object) {
            switch name.lowercased() {
            case "description": description = nil
            case "displayname": displayName = nil
            case "members": members = []
            case "id", "zoneid": throw UAAError.invalid("Cannot delete or change \(name)")
            default: throw UAAError.invalid("Attribute \(name) cannot be removed using \"Meta.attributes\"")
            }
        }
        if case .array(let list)? = object["members"] {
            let named = Set(list.compactMap { $0["value"]?.stringValue })
            members.removeAll { named.contains($0.value) }
            for (element, member) in zip(list, patch.members ?? []) where element["operation"]?.stringValue?.lowercased() != "delete" {
                members.append(member)
            }
        }
        if let d = patch.displayName { displayName = d }
        if let d = patch.description { description = d }
        return UAAGroup.Body(displayName: displayName, description: description, members: members)
    }

    /// The members list without UAA's `operation` marker, so the member parser sees plain members.
    private static func removingOperations(_ json: JSONValue) -> JSONValue {
        guard case .array(let list)? = json["members"] else { return json }
        var copy = json
        copy["members"] = .array(list.map { m in
            var m = m
            m["operation"] = nil
            return m
        })
        copy["meta"] = nil
        return copy
    }

    static let groupType = SCIMResourceType(name: "Group", endpoint: "/Groups", description: "UAA group", schema: SCIMSchemas.group)

    /// An RFC 7644 PatchOp applied to a group's `displayName`, `description` and `members`.
    static func applyPatchOp(_ json: JSONValue, to group: UAAGroup) throws(UAAError) -> UAAGroup.Body {
        let patch: SCIMPatch
        do throws(SCIMError) {
            patch = try SCIMPatch(json: json)
        } catch {
            throw UAAError.badRequest(error.detail)
        }
        var resource = JSONObject([("displayName", .string(group.displayName)), ("members", .array(group.members.map(\.json)))])
        if let description = group.description { resource["description"] = .string(description) }
        let patched: JSONValue
        do throws(SCIMError) {
            patched = try patch.apply(to: .object(resource), resourceType: groupType)
        } catch {
            throw UAAError.badRequest(error.detail)
        }
        var body = try UAAGroup.parse(patched)
        if body.members == nil { body.members = [] }
        return body
    }
}
