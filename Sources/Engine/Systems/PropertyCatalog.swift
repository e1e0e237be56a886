/// The property names IPS knows, with the roles they apply to and the values they take, so that a
/// misspelt name or a wrong value is reported instead of silently ignored.
struct PropertyCatalog {
    enum Kind: Equatable {
        case text
        case secret
        case url
        case boolean
        /// `enabled`/`disabled` (IPS also accepts `true`/`false` in places).
        case switchValue
        case integer(ClosedRange<Int>)
        case choice([String])
    }

    struct Entry {
        let kind: Kind
        /// `nil`: all roles.
        let roles: Set<SystemRole>?
        /// `false` for properties IPS knows and provsim accepts without simulating them (each job
        /// log says so, nothing is silently ignored).
        var simulated = true
    }

    /// Connection properties of every HTTP system. Values of `Type`, `ProxyType` and
    /// `Authentication` are case-sensitive, as in IPS.
    static let connection: [String: Entry] = [
        "Type": Entry(kind: .choice(["HTTP"]), roles: nil),
        "URL": Entry(kind: .url, roles: nil),
        "ProxyType": Entry(kind: .choice(["Internet", "OnPremise"]), roles: nil),
        "Authentication": Entry(kind: .choice(["NoAuthentication", "BasicAuthentication", "ClientCertificateAuthentication"]), roles: nil),
        "User": Entry(kind: .text, roles: nil),
        "Password": Entry(kind: .secret, roles: nil),
        "client_id": Entry(kind: .text, roles: nil),
        "OAuth2TokenServiceURL": Entry(kind: .url, roles: nil),
        "OAuth2TokenScope": Entry(kind: .text, roles: nil),
        "AuthType": Entry(kind: .choice(["Basic", "Form"]), roles: nil),
        "TrustAll": Entry(kind: .boolean, roles: nil, simulated: false),
        "CloudConnectorLocationId": Entry(kind: .text, roles: nil, simulated: false),
        "destinationName": Entry(kind: .text, roles: nil, simulated: false),
    ]

    static let generic: [String: Entry] = [
        "ips.date.variable.format": Entry(kind: .text, roles: nil),
        "ips.delete.existedbefore.entities": Entry(kind: .boolean, roles: [.target, .proxy]),
        "ips.delete.threshold.users": Entry(kind: .integer(1...Int.max), roles: [.target]),
        "ips.delete.threshold.groups": Entry(kind: .integer(1...Int.max), roles: [.target]),
        "ips.delete.threshold.roles": Entry(kind: .integer(1...Int.max), roles: [.target], simulated: false),
        "ips.overwrite.existedbefore.assignments": Entry(kind: .boolean, roles: [.target], simulated: false),
        "ips.failed.request.retry.attempts": Entry(kind: .integer(0...3), roles: nil),
        "ips.failed.request.retry.attempts.interval": Entry(kind: .integer(0...60), roles: nil),
        "ips.delta.read": Entry(kind: .switchValue, roles: [.source]),
        "ips.full.read.force.count": Entry(kind: .integer(1...Int.max), roles: [.source]),
        "ips.application.id": Entry(kind: .text, roles: [.source, .target]),
        "csrf.token.path": Entry(kind: .text, roles: nil, simulated: false),
        "ips.job.notification.repeat.on.failure": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.job.notification.ignored.consecutive.failures": Entry(kind: .integer(0...Int.max), roles: [.source], simulated: false),
        "ips.job.notification.skip.intermediate.notifications": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.trace.failed.entity.content": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.trace.skipped.entity.content": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.trace.created.entity.content": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.trace.updated.entity.content": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.trace.skipped.entity": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.trace.deleted.entity": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.trace.created.entity": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.trace.updated.entity": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.trace.entity.content.unlimited": Entry(kind: .boolean, roles: [.source], simulated: false),
        "ips.proxy.scim.total.results.strategy": Entry(kind: .choice(["Calculated", "Provided"]), roles: [.proxy]),
    ]

