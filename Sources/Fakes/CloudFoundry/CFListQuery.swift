import JSON

/// The query of a V3 list endpoint: paging (`page`, `per_page` 1…5000, default 50), `order_by`
/// (`-` for descending), comma-separated filters and `include`; unknown parameters are 400
/// `CF-BadQueryParameter`, as the Cloud Controller answers.
struct CFListQuery {
    var page = 1
    var perPage = 50
    var orderBy = "created_at"
    var descending = false
    var filters: [String: [String]] = [:]
    var include: [String] = []
    let query: [String: String]

    init(_ query: [String: String], filters: [String], orderBy: [String] = ["created_at", "updated_at"], include: [String] = []) throws(CFError) {
        self.query = query
        let valid = ["page", "per_page", "order_by", "label_selector"] + filters + (include.isEmpty ? [] : ["include"])
        let unknown = query.keys.filter { !valid.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw CFError.badQuery("Unknown query parameter(s): \(unknown.map { "'\($0)'" }.joined(separator: ", ")). Valid parameters are: \(valid.map { "'\($0)'" }.joined(separator: ", "))")
        }
        if let p = query["page"] {
            guard let n = Int(p), n >= 1 else { throw CFError.badQuery("Page must be greater than 0") }
            page = n
        }
        if let p = query["per_page"] {
            guard let n = Int(p), (1...5000).contains(n) else { throw CFError.badQuery("Per page must be between 1 and 5000") }
            perPage = n
        }
        if let o = query["order_by"] {
            descending = o.hasPrefix("-")
            let field = o.hasPrefix("-") || o.hasPrefix("+") ? String(o.dropFirst()) : o
            guard orderBy.contains(field) else {
                throw CFError.badQuery("Order by can only be: \(orderBy.map { "'\($0)'" }.joined(separator: ", "))")
            }
            self.orderBy = field
        }
        for name in filters {
            if let value = query[name] { self.filters[name] = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        if let i = query["include"] {
            let requested = i.split(separator: ",").map(String.init)
            if let bad = requested.first(where: { !include.contains($0) }) {
                throw CFError.badQuery("Invalid included resource: '\(bad)'. Valid included resources are: \(include.map { "'\($0)'" }.joined(separator: ", "))")
            }
            self.include = requested
        }
    }

    /// Whether a filter is absent or lists `value`.
    func allows(_ name: String, _ value: String?) -> Bool {
        guard let wanted = filters[name] else { return true }
        guard let value else { return false }
        return wanted.contains(value)
    }

    /// Sorts by `order_by` and cuts out the page.
    func page<T>(_ items: [T], key: (T, String) -> String) -> (page: [T], total: Int) {
        var sorted = items
        if orderBy != "created_at" || descending {
            let keyed = items.enumerated().map { (offset: $0.offset, key: key($0.element, orderBy), item: $0.element) }
            sorted = keyed.sorted { a, b in
                if a.key != b.key { return descending ? a.key > b.key : a.key < b.key }
                return descending ? a.offset > b.offset : a.offset < b.offset
            }.map(\.item)
        }
        let start = (page - 1) * perPage
        guard start < sorted.count else { return ([], sorted.count) }
        return (Array(sorted[start..<min(sorted.count, start + perPage)]), sorted.count)
    }

    /// `{"pagination": {...}, "resources": [...]}` (+ `included`), with hrefs that keep the
    /// other parameters.
    func response(_ resources: [JSONValue], total: Int, url: String, included: [(String, JSONValue)] = []) -> JSONValue {
        let pages = max(1, (total + perPage - 1) / perPage)
        let others = query.filter { $0.key != "page" && $0.key != "per_page" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(Self.encoded($0.value))" }.joined(separator: "&")
        func href(_ p: Int) -> JSONValue {
            link("\(url)?page=\(p)&per_page=\(perPage)" + (others.isEmpty ? "" : "&" + others))
        }
        var members: [(String, JSONValue)] = [
            ("pagination", .object(JSONObject([
                ("total_results", JSONValue(total)), ("total_pages", JSONValue(pages)),
                ("first", href(1)), ("last", href(pages)),
                ("next", page < pages ? href(page + 1) : .null), ("previous", page > 1 ? href(min(page - 1, pages)) : .null),
            ]))),
            ("resources", .array(resources)),
        ]
        if !included.isEmpty { members.append(("included", .object(JSONObject(included)))) }
        return .object(JSONObject(members))
    }

    static func encoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if byte < 0x80, c.isLetter || c.isNumber || "-_.~,".contains(c) {
                out.append(c)
            } else {
                out += (byte < 0x10 ? "%0" : "%") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
