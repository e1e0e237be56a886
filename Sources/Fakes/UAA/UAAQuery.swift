import Hosting
import JSON
import SCIM

/// The list parameters of UAA's `GET /Users` and `GET /Groups`, with UAA's rules: `startIndex`
/// below 1 is 1, `count` defaults to 100 and is capped at 500, `sortOrder` other than
/// `ascending` means descending, and the filter language is a subset of SCIM's.
struct UAAQuery {
    enum Resource { case users, groups }

    var filter: SCIMFilter?
    var startIndex = 1
    var count: Int
    var sortBy: SCIMAttributePath?
    var descending = false
    var attributes: [String] = []

    init(_ query: [String: String], resource: Resource, configuration: UAAConfiguration) throws(UAAError) {
        count = configuration.defaultCount
        let filterText = query["filter"].flatMap { $0.trimmingCharacters(in: " ").isEmpty ? nil : $0 }
        let sortText = query["sortBy"].flatMap { $0.isEmpty ? nil : $0 }
        func invalidFilter() -> UAAError {
            let escaped = Self.htmlEscaped(filterText ?? "id pr")
            return UAAError.badRequest(resource == .users
                ? "Invalid filter expression: [\(escaped)] [\(sortText ?? "created")]"
                : "Invalid filter expression: [\(escaped)]")
        }
        if let filterText {
            do throws(SCIMError) {
                filter = try Self.mapped(SCIMFilter(parsing: filterText), resource: resource)
            } catch {
                throw invalidFilter()
            }
        }
        if let sortText {
            guard let path = SCIMAttributePath.parse(sortText).flatMap({ Self.mapped($0, resource: resource) }) else { throw invalidFilter() }
            sortBy = path
        }
        // XSUAA sorts role collections by displayName (case-insensitive) when asked, otherwise by
        // last modification (docs/fidelity.md, “UAA and XSUAA”).
        if resource == .groups, configuration.flavour == .xsuaa, sortBy?.description.lowercased() != "displayname" {
            sortBy = SCIMAttributePath.parse("meta.lastModified")
        }
        if let s = query["startIndex"] {
            guard let i = Int(s) else { throw UAAError.badRequest("Invalid startIndex: \(s)") }
            startIndex = max(1, i)
        }
        if let c = query["count"] {
            guard let i = Int(c) else { throw UAAError.badRequest("Invalid count: \(c)") }
            count = min(max(0, i), configuration.maxCount)
        }
        if let order = query["sortOrder"] { descending = order.lowercased() != "ascending" }
        attributes = SCIMListQuery.list(query["attributes"])
    }

    var listQuery: SCIMListQuery {
        var q = SCIMListQuery()
        q.startIndex = startIndex
        q.count = count
        q.sortBy = sortBy
        q.sortDescending = descending
        return q
    }

    /// UAA's filterable attribute names (lower case) and the resource paths they stand for.
    static let userAttributes: [String: String] = [
        "id": "id", "username": "userName", "email": "emails.value", "emails.value": "emails.value",
        "givenname": "name.givenName", "familyname": "name.familyName", "name.givenname": "name.givenName",
        "name.familyname": "name.familyName", "active": "active", "verified": "verified", "origin": "origin",
        "phonenumber": "phoneNumbers.value", "phonenumbers.value": "phoneNumbers.value", "displayname": "displayName",
        "externalid": "externalId", "external_id": "externalId", "identity_zone_id": "zoneId", "zoneid": "zoneId",
        "created": "meta.created", "meta.created": "meta.created", "lastmodified": "meta.lastModified",
        "meta.lastmodified": "meta.lastModified", "version": "meta.version", "meta.version": "meta.version",
        "groups.display": "groups.display", "nickname": "nickName", "title": "title", "usertype": "userType",
    ]
    static let groupAttributes: [String: String] = [
        "id": "id", "displayname": "displayName", "description": "description", "identity_zone_id": "zoneId", "zoneid": "zoneId",
        "created": "meta.created", "meta.created": "meta.created", "lastmodified": "meta.lastModified",
        "meta.lastmodified": "meta.lastModified", "version": "meta.version", "meta.version": "meta.version",
    ]

    static func mapped(_ path: SCIMAttributePath, resource: Resource) -> SCIMAttributePath? {
        guard path.schema == nil else { return nil }
        let table = resource == .users ? userAttributes : groupAttributes
        return table[path.description.lowercased()].flatMap(SCIMAttributePath.parse)
    }

    /// The filter with UAA's names resolved; `ne`, `ew`, `not`, value paths, unknown attributes
    /// and unquoted values other than numbers and booleans are refused.
    static func mapped(_ filter: SCIMFilter, resource: Resource) throws(SCIMError) -> SCIMFilter {
        func path(_ p: SCIMAttributePath) throws(SCIMError) -> SCIMAttributePath {
            guard let m = mapped(p, resource: resource) else { throw SCIMError.badRequest(.invalidFilter, "Invalid filter attributes: \(p)") }
            return m
        }
        switch filter {
        case .and(let a, let b): return .and(try mapped(a, resource: resource), try mapped(b, resource: resource))
        case .or(let a, let b): return .or(try mapped(a, resource: resource), try mapped(b, resource: resource))
        case .not, .valuePath: throw SCIMError.badRequest(.invalidFilter, "not supported")
        case .present(let p): return .present(try path(p))
        case .compare(let p, let op, let value):
            guard op != .ne, op != .ew else { throw SCIMError.badRequest(.invalidFilter, "\(op) is not supported") }
            if case .null = value { throw SCIMError.badRequest(.invalidFilter, "Invalid non quoted value") }
            return .compare(try path(p), op, value)
        }
    }

    static func htmlEscaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// UAA's `attributes=`: only the named attributes, keyed as requested; `emails.value` gives the
    /// list of values, `givenName`/`familyName` read `name`.
    static func project(_ resource: JSONValue, attributes: [String]) throws(UAAError) -> JSONValue {
        var out = JSONObject()
        for requested in attributes {
            var lower = requested.lowercased()
            if lower == "givenname" || lower == "familyname" { lower = "name." + lower }
            let parts = lower.split(separator: ".", maxSplits: 1).map(String.init)
            guard let head = parts.first, let top = resource.objectValue?.keys.first(where: { $0.lowercased() == head }) else {
                throw UAAError.badRequest("Invalid attributes: [\(requested)]")
            }
            var value = resource[top] ?? .null
            if parts.count == 2 {
                func sub(_ v: JSONValue) -> JSONValue? { v.member(caseInsensitive: parts[1]) }
                if case .array(let list) = value {
                    value = .array(list.compactMap(sub))
                } else {
                    value = sub(value) ?? .null
                }
            }
            out[requested] = value
        }
        return .object(out)
    }
}
