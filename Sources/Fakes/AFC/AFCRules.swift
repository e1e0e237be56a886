import Hosting
import JSON
import SCIM

/// AFC's domain rules on top of the generic SCIM directory.
struct AFCRules: SCIMDirectoryRules {
    func prepareCreate(_ resource: inout JSONValue, type: SCIMResourceType, state: SCIMDirectoryState) throws(SCIMError) -> String? {
        guard type.name == "User" else { return nil }
        // Created through the API means Inactive until the first sign-in.
        resource["active"] = false
        var ext = resource[SCIMSchemas.sapUserURN] ?? .object(JSONObject())
        ext["status"] = "inactive"
        resource[SCIMSchemas.sapUserURN] = ext
        // A deleted user with the same (case-exact) ID comes back instead of a second user.
        guard let name = resource["userName"]?.stringValue else { return nil }
        return (state.candidates("User", schema: nil, attribute: "userName", value: name) ?? state.all("User"))
            .first { $0.hidden && $0.resource["userName"]?.stringValue == name }?.id
    }

    func validate(_ resource: JSONValue, type: SCIMResourceType, existing: SCIMRecord?, state: SCIMDirectoryState) throws(SCIMError) {
        if type.name == "Group", let existing, existing.flags.contains("draft") {
            throw SCIMError(status: 409, detail: "Group '\(existing.resource["displayName"]?.stringValue ?? existing.id)' has a draft in AFC and cannot be synchronized through SCIM")
        }
        if type.name == "User", case .array(let roles)? = resource["roles"] {
            for role in roles {
                guard let id = role["value"]?.stringValue, let found = state.records["Role"]?[id], !found.hidden else {
                    throw SCIMError.badRequest(.invalidValue, "Unknown role '\(role["value"]?.textValue ?? "")'; see GET /Roles")
                }
            }
        }
    }

    func delete(_ record: inout SCIMRecord, type: SCIMResourceType, state: SCIMDirectoryState) throws(SCIMError) -> Bool {
        switch type.name {
        case "User":
            if record.resource["active"]?.boolValue == true {
                for groupID in state.memberships[record.id] ?? [] {
                    guard let group = state.records["Group"]?[groupID] else { continue }
                    let activeMembers = (group.resource["members"]?.arrayValue ?? []).compactMap { $0["value"]?.stringValue }.filter { id in
                        guard let user = state.records["User"]?[id], !user.hidden else { return false }
                        return user.resource["active"]?.boolValue == true
                    }
                    if activeMembers == [record.id] {
                        throw SCIMError(status: 409, detail: "User '\(record.resource["userName"]?.stringValue ?? record.id)' is the last active user of group '\(group.resource["displayName"]?.stringValue ?? groupID)' and cannot be deleted")
                    }
                }
            }
            // Only a user without group or role assignments is removed for good; others become Deleted.
            let hasRoles = !(record.resource["roles"]?.arrayValue ?? []).isEmpty
            guard hasRoles || !(state.memberships[record.id] ?? []).isEmpty else { return false }
            record.hidden = true
            record.resource["active"] = false
            var ext = record.resource[SCIMSchemas.sapUserURN] ?? .object(JSONObject())
            ext["status"] = "deleted"
            record.resource[SCIMSchemas.sapUserURN] = ext
            return true
        case "Group":
            if record.flags.contains("draft") {
                throw SCIMError(status: 409, detail: "Group '\(record.resource["displayName"]?.stringValue ?? record.id)' has a draft in AFC and cannot be synchronized through SCIM")
            }
            return false
        default:
            return false
        }
    }

    func didWrite(_ record: inout SCIMRecord, type: SCIMResourceType) {
        if type.name == "Group" { record.flags.insert("syncedViaSCIM") }
    }
}
