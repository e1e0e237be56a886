import Hosting
import JSON

/// The query of a V3 list endpoint: paging (`page` ≥ 1, `per_page` 1…5000, default 50),
/// `order_by` (`-` for descending), comma-separated filters and `include`. Invalid parameters are
/// refused as the Cloud Controller refuses them: 400 `CF-BadQueryParameter` on organizations and
/// spaces, 422 `CF-UnprocessableEntity` on users and roles (whose controllers validate the list
/// message as a body), with the Cloud Controller's messages joined by ", ".
struct CFListQuery {
    /// How an endpoint reports an invalid query.
    enum Refusal {
        /// 400 CF-BadQueryParameter, "The query parameter is invalid: …" (organizations, spaces).
        case badQuery
        /// 422 CF-UnprocessableEntity with the bare message (users, roles).
        case unprocessable

        func error(_ messages: [String]) -> CFError {
            let detail = messages.joined(separator: ", ")
            switch self {
            case .badQuery: return .badQuery(detail)
            case .unprocessable: return .unprocessable(detail)
            }
        }
    }

    var page = 1
    var perPage = 50
    var orderBy = "created_at"
    var descending = false
    var filters: [String: [String]] = [:]
    var include: [String] = []
    let query: [String: String]

    init(_ query: [String: String], filters: [String], orderBy: [String] = ["created_at", "updated_at"], include: [String] = [], refusal: Refusal = .badQuery) throws(CFError) {
        self.query = query
        var problems: [String] = []
        if let p = query["page"] {
            // Ruby's String#to_i: leading digits count, anything else is 0.
            if let n = Self.rubyInteger(p), n > 0 { page = n } else { problems.append("Page must be a positive integer") }
        }
        if let p = query["per_page"] {
            if let n = Self.rubyInteger(p), n > 0 {
                if n <= 5000 { perPage = n } else { problems.append("Per page must be between 1 and 5000") }
            } else {
                problems.append("Per page must be a positive integer")
            }
        }
        let valid = ["page", "per_page", "order_by", "label_selector"] + filters + (include.isEmpty ? [] : ["include"])
        if let unknown = Self.unknownParameters(query, valid: valid) { problems.append(unknown) }
        guard problems.isEmpty else { throw refusal.error(problems) }
        if let o = query["order_by"] {
            descending = o.hasPrefix("-")
            let field = o.hasPrefix("-") || o.hasPrefix("+") ? String(o.dropFirst()) : o
            guard orderBy.contains(field) else {
                throw refusal.error(["Order by can only be: \(orderBy.map { "'\($0)'" }.joined(separator: ", "))"])
            }
            self.orderBy = field
        }
        for name in filters {
            if let value = query[name] { self.filters[name] = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
        if let i = query["include"] {
            let requested = i.split(separator: ",").map(String.init)
            if let invalid = Self.invalidInclude(requested, valid: include) { throw refusal.error([invalid]) }
            self.include = requested
        }
    }

    /// The `include` of a show endpoint (`GET /v3/roles/<guid>?include=user`), its only
    /// parameter: anything else is 400 `CF-BadQueryParameter` (INFERRED: the show message is
    /// validated as a query, not as a body).
    static func showInclude(_ query: [String: String], valid: [String]) throws(CFError) -> [String] {
        if let unknown = unknownParameters(query, valid: ["include"]) { throw CFError.badQuery(unknown) }
        guard let requested = query["include"]?.split(separator: ",").map(String.init) else { return [] }
        if let invalid = invalidInclude(requested, valid: valid) { throw CFError.badQuery(invalid) }
        return requested
    }

    /// The Cloud Controller's complaint about parameters outside `valid`, if any.
    private static func unknownParameters(_ query: [String: String], valid: [String]) -> String? {
        let unknown = query.keys.filter { !valid.contains($0) }.sorted()
        guard !unknown.isEmpty else { return nil }
        return "Unknown query parameter(s): \(unknown.map { "'\($0)'" }.joined(separator: ", ")). Valid parameters are: \(valid.map { "'\($0)'" }.joined(separator: ", "))"
    }

    /// The Cloud Controller's complaint about an included resource outside `valid`, if any.
    private static func invalidInclude(_ requested: [String], valid: [String]) -> String? {
        requested.first { !valid.contains($0) }.map { "Invalid included resource: '\($0)'. Valid included resources are: \(valid.map { "'\($0)'" }.joined(separator: ", "))" }
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
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: perPage)
        guard !overflow, start < sorted.count else { return ([], sorted.count) }
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

    /// Ruby's `String#to_i` for paging values: optional sign and leading digits, the rest
    /// ignored (`"10abc"` is 10); nil when no digit leads, and for numbers beyond 64 bits (which
    /// Ruby would accept and the Cloud Controller then pages past the end with).
    static func rubyInteger(_ text: String) -> Int? {
        var digits = Substring(text.drop { $0 == " " })
        var sign = ""
        if let first = digits.first, first == "-" || first == "+" {
            sign = first == "-" ? "-" : ""
            digits = digits.dropFirst()
        }
        let number = digits.prefix { $0.isASCII && $0.isNumber }
        guard !number.isEmpty else { return nil }
        return Int(sign + number) ?? (sign.isEmpty ? Int.max : nil)
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
