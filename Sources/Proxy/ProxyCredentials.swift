import Hosting

/// The permissions of an SAP Cloud Identity Services administrator of type *System* that the
/// inbound APIs check (docs/fidelity.md, “Proxy systems” and “Real-time provisioning”). Carried as scopes of the technical user's
/// client and tokens.
public enum ProxyPermission: String, Sendable, CaseIterable {
    case proxySystemAPI = "ips.proxy.system.api"
    case realTimeProvisioningAPI = "ips.realtime.provisioning.api"

    /// The permission's name in the administration console.
    public var displayName: String {
        switch self {
        case .proxySystemAPI: return "Access Proxy System API"
        case .realTimeProvisioningAPI: return "Access Real-Time Provisioning API"
        }
    }
}

/// A technical user of the tenant: client ID and secret (Basic, or for `/oauth2/token`) and its
/// permissions.
public struct ProxyTechnicalUser: Sendable {
    public let clientId: String
    public let secret: String
    public var permissions: Set<ProxyPermission>

    public init(clientId: String, secret: String, permissions: Set<ProxyPermission>) {
        self.clientId = clientId
        self.secret = secret
        self.permissions = permissions
    }

    /// The default technical user of a served proxy: both permissions, a random secret (derived
    /// from the seed when `deterministic`: the same seed, the same secret).
    public static func standard(seed: UInt64, deterministic: Bool) -> ProxyTechnicalUser {
        ProxyTechnicalUser(clientId: "ips-technical-user", secret: SecretSource.secret(purpose: "proxy:technical-user", seed: seed, deterministic: deterministic),
                           permissions: Set(ProxyPermission.allCases))
    }

    var client: OAuthClient {
        OAuthClient(id: clientId, secret: secret, scopes: permissions.map(\.rawValue).sorted())
    }
}
