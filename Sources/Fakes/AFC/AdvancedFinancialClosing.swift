import Chrono
import Hosting
import JSON
import SCIM

/// SAP Advanced Financial Closing's SCIM 2.0 API, with the rules AFC documents:
///
/// - **Rate limits on by default**: 10,000 requests per hour and 3 at a time (429 with `Retry-After`).
/// - **User IDs are case-sensitive**: `JDoe` and `jdoe` are two users.
/// - Users created through the API are *Inactive* until they sign in (control API `sign-in`);
///   `active` and the SAP extension's `status` show it.
/// - Deleting a user with group or role assignments sets it to *Deleted*: it disappears from the
///   API but keeps its assignments, and a later create with the same user name (or a sign-in)
///   brings it back. A user without assignments is removed for good. The last active user of a
///   group cannot be deleted (409).
/// - Groups written through SCIM become read-only in AFC's UI (`syncedViaSCIM` in the state dump);
///   a group with an open draft cannot be written through SCIM (409).
/// - Roles: `GET /Roles` lists the role catalog (read-only); users carry role assignments in the
///   core `roles` attribute, whose values must be role IDs.
public final class AdvancedFinancialClosing: SCIMFakeService {
    public let name = "afc"
    public let directory: SCIMDirectory
    public let endpoint: SCIMEndpoint
    public let client: OAuthClient

    public static let roleSchema = SCIMSchema(
        id: "urn:sap:cloud:scim:schemas:extension:afc:2.0:Role", name: "Role",
        description: "An AFC role; users are assigned through their 'roles' attribute",
        attributes: [SCIMAttribute("displayName", required: true), SCIMAttribute("description")])

    /// AFC identifies users exactly as written: `userName` is case-exact. Role assignments name
    /// roles of the catalog, which the schema lists as the canonical values of `roles.value`.
    public static let userSchema = userSchema(caseExactUserIds: true)

    static func userSchema(caseExactUserIds: Bool) -> SCIMSchema { SCIMSchema(
        id: SCIMSchemas.userURN, name: "User", description: "User Account",
        attributes: SCIMSchemas.user.attributes.map { attribute in
            switch attribute.name {
            case "userName":
                return SCIMAttribute("userName", required: true, caseExact: caseExactUserIds, uniqueness: .server, description: "The AFC user ID; case-sensitive.")
            case "roles":
                return SCIMAttribute("roles", .complex, multiValued: true, subAttributes: [
                    SCIMAttribute("value", required: true, caseExact: true, canonicalValues: defaultRoles.map(\.id), description: "The ID of a role in GET /Roles."),
                    SCIMAttribute("display", mutability: .readOnly),
                    SCIMAttribute("type"),
                    SCIMAttribute("primary", .boolean),
                ], description: "AFC role assignments of the user.")
            default:
                return attribute
            }
        })
    }

    public static let users = users(caseExactUserIds: true)

    static func users(caseExactUserIds: Bool) -> SCIMResourceType { SCIMResourceType(
        name: "User", endpoint: "/Users", description: "AFC user", schema: userSchema(caseExactUserIds: caseExactUserIds),
        extensions: [(SCIMSchemas.enterpriseUser, false), (SCIMSchemas.sapUser, false)])
    }

    public static let groups = SCIMResourceType(
        name: "Group", endpoint: "/Groups", description: "AFC user group", schema: SCIMSchemas.group,
        extensions: [(SCIMSchemas.customGroup, false)])
    public static let roles = SCIMResourceType(name: "Role", endpoint: "/Roles", description: "AFC role (read-only)", schema: roleSchema)

    /// The limits AFC documents.
    public static let documentedLimits = RateLimits(windowRequests: 10_000, windowSeconds: 3600, maxConcurrent: 3)

    public static let defaultRoles: [(id: String, name: String)] = [
        ("AFC_ADMINISTRATOR", "Administrator"), ("AFC_CLOSING_MANAGER", "Closing Manager"),
        ("AFC_TASK_PROCESSOR", "Task Processor"), ("AFC_TASK_REVIEWER", "Task Reviewer"),
        ("AFC_VIEWER", "Viewer"), ("AFC_API_ACCESS", "API Access"),
    ]

