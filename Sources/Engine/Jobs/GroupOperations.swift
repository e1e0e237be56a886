import JSON

/// What IPS may do with an application-specific group in the Identity Directory (docs/fidelity.md, “The provisioning engine”):
/// the `supportedOperations` of the SAP group extension, on groups that also carry an
/// `applicationId` (other groups are regular: `readWrite`).
enum GroupOperations: String, Sendable {
    case readWrite, readOnly, userOnlyMembership, membership

    static let sapGroupExtension = "urn:ietf:params:scim:schemas:extension:sap:2.0:Group"
    /// IPS's reason for a `readOnly` group it skips.
    static let unsupported = "unsupported operation on an application-specific group"

    /// The operations of a group as written to the target; `nil` for a regular group. An unknown
    /// value counts as `readWrite`, the extension's default.
    init?(group body: JSONValue) {
        let ext = body[Self.sapGroupExtension]
        guard case .string(let application)? = ext?["applicationId"], !application.isEmpty,
              case .string(let operations)? = ext?["supportedOperations"] else { return nil }
        self = GroupOperations(rawValue: operations) ?? .readWrite
    }

    /// Only members change: the group's attributes belong to the application.
    var membersOnly: Bool { self == .userOnlyMembership || self == .membership }

    /// The members IPS writes: with `userOnlyMembership` only users.
    func members(of body: JSONValue) -> [JSONValue] {
        let members = body["members"]?.arrayValue ?? []
        guard self == .userOnlyMembership else { return members }
        return members.filter { !Self.isGroupMember($0) }
    }

    static func isGroupMember(_ member: JSONValue) -> Bool {
        member["type"]?.stringValue?.lowercased() == "group"
    }
}
