/// Default transformations that ship with provsim, addressable as `builtin:<name>` wherever a
/// transformation file is expected (command line, scenarios, systems files).
public enum BuiltinTransformations {
    /// Name → document text, in a stable order for listings.
    public static let all: [(name: String, text: String)] = [
        ("xsuaa-proxy-read", XSUAAProxyTransformations.read),
        ("xsuaa-proxy-write", XSUAAProxyTransformations.write),
        ("cf-platform-members-proxy-read", PlatformMembersProxyTransformations.read),
        ("cf-platform-members-proxy-write", PlatformMembersProxyTransformations.write),
        ("identity-directory-read", SCIMSystemTransformations.read),
        ("identity-directory-write", SCIMSystemTransformations.write),
        ("scim-read", SCIMSystemTransformations.read),
        ("scim-write", SCIMSystemTransformations.write),
        ("xsuaa-read", XSUAATransformations.read),
        ("xsuaa-write", XSUAATransformations.write),
        ("afc-read", AFCTransformations.read),
        ("afc-write", AFCTransformations.write),
        ("cf-platform-members-read", PlatformMembersTransformations.read),
        ("cf-platform-members-write", PlatformMembersTransformations.write),
    ]

    public static let prefix = "builtin:"

    public static func text(named name: String) -> String? {
        all.first { $0.name == name }?.text
    }

    /// Resolves `builtin:<name>` references; `nil` for anything else.
    public static func text(forReference reference: String) -> String? {
        guard reference.hasPrefix(prefix) else { return nil }
        return text(named: String(reference.dropFirst(prefix.count)))
    }
}