    /// The SCIM family: valid as `scim.<suffix>` and as `<system prefix>.<suffix>`.
    static let scimFamily: [String: Entry] = [
        "user.filter": Entry(kind: .text, roles: [.source, .proxy]),
        "group.filter": Entry(kind: .text, roles: [.source, .proxy]),
        "user.unique.attribute": Entry(kind: .text, roles: [.target]),
        "group.unique.attribute": Entry(kind: .text, roles: [.target]),
        "support.patch.operation": Entry(kind: .boolean, roles: [.target, .proxy]),
        "include.if.match.wildcard.header": Entry(kind: .boolean, roles: [.target, .proxy]),
        "content.type": Entry(kind: .text, roles: [.target, .proxy]),
        "group.prefix": Entry(kind: .text, roles: [.source, .target]),
        "patch.group.members.above.threshold": Entry(kind: .integer(1...200_000), roles: [.target]),
        "group.members.paging.enabled": Entry(kind: .boolean, roles: nil, simulated: false),
        "user.groups.paging.enabled": Entry(kind: .boolean, roles: nil, simulated: false),
        "group.members.page.size": Entry(kind: .integer(1...Int.max), roles: nil, simulated: false),
        "support.bulk.operation": Entry(kind: .boolean, roles: [.target], simulated: false),
        "bulk.operations.max.count": Entry(kind: .integer(1...Int.max), roles: [.target], simulated: false),
        "user.update.instead.delete": Entry(kind: .boolean, roles: [.target], simulated: false),
        "user.automatic.conflict.resolution": Entry(kind: .boolean, roles: [.target]),
        // Accepted so that exported systems load (docs/fidelity.md, “The provisioning engine”); provsim's fakes need no CSRF
        // token and group members carry no additional attributes.
        "api.csrf.protection": Entry(kind: .switchValue, roles: nil, simulated: false),
        "csrf.token.path": Entry(kind: .text, roles: nil, simulated: false),
        "group.members.additional.attributes": Entry(kind: .text, roles: nil, simulated: false),
    ]

    /// Properties only one system type knows (without its prefix).
    static let specific: [SystemType: [String: Entry]] = [
        .xsuaa: [
            "origin": Entry(kind: .text, roles: nil),
            "origin.filter.enabled": Entry(kind: .boolean, roles: [.source, .proxy]),
            "patch.response.with.resource": Entry(kind: .boolean, roles: [.proxy]),
        ],
        .cfPlatformMembers: [
            "origin": Entry(kind: .text, roles: nil),
            "landscape": Entry(kind: .text, roles: nil),
            // SAP's default proxy read transformation prefixes group names with it.
            "group.prefix": Entry(kind: .text, roles: [.source, .target, .proxy]),
        ],
    ]

    /// provsim's own switches (not IPS properties), documented in docs/engine.md.
    static let provsim: [String: Entry] = [
        "provsim.pacing": Entry(kind: .switchValue, roles: nil),
        "provsim.request.timeout": Entry(kind: .integer(1...3600), roles: nil),
        "provsim.page.size": Entry(kind: .integer(1...1000), roles: [.source]),
        "provsim.parallel.requests": Entry(kind: .integer(1...64), roles: [.target]),
        "provsim.retry.statuses": Entry(kind: .text, roles: nil),
        "provsim.cf.role.order": Entry(kind: .choice(["hierarchy", "source"]), roles: [.target, .proxy]),
    ]

    /// The entry for `name` on a system of `type`, or `nil` when IPS does not know the name.
    static func entry(_ name: String, type: SystemType) -> Entry? {
        if let e = connection[name] ?? generic[name] ?? provsim[name] { return e }
        if name.hasPrefix("ips.http.header."), name.count > "ips.http.header.".count { return Entry(kind: .text, roles: nil) }
        for prefix in Set(["scim", type.propertyPrefix]) where name.hasPrefix(prefix + ".") {
            let suffix = String(name.dropFirst(prefix.count + 1))
            if prefix == type.propertyPrefix, let e = specific[type]?[suffix] { return e }
            if let e = scimFamily[suffix] { return e }
        }
        return nil
    }
}

/// Whether a name (a system property, an HTTP header) stands for a secret, whose value must not
/// be printed: the catalog's secrets, credentials headers, and names that say so.
public enum SecretNames {
    public static func isSecret(_ name: String) -> Bool {
        let lower = name.lowercased()
        // Also as `ips.http.header.Authorization`, a header every request carries.
        if ["authorization", "cookie", "set-cookie"].contains(where: { lower == $0 || lower.hasSuffix("." + $0) || lower.hasSuffix("-" + $0) }) { return true }
        return ["password", "secret", "token", "apikey", "api-key", "credential"].contains { lower.contains($0) }
    }

    /// `value` as reports show it: not at all when `name` stands for a secret.
    public static func shown(_ name: String, _ value: String) -> String {
        isSecret(name) ? "(not shown)" : value
    }
}

