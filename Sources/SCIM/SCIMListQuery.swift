import JSON

/// The query parameters of a SCIM list request (RFC 7644 §3.4.2).
public struct SCIMListQuery: Sendable {
    public var filter: SCIMFilter?
    public var filterText: String?
    /// 1-based; values below 1 are taken as 1 (RFC 7644 §3.4.2.4).
    public var startIndex = 1
    /// Requested page size; negative values are taken as 0. `nil`: the server's default.
    public var count: Int?
    public var sortBy: SCIMAttributePath?
    public var sortDescending = false
    public var attributes: [String] = []
    public var excludedAttributes: [String] = []

    public init() {}

    /// Reads the parameters; malformed values are `400 invalidValue`, a malformed filter
    /// `400 invalidFilter`.
    public init(query: [String: String]) throws(SCIMError) {
        if let f = query["filter"], !f.trimmingCharacters(in: " ").isEmpty {
            filterText = f
            filter = try SCIMFilter(parsing: f)
        }
        if let s = query["startIndex"] {
            guard let i = Int(s) else { throw SCIMError.badRequest(.invalidValue, "startIndex must be an integer, not '\(s)'") }
            startIndex = max(1, i)
        }
        if let c = query["count"] {
            guard let i = Int(c) else { throw SCIMError.badRequest(.invalidValue, "count must be an integer, not '\(c)'") }
            count = max(0, i)
        }
        if let s = query["sortBy"], !s.isEmpty {
            guard let path = SCIMAttributePath.parse(s) else { throw SCIMError.badRequest(.invalidValue, "sortBy '\(s)' is not an attribute path") }
            sortBy = path
        }
        if let order = query["sortOrder"] {
            switch order.lowercased() {
            case "ascending": sortDescending = false
            case "descending": sortDescending = true
            default: throw SCIMError.badRequest(.invalidValue, "sortOrder must be ascending or descending, not '\(order)'")
            }
        }
        attributes = Self.list(query["attributes"])
        excludedAttributes = Self.list(query["excludedAttributes"])
    }

    /// Splits a comma-separated attribute list.
    public static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: " ") }.filter { !$0.isEmpty }
    }
}

/// Paging and sorting of an in-memory result.
public enum SCIMPaging {
    /// The page of `resources` for `query`, with the total before paging.
    public static func page(_ resources: [JSONValue], query: SCIMListQuery, defaultCount: Int, maxCount: Int, resourceType: SCIMResourceType) -> (page: [JSONValue], total: Int) {
        var sorted = resources
        if let sortBy = query.sortBy {
            let definition = resourceType.attribute(for: sortBy)
            let exact = definition?.caseExact ?? false
            func key(_ r: JSONValue) -> JSONValue? {
                guard let v = SCIMResourceAccess.value(of: sortBy, in: r, resourceType: resourceType) else { return nil }
                let first = v.arrayValue?.first ?? v
                if case .object = first { return first.member(caseInsensitive: "value") }
                return first
            }
            sorted = sorted.sorted { a, b in
                let ka = key(a)
                let kb = key(b)
                switch (ka, kb) {
                case (nil, nil): return false
                case (nil, _): return false  // missing values sort last either way
                case (_, nil): return true
                case (let x?, let y?):
                    let less = SCIMPaging.less(x, y, caseExact: exact)
                    let greater = SCIMPaging.less(y, x, caseExact: exact)
                    return query.sortDescending ? greater : less
                }
            }
        }
        return (Array(sorted[window(startIndex: query.startIndex, count: min(query.count ?? defaultCount, maxCount), total: sorted.count)]), sorted.count)
    }

    /// The positions of one page (`startIndex` counts from 1) among `total` results: empty past
    /// the end or for `count` 0.
    public static func window(startIndex: Int, count: Int, total: Int) -> Range<Int> {
        let start = max(startIndex - 1, 0)
        guard start < total, count > 0 else { return 0..<0 }
        return start..<(start + min(count, total - start))
    }

    static func less(_ a: JSONValue, _ b: JSONValue, caseExact: Bool) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return caseExact ? x < y : x.lowercased() < y.lowercased()
        case (.number(let x), .number(let y)): return x < y
        case (.bool(let x), .bool(let y)): return !x && y
        default: return a.textValue < b.textValue
        }
    }

    /// A ListResponse message (RFC 7644 §3.4.2).
    public static func listResponse(_ resources: [JSONValue], totalResults: Int, startIndex: Int, itemsPerPage: Int? = nil) -> JSONValue {
        .object(JSONObject([
            ("schemas", [.string(SCIMSchemas.listResponseURN)]),
            ("totalResults", JSONValue(totalResults)),
            ("itemsPerPage", JSONValue(itemsPerPage ?? resources.count)),
            ("startIndex", JSONValue(startIndex)),
            ("Resources", .array(resources)),
        ]))
    }
}
