import Chrono
import Hosting
import JSON
import SCIM

/// The Identity Directory (Local Identity Directory / SAP Cloud Identity Services) as a SCIM 2.0
/// source: users with the enterprise, SAP and custom extensions, groups with SAP's extensions,
/// full CRUD, PATCH, filters, paging, and `meta.lastModified` for delta reads.
public final class IdentityDirectory: SCIMFakeService {
    public let name = "identity-directory"
    public let directory: SCIMDirectory
    public let endpoint: SCIMEndpoint
    public let client: OAuthClient

    /// The Identity Directory assigns `userUuid` itself: read-only for clients.
    public static let sapUserSchema = SCIMSchema(
        id: SCIMSchemas.sapUserURN, name: SCIMSchemas.sapUser.name, description: SCIMSchemas.sapUser.description,
        attributes: SCIMSchemas.sapUser.attributes.map { attribute in
            attribute.name == "userUuid"
                ? SCIMAttribute("userUuid", caseExact: true, mutability: .readOnly, uniqueness: .server, description: "The global user ID, assigned by the Identity Directory.")
                : attribute
        })

    public static let users = SCIMResourceType(
        name: "User", endpoint: "/Users", description: "User Account", schema: SCIMSchemas.user,
        extensions: [(SCIMSchemas.enterpriseUser, false), (sapUserSchema, false), (SCIMSchemas.customUser, false)])
    public static let groups = SCIMResourceType(
        name: "Group", endpoint: "/Groups", description: "Group", schema: SCIMSchemas.group,
        extensions: [(SCIMSchemas.sapGroup, false), (SCIMSchemas.customGroup, false)])

    /// - Parameters:
    ///   - client: the OAuth client (also accepted as HTTP Basic, as the Identity Directory allows).
    public init(clock: SimulatedClock, seed: UInt64, client: OAuthClient? = nil, basePath: String = "/scim", tokenLifetime: Int = TokenIssuer.defaultLifetime) {
        let client = client ?? OAuthClient(id: "identity-directory-admin", secret: SecretSource.secret(purpose: "client:identity-directory", seed: seed, deterministic: clock.deterministic),
                                           scopes: ["scim.read", "scim.write"])
        self.client = client
        directory = SCIMDirectory(types: [Self.users, Self.groups], basePath: basePath, clock: clock, seed: seed, rules: IdentityDirectoryRules())
        let tokens = TokenIssuer(issuer: "identity-directory", clock: clock, seed: seed, accessTokenLifetime: tokenLifetime)
        endpoint = SCIMEndpoint(
            directory: directory,
            authenticator: Authenticator(tokens: tokens, clients: [client], allowsBasic: true, audiences: ["scim"]),
            configuration: SCIMEndpointConfiguration(defaultCount: 100, maxCount: 500))
    }

}

/// The Identity Directory gives every user a `userUuid` (SAP user extension) when none is sent.
struct IdentityDirectoryRules: SCIMDirectoryRules {
    func prepareCreate(_ resource: inout JSONValue, type: SCIMResourceType, state: SCIMDirectoryState) throws(SCIMError) -> String? {
        nil
    }

    func didWrite(_ record: inout SCIMRecord, type: SCIMResourceType) {
        guard type.name == "User" else { return }
        var ext = record.resource[SCIMSchemas.sapUserURN] ?? .object(JSONObject())
        if ext["userUuid"] == nil {
            ext["userUuid"] = .string(record.id)
            record.resource[SCIMSchemas.sapUserURN] = ext
            if case .array(var schemas)? = record.resource["schemas"], !schemas.contains(.string(SCIMSchemas.sapUserURN)) {
                schemas.append(.string(SCIMSchemas.sapUserURN))
                record.resource["schemas"] = .array(schemas)
            }
        }
    }
}
