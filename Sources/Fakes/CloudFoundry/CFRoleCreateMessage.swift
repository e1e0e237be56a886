import Hosting
import JSON

/// The body of `POST /v3/roles`, validated like the Cloud Controller's `RoleCreateMessage`: all
/// problems are collected into one 422 `CF-UnprocessableEntity`.
struct CFRoleCreateMessage {
    let type: CFRoleType
    let userGuid: String?
    let username: String?
    let origin: String?
    let organizationGuid: String?
    let spaceGuid: String?

    init(_ body: JSONObject) throws(CFError) {
        var problems: [String] = []
        let unknown = body.keys.filter { !["type", "relationships", "metadata"].contains($0) }
        if !unknown.isEmpty { problems.append("Unknown field(s): \(unknown.map { "'\($0)'" }.joined(separator: ", "))") }
        let typeText = body["type"]?.stringValue
        let type = typeText.flatMap(CFRoleType.init(rawValue:))
        if type == nil {
            problems.append("Type must be one of the allowed types [\(CFRoleType.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))]")
        }
        let relationships = body["relationships"]?.objectValue ?? JSONObject()
        let badRelationships = relationships.keys.filter { !["user", "organization", "space"].contains($0) }
        if !badRelationships.isEmpty { problems.append("Relationships Unknown field(s): \(badRelationships.map { "'\($0)'" }.joined(separator: ", "))") }
        let user = relationships["user"]?["data"]
        userGuid = user?["guid"]?.stringValue
        username = user?["username"]?.stringValue
        origin = user?["origin"]?.stringValue
        if userGuid == nil && username == nil { problems.append("User must have a username or guid specified") }
        if userGuid != nil && username != nil { problems.append("User cannot specify both a guid and a username") }
        if origin != nil && username == nil { problems.append("User cannot specify an origin without a username") }
        organizationGuid = relationships["organization"]?["data"]?["guid"]?.stringValue
        spaceGuid = relationships["space"]?["data"]?["guid"]?.stringValue
        if organizationGuid == nil && spaceGuid == nil {
            problems.append("Relationships must specify either a space or an organization.")
        } else if let type {
            if type.isSpaceRole, organizationGuid != nil {
                problems.append("Relationships cannot provide an organization with the space role type: '\(type.rawValue)'.")
            }
            if !type.isSpaceRole, spaceGuid != nil {
                problems.append("Relationships cannot provide a space with the organization role type: '\(type.rawValue)'.")
            }
            if type.isSpaceRole, spaceGuid == nil { problems.append("Relationships must specify a space for the space role type: '\(type.rawValue)'.") }
            if !type.isSpaceRole, organizationGuid == nil { problems.append("Relationships must specify an organization for the organization role type: '\(type.rawValue)'.") }
        }
        guard problems.isEmpty, let type else { throw CFError.unprocessable(problems.joined(separator: ", ")) }
        self.type = type
    }
}
