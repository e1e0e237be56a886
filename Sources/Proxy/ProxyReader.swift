import Foundation
import JSON
import JSONPath
import SCIM
import Transformation

/// The read side of a proxy system (docs/fidelity.md, “Proxy systems”): pages and single entities from the
/// back-end through the proxy read transformation, with IPS's filter, projection, paging and
/// `totalResults` rules.
public struct ProxyReader: Sendable {
    /// The client's query string, already split.
    public struct Query: Sendable {
        public var filter: String?
        public var attributes: String?
        public var excludedAttributes: String?
        public var startIndex: Int
        public var count: Int

        /// Client guidance: `count` 1…100, default 25 (docs/fidelity.md, “Proxy systems”).
        public static let defaultCount = 25
        public static let maxCount = 100

        public init(filter: String? = nil, attributes: String? = nil, excludedAttributes: String? = nil, startIndex: Int = 1, count: Int = Query.defaultCount) {
            self.filter = filter
            self.attributes = attributes
            self.excludedAttributes = excludedAttributes
            self.startIndex = startIndex
            self.count = count
        }

        /// From query parameters; a bad `startIndex`/`count` is `400 invalidValue`. As RFC 7644
        /// says, `startIndex` below 1 is read as 1; `count` is capped at 100.
        public init(parameters: [String: String]) throws(SCIMError) {
            func number(_ name: String) throws(SCIMError) -> Int? {
                guard let text = parameters[name] else { return nil }
                guard let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw .badRequest(.invalidValue, "\(name) must be an integer, not '\(text)'") }
                return value
            }
            self.init(filter: parameters["filter"], attributes: parameters["attributes"], excludedAttributes: parameters["excludedAttributes"],
                      startIndex: max(1, try number("startIndex") ?? 1), count: min(Query.maxCount, max(0, try number("count") ?? Query.defaultCount)))
        }
    }

    public let backend: any ProxyBackend
    public let transformation: Transformation
    /// `https://<host>/ipsproxy/service/api/v1/scim/<systemId>/`: `entityBaseLocation` is this
    /// plus `Users/` or `Groups/`.
    public let baseLocation: String
    /// The system's read filters by entity type (`<prefix>.user.filter`, `.group.filter`).
    public let systemFilters: [EntityType: String]
    public let strategy: TotalResultsStrategy

    public init(backend: any ProxyBackend, transformation: Transformation, baseLocation: String, systemFilters: [EntityType: String] = [:], strategy: TotalResultsStrategy = .calculated) {
        self.backend = backend
        self.transformation = transformation
        self.baseLocation = baseLocation.hasSuffix("/") ? baseLocation : baseLocation + "/"
        self.systemFilters = systemFilters
        self.strategy = strategy
    }

    /// `GET …/Users` or `…/Groups`: a `ListResponse`.
    public func list(_ type: EntityType, _ query: Query) async throws(SCIMError) -> JSONValue {
        let plan = try self.plan(type)
        let projection = ProxyProjection(attributes: query.attributes, excludedAttributes: query.excludedAttributes)
        let filter = try query.filter.map { (text) throws(SCIMError) in try ProxyFilter(parsing: text) }
        let backendFilter = try filter?.backendFilter(readPlan: plan, systemFilter: systemFilters[type])
            ?? systemFilters[type].flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        if case .single = filter {
            // One entity by an attribute: more than one match is `tooMany`, whatever the page.
            let page = try await backend.page(type, startIndex: 1, count: 2, filter: backendFilter)
            let read = page.resources.compactMap { transformed($0, type: type, plan: plan) }
            guard read.count <= 1 else {
                throw .badRequest(.tooMany, "the filter '\(query.filter ?? "")' matches more than one \(type.rawValue)")
            }
            return ProxyListPage(resources: read.map(projection.apply), startIndex: 1, count: query.count, backendPageSize: read.count,
                                 backendTotal: read.count, conditionApplies: false, strategy: strategy).json
        }
        let page = try await backend.page(type, startIndex: query.startIndex, count: query.count, filter: backendFilter)
        let read = page.resources.compactMap { transformed($0, type: type, plan: plan) }
        return ProxyListPage(resources: read.map(projection.apply), startIndex: query.startIndex, count: query.count,
                             backendPageSize: page.resources.count, backendTotal: page.totalResults,
                             conditionApplies: plan.conditionText != nil, strategy: strategy).json
    }

    /// `GET …/Users/{id}`: the entity through the read transformation; one its condition rejects
    /// is not found, as the proxy does not return it.
    public func entity(_ type: EntityType, id: String, attributes: String? = nil, excludedAttributes: String? = nil) async throws(SCIMError) -> JSONValue {
        let plan = try self.plan(type)
        let raw = try await backend.entity(type, id: id)
        guard let value = transformed(raw, type: type, plan: plan) else {
            throw .notFound("\(type == .user ? "User" : "Group") \(id) not found")
        }
        return ProxyProjection(attributes: attributes, excludedAttributes: excludedAttributes).apply(value)
    }

    private func plan(_ type: EntityType) throws(SCIMError) -> EntityPlan {
        guard let plan = transformation.plan(for: type), !plan.isIgnored else {
            throw SCIMError(status: 404, detail: "the proxy read transformation has no \(type.rawValue) block")
        }
        return plan
    }

    /// The read transformation of one back-end entity; nil when a condition skips it or it fails
    /// (IPS leaves such entities out of the page).
    func transformed(_ entity: JSONValue, type: EntityType, plan: EntityPlan) -> JSONValue? {
        let location = baseLocation + (type == .group ? "Groups/" : "Users/")
        let context = TransformContext(operation: .read, variables: VariableBindings([("entityBaseLocation", .string(location))]), now: Date())
        guard case .transformed(let out) = plan.apply(to: entity, context: context) else { return nil }
        return out.value
    }
}
