import Hosting
import JSON
import SCIM

/// How a SCIM 2.0 fake exposes its directory over HTTP.
public struct SCIMEndpointConfiguration: Sendable {
    public var readScope: String
    public var writeScope: String
    public var defaultCount: Int
    public var maxCount: Int
    /// The filter operators the service supports; `nil` for all of RFC 7644.
    public var filterOperators: Set<SCIMFilter.Operator>?
    public var supportsNotAndValuePaths: Bool
    public var supportsPresence: Bool
    /// Resource types clients may only read, with the 405 detail (AFC's role catalog).
    public var readOnlyTypes: [String: String]
    public var documentationUri: String?

    public init(readScope: String = "scim.read", writeScope: String = "scim.write", defaultCount: Int = 100, maxCount: Int = 500,
                filterOperators: Set<SCIMFilter.Operator>? = nil, supportsNotAndValuePaths: Bool = true, supportsPresence: Bool = true,
                readOnlyTypes: [String: String] = [:], documentationUri: String? = nil) {
        self.readScope = readScope
        self.writeScope = writeScope
        self.defaultCount = defaultCount
        self.maxCount = maxCount
        self.filterOperators = filterOperators
        self.supportsNotAndValuePaths = supportsNotAndValuePaths
        self.supportsPresence = supportsPresence
        self.readOnlyTypes = readOnlyTypes
        self.documentationUri = documentationUri
    }
}

/// RFC 7644 over a `SCIMDirectory`: list (filter, paging, sorting, projection), `.search`, get,
/// create (201 + Location + ETag), replace, PATCH, delete (204), `If-Match` (412) and
/// `If-None-Match` (304), and the discovery endpoints. Errors are RFC 7644 §3.12 bodies.
public struct SCIMEndpoint: Sendable {
    public let directory: SCIMDirectory
    public let authenticator: Authenticator
    public let configuration: SCIMEndpointConfiguration
    let routes: RouteTable<SCIMHandler>
    static let contentType = "application/scim+json"

    public init(directory: SCIMDirectory, authenticator: Authenticator, configuration: SCIMEndpointConfiguration) {
        self.directory = directory
        self.authenticator = authenticator
        self.configuration = configuration
        routes = Self.routes(for: directory.types)
    }

    /// Handles `/oauth/token` and everything under the directory's base path.
    public func handle(_ request: FakeRequest, context: FakeContext) -> (response: FakeResponse, clientId: String?) {
        if request.path == "/oauth/token" {
            let answer = TokenEndpoint(authenticator: authenticator).handle(request, issuerURL: context.baseURL + "/oauth/token")
            return (answer.response, answer.clientId)
        }
        let base = directory.basePath
        guard request.path == base || request.path.hasPrefix(base + "/") else {
            return (Self.error(SCIMError.notFound("No resource at \(request.path) (the SCIM API is under \(base))")), nil)
        }
        // Decoded segment by segment: an encoded "/" inside an ID stays part of the ID.
        let segments = Array(request.segments.dropFirst(base.split(separator: "/").count))
        let principal: Principal
        switch authenticator.authenticate(request, issuerURL: context.baseURL + "/oauth/token") {
        case .success(let p): principal = p
        case .failure(let failure): return (Self.unauthorized(failure), nil)
        }
        let isRead = request.method == "GET" || (request.method == "POST" && segments.last == ".search")
        let needed = isRead ? configuration.readScope : configuration.writeScope
        if let first = segments.first, !Self.discovery.contains(first), !principal.hasScope(needed) {
            return (Self.error(SCIMError(status: 403, detail: "Insufficient scope: the token lacks '\(needed)'")), principal.clientId)
        }
        do throws(SCIMError) {
            return (try route(request, segments: segments, isRead: isRead, context: context), principal.clientId)
        } catch {
            return (Self.error(error), principal.clientId)
        }
    }

    /// The discovery endpoints (no scope needed).
    static let discovery: Set<String> = ["ServiceProviderConfig", "ResourceTypes", "Schemas"]

