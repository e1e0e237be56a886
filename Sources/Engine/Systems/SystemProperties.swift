import Foundation

/// The properties of one system, checked against `PropertyCatalog` when built, with typed
/// accessors that apply IPS's defaults and its precedence (system-specific over `scim.*`).
public struct SystemProperties: Sendable {
    public let values: [String: String]
    let type: SystemType

    /// Checks every name and value; the first problem is thrown with the property's name (a
    /// credential's value is never repeated).
    public init(_ values: [String: String], type: SystemType, role: SystemRole) throws(SystemsError) {
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard let entry = PropertyCatalog.entry(name, type: type) else {
                throw SystemsError(field: "properties.\(name)", message: "unknown property '\(name)' for a \(type.rawValue) system")
            }
            if let roles = entry.roles, !roles.contains(role) {
                throw SystemsError(field: "properties.\(name)", message: "'\(name)' does not apply to a \(role.rawValue) system (only \(roles.map(\.rawValue).sorted().joined(separator: ", ")))")
            }
            if let problem = Self.problem(with: value, kind: entry.kind) {
                let shown = entry.kind == .secret ? "" : " '\(value)'"
                throw SystemsError(field: "properties.\(name)", message: "value\(shown) \(problem)")
            }
        }
        // Valid in IPS, but a certificate cannot be simulated: refused rather than silently
        // replaced by Basic authentication.
        if values["Authentication"] == "ClientCertificateAuthentication" {
            throw SystemsError(field: "properties.Authentication", message: "ClientCertificateAuthentication is valid in IPS but not simulated by provsim: use BasicAuthentication or OAuth2TokenServiceURL")
        }
        // IPS: for HTTP 502 on XSUAA the retry interval must not exceed 50 seconds (docs/fidelity.md, “The provisioning engine”).
        if type == .xsuaa, let interval = values["ips.failed.request.retry.attempts.interval"].flatMap({ Int($0) }), interval > 50 {
            throw SystemsError(field: "properties.ips.failed.request.retry.attempts.interval", message: "value '\(interval)' must be between 0 and 50 for an XSUAA system (its 502 retries)")
        }
        self.values = values
        self.type = type
    }

    private static func problem(with value: String, kind: PropertyCatalog.Kind) -> String? {
        switch kind {
        case .text, .secret: return nil
        case .url:
            return value.hasPrefix("http://") || value.hasPrefix("https://") ? nil : "is not an http(s) URL"
        case .boolean:
            return ["true", "false"].contains(value) ? nil : "must be true or false"
        case .switchValue:
            return ["enabled", "disabled", "true", "false"].contains(value) ? nil : "must be enabled or disabled"
        case .integer(let range):
            guard let n = Int(value) else { return "must be a whole number without separators" }
            return range.contains(n) ? nil : "must be between \(range.lowerBound) and \(range.upperBound == Int.max ? "any larger number" : String(range.upperBound))"
        case .choice(let options):
            return options.contains(value) ? nil : "must be one of \(options.joined(separator: ", ")) (case-sensitive)"
        }
    }

    public subscript(name: String) -> String? { values[name] }

    /// The properties set here that IPS knows and provsim does not simulate, in name order.
    public var notSimulated: [String] {
        values.keys.filter { PropertyCatalog.entry($0, type: type)?.simulated == false }.sorted()
    }

    /// A SCIM-family property: `<prefix>.<suffix>` wins over `scim.<suffix>`.
    public func scim(_ suffix: String) -> String? {
        values["\(type.propertyPrefix).\(suffix)"] ?? values["scim.\(suffix)"]
    }

    func bool(_ name: String, default fallback: Bool) -> Bool {
        guard let v = values[name] else { return fallback }
        return v == "true" || v == "enabled"
    }

    /// The Content-Type of SCIM writes: `*.content.type`, else UAA's JSON or SCIM's (docs/fidelity.md, “The provisioning engine”).
    public func scimContentType(uaa: Bool) -> String {
        scim("content.type") ?? (uaa ? "application/json" : "application/scim+json")
    }

    /// `If-Match: *` on updates: UAA demands a version on every change; other SCIM servers get it
    /// with `*.include.if.match.wildcard.header` (docs/fidelity.md, “The provisioning engine”).
    public func scimChangeHeaders(uaa: Bool) -> [(name: String, value: String)] {
        uaa || scimBool("include.if.match.wildcard.header", default: false) ? [("if-match", "*")] : []
    }

    public func scimBool(_ suffix: String, default fallback: Bool) -> Bool {
        guard let v = scim(suffix) else { return fallback }
        return v == "true"
    }

    func int(_ name: String) -> Int? { values[name].flatMap { Int($0) } }

    /// `ips.http.header.<name>` headers, in name order.
    var extraHeaders: [(String, String)] {
        values.filter { $0.key.hasPrefix("ips.http.header.") }
            .sorted { $0.key < $1.key }
            .map { (String($0.key.dropFirst("ips.http.header.".count)), $0.value) }
    }

    /// Unique attributes for conflict resolution: comma-joined SCIM paths.
    func uniqueAttributes(for entity: String, default fallback: String) -> [String] {
        (scim("\(entity).unique.attribute") ?? fallback)
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
