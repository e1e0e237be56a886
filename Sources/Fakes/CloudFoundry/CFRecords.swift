import Chrono
import Hosting
import JSON

/// The eight role types of the V3 roles API.
public enum CFRoleType: String, Sendable, CaseIterable {
    case organizationUser = "organization_user"
    case organizationAuditor = "organization_auditor"
    case organizationManager = "organization_manager"
    case organizationBillingManager = "organization_billing_manager"
    case spaceAuditor = "space_auditor"
    case spaceDeveloper = "space_developer"
    case spaceManager = "space_manager"
    case spaceSupporter = "space_supporter"

    public var isSpaceRole: Bool { rawValue.hasPrefix("space_") }
}

/// Cloud Controller timestamps: `2019-10-10T17:19:12Z`.
func cfTime(_ milliseconds: Int) -> JSONValue {
    .string(RFC3339.formatSeconds(epochMilliseconds: milliseconds))
}

/// `guid`, `created_at`, `updated_at`: how every V3 resource begins.
func cfIdentity(_ guid: String, created: Int, updated: Int) -> [(String, JSONValue)] {
    [("guid", .string(guid)), ("created_at", cfTime(created)), ("updated_at", cfTime(updated))]
}

func link(_ href: String) -> JSONValue { ["href": .string(href)] }

let emptyMetadata: JSONValue = ["labels": .object(JSONObject()), "annotations": .object(JSONObject())]

struct CFOrganization: Sendable {
    let guid: String
    var name: String
    let created: Int
    var updated: Int

    func json(_ base: String) -> JSONValue {
        .object(JSONObject(cfIdentity(guid, created: created, updated: updated) + [
            ("name", .string(name)), ("suspended", false), ("relationships", ["quota": ["data": ["guid": "provsim-default-quota"]]]), ("metadata", emptyMetadata),
            ("links", .object(JSONObject([
                ("self", link("\(base)/v3/organizations/\(guid)")), ("domains", link("\(base)/v3/organizations/\(guid)/domains")),
                ("default_domain", link("\(base)/v3/organizations/\(guid)/domains/default")),
                ("quota", link("\(base)/v3/organization_quotas/provsim-default-quota")),
            ]))),
        ]))
    }
}

struct CFSpace: Sendable {
    let guid: String
    var name: String
    let organizationGuid: String
    let created: Int
    var updated: Int

    func json(_ base: String) -> JSONValue {
        .object(JSONObject(cfIdentity(guid, created: created, updated: updated) + [
            ("name", .string(name)),
            ("relationships", .object(JSONObject([
                ("organization", ["data": ["guid": .string(organizationGuid)]]), ("quota", ["data": .null]),
            ]))),
            ("metadata", emptyMetadata),
            ("links", .object(JSONObject([
                ("self", link("\(base)/v3/spaces/\(guid)")), ("organization", link("\(base)/v3/organizations/\(organizationGuid)")),
                ("features", link("\(base)/v3/spaces/\(guid)/features")), ("apply_manifest", ["href": .string("\(base)/v3/spaces/\(guid)/actions/apply_manifest"), "method": "POST"]),
            ]))),
        ]))
    }
}

/// A Cloud Controller user record; its name and origin live in UAA.
struct CFUser: Sendable {
    let guid: String
    let created: Int
    var updated: Int

    func json(_ base: String, identity: (userName: String, origin: String)?) -> JSONValue {
        .object(JSONObject(cfIdentity(guid, created: created, updated: updated) + [
            ("username", identity.map { .string($0.userName) } ?? .null),
            ("presentation_name", .string(identity?.userName ?? guid)),
            ("origin", identity.map { .string($0.origin) } ?? .null),
            ("metadata", emptyMetadata), ("links", ["self": link("\(base)/v3/users/\(guid)")]),
        ]))
    }
}

struct CFRole: Sendable {
    let guid: String
    let type: CFRoleType
    let userGuid: String
    /// Set for organization roles.
    let organizationGuid: String?
    /// Set for space roles.
    let spaceGuid: String?
    let created: Int

    func json(_ base: String) -> JSONValue {
        var links: [(String, JSONValue)] = [("self", link("\(base)/v3/roles/\(guid)")), ("user", link("\(base)/v3/users/\(userGuid)"))]
        if let organizationGuid { links.append(("organization", link("\(base)/v3/organizations/\(organizationGuid)"))) }
        if let spaceGuid { links.append(("space", link("\(base)/v3/spaces/\(spaceGuid)"))) }
        func data(_ guid: String?) -> JSONValue { ["data": guid.map { ["guid": .string($0)] } ?? .null] }
        return .object(JSONObject(cfIdentity(guid, created: created, updated: created) + [
            ("type", .string(type.rawValue)),
            ("relationships", .object(JSONObject([("user", data(userGuid)), ("organization", data(organizationGuid)), ("space", data(spaceGuid))]))),
            ("links", .object(JSONObject(links))),
        ]))
    }
}

/// An asynchronous operation (`/v3/jobs/{guid}`): role and user deletions.
struct CFJob: Sendable {
    enum State: String, Sendable { case processing = "PROCESSING", complete = "COMPLETE", failed = "FAILED" }

    let guid: String
    let operation: String
    var state: State
    let created: Int
    var updated: Int
    /// Simulated time (seconds) at which the work runs.
    let dueAt: Double
    let work: Work
    var errors: [JSONValue] = []

    enum Work: Sendable {
        case deleteRole(String)
        case deleteUser(String)
    }

    func json(_ base: String) -> JSONValue {
        .object(JSONObject(cfIdentity(guid, created: created, updated: updated) + [
            ("operation", .string(operation)), ("state", .string(state.rawValue)),
            ("links", ["self": link("\(base)/v3/jobs/\(guid)")]), ("errors", .array(errors)), ("warnings", .array([])),
        ]))
    }
}