    private func route(_ request: FakeRequest, segments: [String], isRead: Bool, context: FakeContext) throws(SCIMError) -> FakeResponse {
        let method = request.method
        guard let first = segments.first else { throw SCIMError.notFound("Nothing at \(directory.basePath)") }
        if first == "Bulk" { throw SCIMError(status: 501, detail: "Bulk operations are not supported (see /ServiceProviderConfig)") }
        let type = directory.type(forEndpoint: first)
        if let type, let readOnly = configuration.readOnlyTypes[type.name], !isRead {
            throw SCIMError(status: 405, detail: readOnly)
        }
        // Resource type endpoints match without regard to case, as they always did here.
        let routed = type.map { [String($0.endpoint.split(separator: "/").last ?? "")] + segments.dropFirst() } ?? segments
        switch routes.lookup(method, routed) {
        case .found(let handler, let parameters):
            do {
                return try handler(self, SCIMCall(request: request, parameters: parameters, context: context))
            } catch let error as SCIMError {
                throw error
            } catch {
                throw SCIMError(status: 500, detail: "\(error)")
            }
        case .methodNotAllowed:
            throw SCIMError(status: 405, detail: type == nil ? "\(method) is not allowed here" : "\(method) is not allowed on \(request.path)")
        case .notFound:
            guard type != nil || Self.discovery.contains(first) || first == ".search" else { throw SCIMError.notFound("No resource type at /\(first)") }
            throw SCIMError.notFound("No resource at \(request.path)")
        }
    }

    /// The routes under the base path: discovery, `.search` from the root, and per resource type
    /// list, create, `.search`, read, replace, patch and delete.
    static func routes(for types: [SCIMResourceType]) -> RouteTable<SCIMHandler> {
        var table = RouteTable<SCIMHandler>()
        table.add("GET", "/ServiceProviderConfig") { endpoint, call in
            var config = SCIMServiceProviderConfig(
                maxResults: endpoint.configuration.maxCount,
                authenticationSchemes: endpoint.authenticator.allowsBasic
                    ? [SCIMServiceProviderConfig.oauthBearer, SCIMServiceProviderConfig.httpBasic]
                    : [SCIMServiceProviderConfig.oauthBearer])
            config.documentationUri = endpoint.configuration.documentationUri
            return Self.ok(config.json(location: "\(call.context.baseURL)\(endpoint.directory.basePath)/ServiceProviderConfig"))
        }
        table.add("GET", "/ResourceTypes") { endpoint, call in
            let all = endpoint.directory.types.map { $0.json(location: endpoint.location(of: $0, call.context)) }
            return Self.ok(SCIMPaging.listResponse(all, totalResults: all.count, startIndex: 1))
        }
        table.add("GET", "/ResourceTypes/{name}") { endpoint, call in
            guard let type = endpoint.directory.type(named: call.parameters["name"]) else { throw SCIMError.notFound("No resource type '\(call.parameters["name"])'") }
            return Self.ok(type.json(location: endpoint.location(of: type, call.context)))
        }
        table.add("GET", "/Schemas") { endpoint, call in
            let all = endpoint.schemas.map { $0.json(location: endpoint.location(of: $0, call.context)) }
            return Self.ok(SCIMPaging.listResponse(all, totalResults: all.count, startIndex: 1))
        }
        table.add("GET", "/Schemas/{id}") { endpoint, call in
            guard let schema = endpoint.schemas.first(where: { $0.id == call.parameters["id"] }) else { throw SCIMError.notFound("No schema '\(call.parameters["id"])'") }
            return Self.ok(schema.json(location: endpoint.location(of: schema, call.context)))
        }
        // RFC 7644 §3.4.3: a search from the root covers every resource type.
        table.add("POST", "/.search") { endpoint, call in
            try endpoint.list(endpoint.directory.types, query: try endpoint.searchQuery(try endpoint.body(call.request)), context: call.context)
        }
        for type in types {
            let path = "/" + type.endpoint.split(separator: "/").joined(separator: "/")
            table.add("GET", path) { endpoint, call in
                try endpoint.list([type], query: try SCIMListQuery(query: call.request.query), context: call.context)
            }
            table.add("POST", path + "/.search") { endpoint, call in
                try endpoint.list([type], query: try endpoint.searchQuery(try endpoint.body(call.request)), context: call.context)
            }
            table.add("POST", path) { endpoint, call in
                let record = try endpoint.directory.create(type, try endpoint.body(call.request))
                let rendered = endpoint.directory.render(record, type: type, baseURL: call.context.baseURL)
                return Self.resource(201, rendered, etag: record.etag, extraHeaders: [("location", rendered["meta"]?["location"]?.stringValue ?? "")])
            }
            table.add("GET", path + "/{id}") { endpoint, call in
                let record = try endpoint.directory.get(type, id: call.parameters["id"])
                if let ifNoneMatch = call.request.header("if-none-match"),
                   ifNoneMatch == "*" || ifNoneMatch.split(separator: ",").contains(where: { SCIMDirectory.opaqueTag(String($0)) == SCIMDirectory.opaqueTag(record.etag) }) {
                    return FakeResponse(status: 304, headers: [("etag", record.etag)])
                }
                let query = call.request.query
                let projection = SCIMProjection(attributes: SCIMListQuery.list(query["attributes"]), excludedAttributes: SCIMListQuery.list(query["excludedAttributes"]), resourceType: type)
                return Self.resource(200, projection.apply(to: endpoint.directory.render(record, type: type, baseURL: call.context.baseURL)), etag: record.etag)
            }
            table.add("PUT", path + "/{id}") { endpoint, call in
                let record = try endpoint.directory.replace(type, id: call.parameters["id"], try endpoint.body(call.request), ifMatch: call.request.header("if-match"))
                return Self.resource(200, endpoint.directory.render(record, type: type, baseURL: call.context.baseURL), etag: record.etag)
            }
            table.add("PATCH", path + "/{id}") { endpoint, call in
                let patch = try SCIMPatch(json: try endpoint.body(call.request))
                let record = try endpoint.directory.patch(type, id: call.parameters["id"], patch, ifMatch: call.request.header("if-match"))
                return Self.resource(200, endpoint.directory.render(record, type: type, baseURL: call.context.baseURL), etag: record.etag)
            }
            table.add("DELETE", path + "/{id}") { endpoint, call in
                try endpoint.directory.delete(type, id: call.parameters["id"], ifMatch: call.request.header("if-match"))
                return FakeResponse(status: 204)
            }
        }
        return table
    }

