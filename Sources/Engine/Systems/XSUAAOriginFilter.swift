import SCIM

/// `xsuaa.origin.filter.enabled`: an XSUAA source or proxy reads only users whose origin is one
/// of `xsuaa.origin` (docs/fidelity.md, “UAA and XSUAA”). `xsuaa.origin` may list several origins,
/// separated by `;` (the only delimiter), which the filter joins with `or`.
extension SystemProperties {
    /// The SCIM filter on users (`origin eq "a" or origin eq "b"`), or nil when the filter is off
    /// or the system is not XSUAA. Enabled without `xsuaa.origin` is an error: IPS fails the job.
    public func xsuaaOriginFilter() throws(ConnectorError) -> SCIMFilter? {
        guard type == .xsuaa, values["xsuaa.origin.filter.enabled"] == "true" else { return nil }
        let origins = (values["xsuaa.origin"] ?? "").split(separator: ";")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !origins.isEmpty else {
            throw ConnectorError("xsuaa.origin.filter.enabled is true, but xsuaa.origin names no origin to read")
        }
        return SCIMFilter.any(origins.map { .compare(SCIMAttributePath(attribute: "origin"), .eq, .string($0)) })
    }
}
