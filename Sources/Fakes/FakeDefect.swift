import Hosting

/// A deliberate deviation from the real service. Never on by default: a test switches one on to
/// prove that a scenario suite notices when a fake (or a connector relying on it) gets a rule
/// wrong. A check that cannot fail proves nothing.
public enum FakeDefect: String, Sendable, CaseIterable {
    /// Cloud Foundry assigns a space role to a user who has no role in the space's organization
    /// (the real Cloud Controller answers 422, code 10008).
    case cfSpaceRoleWithoutOrgUser = "cf-space-role-without-org-user"
    /// AFC compares user IDs ignoring case (the real AFC is case-sensitive).
    case afcCaseInsensitiveUserIds = "afc-case-insensitive-user-ids"
    /// UAA and XSUAA accept a second user with the same userName and origin (the real ones
    /// answer 409 `scim_resource_already_exists`).
    case uaaDuplicateUserNames = "uaa-duplicate-user-names"
    /// Access tokens live UAA's default twelve hours whatever lifetime was configured.
    case tokensIgnoreLifetime = "tokens-ignore-lifetime"
}