    /// Every schema of the resource types, each once.
    private var schemas: [SCIMSchema] {
        var schemas: [SCIMSchema] = []
        for type in directory.types {
            for schema in type.schemas where !schemas.contains(where: { $0.id == schema.id }) { schemas.append(schema) }
        }
        return schemas
    }

    private func location(of type: SCIMResourceType, _ context: FakeContext) -> String {
        "\(context.baseURL)\(directory.basePath)/ResourceTypes/\(type.name)"
    }

    private func location(of schema: SCIMSchema, _ context: FakeContext) -> String {
        "\(context.baseURL)\(directory.basePath)/Schemas/\(schema.id)"
    }

    /// A list response over one resource type, or several for a search from the root.
    private func list(_ types: [SCIMResourceType], query: SCIMListQuery, context: FakeContext) throws(SCIMError) -> FakeResponse {
        let projections = Dictionary(uniqueKeysWithValues: types.map { type in
            (type.name, SCIMProjection(attributes: query.attributes, excludedAttributes: query.excludedAttributes, resourceType: type))
        })
        func project(_ resource: JSONValue) -> JSONValue {
            guard let name = resource["meta"]?["resourceType"]?.stringValue, let projection = projections[name] else { return resource }
            return projection.apply(to: resource)
        }
        let count = min(query.count ?? configuration.defaultCount, configuration.maxCount)
        if types.count == 1, query.filter == nil, query.sortBy == nil {
            let (page, total) = directory.renderedPage(types[0], startIndex: query.startIndex, count: count, baseURL: context.baseURL)
            return Self.ok(SCIMPaging.listResponse(page.map(project), totalResults: total, startIndex: query.startIndex))
        }
        var resources: [JSONValue] = []
        if let filter = query.filter {
            try check(filter)
            if types.count == 1, query.sortBy == nil {
                // One type in creation order: render only the page.
                let (page, total) = directory.renderedMatchingPage(types[0], filter: filter, startIndex: query.startIndex, count: count, baseURL: context.baseURL)
                return Self.ok(SCIMPaging.listResponse(page.map(project), totalResults: total, startIndex: query.startIndex))
            }
            for type in types { resources += directory.renderedMatching(type, filter: filter, baseURL: context.baseURL) }
        } else {
            for type in types { resources += directory.renderedAll(type, baseURL: context.baseURL) }
        }
        // Sorting across types uses the first type's attribute definitions (its User schema).
        let (page, total) = SCIMPaging.page(resources, query: query, defaultCount: configuration.defaultCount, maxCount: configuration.maxCount, resourceType: types[0])
        return Self.ok(SCIMPaging.listResponse(page.map(project), totalResults: total, startIndex: query.startIndex))
    }

