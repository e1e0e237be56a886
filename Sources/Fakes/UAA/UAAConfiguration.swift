import Hosting

/// Which product the UAA fake plays, and its tunables.
public struct UAAConfiguration: Sendable {
    public enum Flavour: String, Sendable {
        /// Cloud Foundry's UAA (open source): groups have generated IDs.
        case uaa
        /// SAP BTP XSUAA's User Management (SCIM) API: groups are role collections whose ID is the
        /// name, a group PUT evaluates only `description` and `members`, PATCH of a missing role
        /// collection answers 204, and requests are limited per subaccount.
        case xsuaa
    }

    public var flavour: Flavour
    /// The identity zone every resource reports as `zoneId`.
    public var zoneId: String
    /// `count` when none is given, and the cap (UAA's `userMaxCount`/`groupMaxCount`).
    public var defaultCount = 100
    public var maxCount = 500
    /// Access-token validity in simulated seconds.
    public var tokenLifetime = TokenIssuer.defaultLifetime
    /// (origin, userName) is unique, case-insensitively; only `FakeDefect.uaaDuplicateUserNames`
    /// turns this off.
    public var uniqueUserNames = true

    public init(flavour: Flavour, zoneId: String? = nil) {
        self.flavour = flavour
        self.zoneId = zoneId ?? (flavour == .uaa ? "uaa" : "provsim-subaccount")
    }

    /// XSUAA's documented limit for `/Users` and `/Groups`: 3 requests per second per subaccount,
    /// more queued, then 429. How deep the queue is before "significantly exceeding" is not
    /// documented; 10 waiting requests (about 3 s) is our choice (docs/fidelity.md).
    public static let xsuaaLimits = RateLimits(perSecond: 3, queueDepth: 10, exemptPaths: ["/oauth/token"])
}
