/// The kinds of system the engine can read from and write to.
public enum SystemType: String, Sendable, CaseIterable {
    case identityDirectory = "identity-directory"
    case xsuaa
    case cfPlatformMembers = "cf-platform-members"
    case afc
    case scim

    /// SCIM-based targets find an existing entity through its unique attributes (conflicts,
    /// `skipOperations: ["create"]`); Cloud Foundry's roles are not SCIM.
    public var isSCIMBased: Bool {
        self != .cfPlatformMembers
    }

    /// Targets that honour the `supportedOperations` of application-specific groups (reference
    /// 2.9 names the Identity Directory and Identity Authentication, which provsim does not model).
    public var honoursSupportedOperations: Bool {
        self == .identityDirectory
    }

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
    /// The `builtin:` names a system of this type falls back to in `role`: a source its read
    /// transformation, a target its write transformation, a proxy both (`write` for its
    /// `writeTransformation:`). SAP prints proxy defaults only for XSUAA and Platform Members:
    /// nil for other proxies.
    public func defaultTransformations(as role: SystemRole) -> (transformation: String, write: String?)? {
        switch (role, self) {
        case (.source, _): return (defaultReadTransformation, nil)
        case (.target, _): return (defaultWriteTransformation, nil)
        case (.proxy, .xsuaa), (.proxy, .cfPlatformMembers): return ("\(rawValue)-proxy-read", "\(rawValue)-proxy-write")
        case (.proxy, _): return nil
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