    /// Refuses a filter this service's configuration does not support, as the service would.
    private func check(_ filter: SCIMFilter) throws(SCIMError) {
        if let allowed = configuration.filterOperators {
            let unsupported = filter.operators.subtracting(allowed)
            if let op = unsupported.first {
                throw SCIMError.badRequest(.invalidFilter, "The operator '\(op.rawValue)' is not supported (supported: \(allowed.map(\.rawValue).sorted().joined(separator: ", ")))")
            }
        }
        if !configuration.supportsPresence && filter.usesPresence {
            throw SCIMError.badRequest(.invalidFilter, "The operator 'pr' is not supported")
        }
        if !configuration.supportsNotAndValuePaths && filter.usesNotOrValuePath {
            throw SCIMError.badRequest(.invalidFilter, "'not' and value filters are not supported")
        }
    }

    /// The body of `POST …/.search` (RFC 7644 §3.4.3) as list query parameters.
    private func searchQuery(_ body: JSONValue) throws(SCIMError) -> SCIMListQuery {
        var parameters: [String: String] = [:]
        for key in ["filter", "sortBy", "sortOrder"] { if let v = body[key]?.stringValue { parameters[key] = v } }
        for key in ["startIndex", "count"] { if let v = body[key] { parameters[key] = v.textValue } }
        for key in ["attributes", "excludedAttributes"] {
            if let list = body[key]?.arrayValue { parameters[key] = list.compactMap(\.stringValue).joined(separator: ",") }
        }
        return try SCIMListQuery(query: parameters)
    }

    private func body(_ request: FakeRequest) throws(SCIMError) -> JSONValue {
        do throws(FakeRequestError) {
            return try request.json()
        } catch {
            throw SCIMError.badRequest(.invalidSyntax, "Invalid request body: \(error.message)")
        }
    }

    // MARK: Responses

    static func ok(_ body: JSONValue) -> FakeResponse {
        .json(200, body, contentType: contentType)
    }

    static func resource(_ status: Int, _ body: JSONValue, etag: String, extraHeaders: [(name: String, value: String)] = []) -> FakeResponse {
        .json(status, body, contentType: contentType, headers: [("etag", etag)] + extraHeaders)
    }

    public static func error(_ error: SCIMError) -> FakeResponse {
        .json(error.status, error.json, contentType: contentType)
    }

    /// 401 with a SCIM body and the RFC 6750 challenge (`error="invalid_token"` when a token was sent).
    public static func unauthorized(_ failure: AuthFailure) -> FakeResponse {
        var challenge = "Bearer realm=\"provsim\""
        if case .invalidToken(let problem) = failure {
            challenge += ", error=\"invalid_token\", error_description=\"\(problem.description)\""
        }
        return .json(401, SCIMError(status: 401, detail: failure.description).json, contentType: contentType, headers: [("www-authenticate", challenge)])
    }

    /// 429 in SCIM form.
    public static func tooManyRequests(retryAfter: Int, reason: String) -> FakeResponse {
        .json(429, SCIMError(status: 429, detail: "Too many requests: \(reason)").json, contentType: contentType, headers: [("retry-after", String(retryAfter))])
    }
}

/// One request under a SCIM base path as a route's handler sees it.
struct SCIMCall: Sendable {
    let request: FakeRequest
    let parameters: RouteParameters
    let context: FakeContext
}

/// A SCIM route's handler.
typealias SCIMHandler = @Sendable (SCIMEndpoint, SCIMCall) throws -> FakeResponse
