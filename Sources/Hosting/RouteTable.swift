/// One path pattern of a route table: literal segments and `{name}` parameters, each matching one
/// whole path segment (`/v3/roles/{guid}`).
struct RoutePattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    let segments: [Segment]

    init(_ text: String) {
        segments = text.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2 ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
    }

    /// The parameters of `path` if it matches, else nil.
    func match(_ path: [String]) -> RouteParameters? {
        guard path.count == segments.count else { return nil }
        var values: [String: String] = [:]
        for (segment, value) in zip(segments, path) {
            switch segment {
            case .literal(let literal): guard literal == value else { return nil }
            case .parameter(let name): values[name] = value
            }
        }
        return RouteParameters(values: values)
    }

    var description: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let literal): literal
            case .parameter(let name): "{\(name)}"
            }
        }.joined(separator: "/")
    }
}

/// The values a matched pattern's `{name}` parameters took, each one decoded path segment.
public struct RouteParameters: Sendable {
    let values: [String: String]

    /// The value of `{name}`; empty when the pattern has no such parameter (a table's own mistake,
    /// which its tests catch, never a request's).
    public subscript(_ name: String) -> String {
        values[name] ?? ""
    }
}

/// Method + path pattern → handler, as a fake's front end routes (in the spirit of Hummingbird's
/// `RouterGroup` and moto's per-service URL tables). A lookup tells a path nobody serves (404)
/// from a method the path does not allow (405, with the methods it does), since services answer
/// those differently; the table also lists itself, for the control API's index.
public struct RouteTable<Handler: Sendable>: Sendable {
    struct Route: Sendable {
        let method: String
        let pattern: RoutePattern
        let handler: Handler
    }

    public enum Lookup: Sendable {
        case found(Handler, RouteParameters)
        /// The path exists with other methods.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private(set) var routes: [Route] = []

    public init() {}

    /// Adds a route; the first route that matches a request wins.
    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        routes.append(Route(method: method.uppercased(), pattern: RoutePattern(pattern), handler: handler))
    }

    /// Adds the routes of `other` after these, under `prefix` (a literal path like `/v3`).
    public mutating func add(_ other: RouteTable<Handler>, under prefix: String = "") {
        let head = RoutePattern(prefix).segments
        for route in other.routes {
            routes.append(Route(method: route.method, pattern: RoutePattern(segments: head + route.pattern.segments), handler: route.handler))
        }
    }

    public func lookup(_ method: String, _ path: [String]) -> Lookup {
        var allowed: [String] = []
        for route in routes {
            guard let parameters = route.pattern.match(path) else { continue }
            if route.method == method { return .found(route.handler, parameters) }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    /// `GET|POST /path` per pattern, in the order routes were added.
    public var listing: [String] {
        var patterns: [RoutePattern] = []
        var methods: [String: [String]] = [:]
        for route in routes {
            let key = route.pattern.description
            if methods[key] == nil { patterns.append(route.pattern) }
            if !(methods[key] ?? []).contains(route.method) { methods[key, default: []].append(route.method) }
        }
        return patterns.map { "\(methods[$0.description, default: []].joined(separator: "|")) \($0)" }
    }
}

extension RoutePattern {
    init(segments: [Segment]) {
        self.segments = segments
    }
}
