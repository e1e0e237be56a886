import JSON

/// How the proxy reports `totalResults` when a read-transformation condition filtered a page
/// (`ips.proxy.scim.total.results.strategy`).
public enum TotalResultsStrategy: String, Sendable, CaseIterable {
    /// An estimate: `startIndex + count` until the back-end runs dry, then the exact number.
    case calculated = "Calculated"
    /// The back-end's own total, when it reports one.
    case provided = "Provided"
}

/// One page of a proxy list read, as IPS builds it (docs/fidelity.md, “Proxy systems”): the read transformation's
/// conditions filter *after* the back-end page is read, so `itemsPerPage` is the number of
/// entities read from the back-end (a client advances `startIndex` by it), `Resources` holds those
/// that passed (possibly none while more follow), and `totalResults` follows the strategy.
public struct ProxyListPage: Sendable {
    /// The transformed entities that passed the conditions, in back-end order.
    public var resources: [JSONValue]
    /// 1-based index of the first back-end entity of this page.
    public var startIndex: Int
    /// The `count` the client asked for.
    public var count: Int
    /// How many entities the back-end returned for this page.
    public var backendPageSize: Int
    /// The back-end's total, when it reports one.
    public var backendTotal: Int?
    /// Whether a read-transformation condition applies to this entity type.
    public var conditionApplies: Bool
    public var strategy: TotalResultsStrategy

    public init(resources: [JSONValue], startIndex: Int, count: Int, backendPageSize: Int, backendTotal: Int?, conditionApplies: Bool, strategy: TotalResultsStrategy) {
        self.resources = resources
        self.startIndex = startIndex
        self.count = count
        self.backendPageSize = backendPageSize
        self.backendTotal = backendTotal
        self.conditionApplies = conditionApplies
        self.strategy = strategy
    }

    /// - The back-end's total when it has one and no condition applies, or the strategy is
    ///   `Provided`.
    /// - Otherwise an estimate: `startIndex + count` while the back-end still delivers; once a page
    ///   comes back empty, the exact number (the back-end's total, or everything before this page);
    ///   a back-end without totals that delivers less than `count` has shown its end, so the exact
    ///   number read is known.
    public var totalResults: Int {
        if let backendTotal, !conditionApplies || strategy == .provided { return backendTotal }
        // Saturating: a client may ask for any startIndex, and a back-end may answer it.
        if backendPageSize == 0 { return backendTotal ?? (startIndex - 1) }
        if backendTotal == nil, backendPageSize < count { return (startIndex - 1).addingReportingOverflow(backendPageSize).overflow ? Int.max : startIndex - 1 + backendPageSize }
        return startIndex.addingReportingOverflow(count).overflow ? Int.max : startIndex + count
    }

    public var json: JSONValue {
        .object(JSONObject([
            ("schemas", .array([.string("urn:ietf:params:scim:api:messages:2.0:ListResponse")])),
            ("totalResults", JSONValue(totalResults)),
            ("itemsPerPage", JSONValue(backendPageSize)),
            ("startIndex", JSONValue(startIndex)),
            ("Resources", .array(resources)),
        ]))
    }
}