    /// - Parameter caseExactUserIds: AFC's rule; false only for `FakeDefect.afcCaseInsensitiveUserIds`.
    public init(clock: SimulatedClock, seed: UInt64, client: OAuthClient? = nil, basePath: String = "/scim2", tokenLifetime: Int = TokenIssuer.defaultLifetime,
                caseExactUserIds: Bool = true) {
        let client = client ?? OAuthClient(id: "sb-afc-api!b1234", secret: SecretSource.secret(purpose: "client:afc", seed: seed, deterministic: clock.deterministic),
                                           scopes: ["scim.read", "scim.write"])
        self.client = client
        directory = SCIMDirectory(types: [Self.users(caseExactUserIds: caseExactUserIds), Self.groups, Self.roles], basePath: basePath, clock: clock, seed: seed, rules: AFCRules())
        let tokens = TokenIssuer(issuer: "afc-xsuaa", clock: clock, seed: seed, accessTokenLifetime: tokenLifetime)
        endpoint = SCIMEndpoint(
            directory: directory,
            authenticator: Authenticator(tokens: tokens, clients: [client], allowsBasic: false, audiences: ["scim"]),
            configuration: SCIMEndpointConfiguration(
                defaultCount: 100, maxCount: 100, filterOperators: [.eq, .sw, .co, .gt], supportsNotAndValuePaths: false, supportsPresence: false,
                readOnlyTypes: ["Role": "Roles are read-only; assign them through a user's 'roles' attribute"]))
        seedRoles()
    }

    private func seedRoles() {
        for role in Self.defaultRoles {
            _ = try? directory.create(Self.roles, .object(JSONObject([
                ("schemas", [.string(Self.roleSchema.id)]), ("displayName", .string(role.name)),
            ])), id: role.id)
        }
    }

    public func reset() {
        directory.reset()
        seedRoles()
    }

    public func state(context: FakeContext) -> JSONValue {
        var state = SCIMSeeding.state(of: directory, context: context)
        let hidden = directory.read { s in
            (deleted: s.all("User").filter(\.hidden).map { JSONValue.string($0.resource["userName"]?.stringValue ?? $0.id) },
             synced: s.all("Group").filter { $0.flags.contains("syncedViaSCIM") }.map { JSONValue.string($0.id) },
             drafts: s.all("Group").filter { $0.flags.contains("draft") }.map { JSONValue.string($0.id) })
        }
        state["deletedUsers"] = .array(hidden.deleted)
        state["groupsSyncedViaSCIM"] = .array(hidden.synced)
        state["groupsWithDraft"] = .array(hidden.drafts)
        return state
    }

    /// `POST /_provsim/users/{id}/sign-in` makes a user Active; `POST|DELETE /_provsim/groups/{id}/draft`
    /// opens or discards a draft of a group.
    public func controlRoutes() -> RouteTable<ControlHandler> {
        var table = RouteTable<ControlHandler>()
        table.add("POST", "/users/{id}/sign-in") { _, parameters, _ in
            // Signing in activates an Inactive user and reactivates a Deleted one.
            self.mutate("User", parameters["id"], includingDeleted: true) { record in
                record.hidden = false
                record.resource["active"] = true
                var ext = record.resource[SCIMSchemas.sapUserURN] ?? .object(JSONObject())
                ext["status"] = "active"
                record.resource[SCIMSchemas.sapUserURN] = ext
            }
        }
        table.add("POST", "/groups/{id}/draft") { _, parameters, _ in self.mutate("Group", parameters["id"]) { $0.flags.insert("draft") } }
        table.add("DELETE", "/groups/{id}/draft") { _, parameters, _ in self.mutate("Group", parameters["id"]) { $0.flags.remove("draft") } }
        return table
    }

    private func mutate(_ type: String, _ id: String, includingDeleted: Bool = false, _ change: (inout SCIMRecord) -> Void) -> FakeResponse {
        do throws(SCIMError) {
            try directory.withState { (s) throws(SCIMError) in
                guard var record = s.records[type]?[id], includingDeleted || !record.hidden else { throw SCIMError.notFound("\(type) \(id) not found") }
                change(&record)
                s.put(record, type: type)
            }
            return .json(200, ["id": .string(id), "done": true])
        } catch {
            return .json(error.status, ["error": .string(error.detail)])
        }
    }
}
