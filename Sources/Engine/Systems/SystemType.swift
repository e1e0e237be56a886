/// The kinds of system the engine can read from and write to.
public enum SystemType: String, Sendable, CaseIterable {
    case identityDirectory = "identity-directory"
    case xsuaa
    case cfPlatformMembers = "cf-platform-members"
    case afc
    case scim

    /// The prefix of the system's own property family (`xsuaa.group.prefix`, `scim.*` is shared).
    public var propertyPrefix: String {
        switch self {
        case .identityDirectory: return "idds"
        case .xsuaa: return "xsuaa"
        case .cfPlatformMembers: return "btp.cf.pm"
        case .afc: return "s4hana.afc"
        case .scim: return "scim"
        }
    }

    /// `builtin:` names of the default transformations.
    public var defaultReadTransformation: String { "\(rawValue)-read" }
    public var defaultWriteTransformation: String { "\(rawValue)-write" }
    /// The proxy defaults SAP prints (XSUAA and Platform Members); other types have none.
    public var defaultProxyTransformations: (read: String, write: String)? {
        switch self {
        case .xsuaa, .cfPlatformMembers: return ("\(rawValue)-proxy-read", "\(rawValue)-proxy-write")
        case .identityDirectory, .afc, .scim: return nil
        }
    }

    /// Where the SCIM resources live below `URL` (AFC's path is not documented; the fake's is used).
    /// Where the SCIM endpoints sit below the system's `URL`.
    public var scimPath: String {
        switch self {
        case .identityDirectory: return "/scim"
        case .afc: return "/scim2"
        case .xsuaa, .scim, .cfPlatformMembers: return ""
        }
    }
}

/// What a system is used for.
public enum SystemRole: String, Sendable, CaseIterable {
    case source
    case target
    case proxy
}
