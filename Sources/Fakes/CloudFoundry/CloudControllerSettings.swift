import Hosting
import JSON

/// How the fake Cloud Controller behaves where real foundations differ by configuration.
public struct CloudControllerSettings: Sendable, Equatable {
    /// Simulated seconds before an accepted deletion job runs (0: at once, before the 202).
    public var jobSeconds: Double = 0
    /// Feature flag `set_roles_by_username`: roles may name the user by username and origin.
    public var setRolesByUsername = true
    /// `cc.allow_user_creation_by_org_manager`: org managers may create users by username/origin.
    public var allowUserCreationByOrgManager = true
    /// A space role needs `organization_user` in the space's organization (always, in real Cloud
    /// Foundry; only `FakeDefect.cfSpaceRoleWithoutOrgUser` turns it off).
    public var spaceRolesNeedOrganizationUser = true

    public init() {}

    var json: JSONValue {
        .object(JSONObject([
            ("jobSeconds", JSONNumber(jobSeconds).map(JSONValue.number) ?? 0), ("setRolesByUsername", .bool(setRolesByUsername)),
            ("allowUserCreationByOrgManager", .bool(allowUserCreationByOrgManager)),
        ]))
    }

    mutating func update(_ json: JSONValue) throws(FakeRequestError) {
        guard case .object(let o) = json else { throw FakeRequestError("settings must be an object") }
        for member in o {
            switch member.key {
            case "jobSeconds":
                guard let v = member.value.numberValue?.doubleValue, v >= 0 else { throw FakeRequestError("jobSeconds must be a number >= 0") }
                jobSeconds = v
            case "setRolesByUsername", "allowUserCreationByOrgManager":
                guard let v = member.value.boolValue else { throw FakeRequestError("\(member.key) must be true or false") }
                if member.key == "setRolesByUsername" { setRolesByUsername = v } else { allowUserCreationByOrgManager = v }
            default:
                throw FakeRequestError("unknown setting '\(member.key)' (jobSeconds, setRolesByUsername, allowUserCreationByOrgManager)")
            }
        }
    }
}
