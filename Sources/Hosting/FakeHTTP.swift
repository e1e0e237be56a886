import JSON

/// An HTTP request as a fake sees it, independent of the server library: services and their
/// tests work on these values, and only `FakeServer` knows Hummingbird.
public struct FakeRequest: Sendable {
    public let method: String
    /// The path, percent-decoded, without the query.
    public let path: String
    /// Query parameters (first value of each name), percent-decoded, `+` as space.
    public let query: [String: String]
    /// Header names in lower case.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]
    /// Bytes of the request target as sent (path and query, before decoding).
    public let targetLength: Int
    /// Bytes of the body as announced: larger than `body.count` when the server stopped reading a
    /// body beyond the host's limit.
    public let bodyLength: Int
    /// The path's segments, each percent-decoded on its own, so that an encoded `/` inside an ID
    /// stays inside its segment (routes match these, never the decoded `path`).
    public let segments: [String]

    /// `targetLength` defaults to the decoded path and query (in-process requests have no
    /// encoded form), `bodyLength` to the body's size.
    public init(method: String, path: String, query: [String: String] = [:], headers: [(name: String, value: String)] = [], body: [UInt8] = [],
                targetLength: Int? = nil, bodyLength: Int? = nil) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = headers.map { ($0.name.lowercased(), $0.value) }
        self.body = body
        self.targetLength = targetLength ?? query.reduce(path.utf8.count) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 }
        self.bodyLength = bodyLength ?? body.count
        segments = path.split(separator: "/").map(String.init)
    }

    /// A request as it came over the wire: `target` is the request target as sent (path and
    /// query, still encoded).
    public init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8], bodyLength: Int) {
        let (path, query) = FakeRequest.split(target: target)
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = headers.map { ($0.name.lowercased(), $0.value) }
        self.body = body
        targetLength = target.utf8.count
        self.bodyLength = bodyLength
        let rawPath = target.firstIndex(of: "?").map { String(target[..<$0]) } ?? target
        segments = rawPath.split(separator: "/").map { FakeRequest.percentDecoded(String($0), plusIsSpace: false) }
    }

    /// Whether the request is for the control API (`/_provsim/...`).
    public var isControl: Bool {
        FakeRequest.isControl(path: path)
    }

    public static func isControl(path: String) -> Bool {
        path == controlPrefix || path.hasPrefix(controlPrefix + "/")
    }

    /// Where every fake's control API lives.
    public static let controlPrefix = "/_provsim"

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name == lower }?.value
    }

    /// The body as JSON; an empty or malformed body is a `FakeRequestError`.
    public func json() throws(FakeRequestError) -> JSONValue {
        guard !body.isEmpty else { throw FakeRequestError("the request has no body") }
        do throws(JSONParseError) {
            return try JSONParser.parse(body)
        } catch {
            throw FakeRequestError("the body is not valid JSON: \(error)")
        }
    }

    /// `application/x-www-form-urlencoded` fields of the body.
    public func formFields() -> [String: String] {
        FakeRequest.parseQuery(String(decoding: body, as: UTF8.self))
    }

    /// Splits a path and a query string (`/Users?filter=...`).
    public static func split(target: String) -> (path: String, query: [String: String]) {
        guard let q = target.firstIndex(of: "?") else { return (percentDecoded(target, plusIsSpace: false), [:]) }
        return (percentDecoded(String(target[..<q]), plusIsSpace: false), parseQuery(String(target[target.index(after: q)...])))
    }

    public static func parseQuery(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecoded(String(parts[0]), plusIsSpace: true)
            let value = parts.count > 1 ? percentDecoded(String(parts[1]), plusIsSpace: true) : ""
            if result[name] == nil { result[name] = value }
        }
        return result
    }

    public static func percentDecoded(_ text: String, plusIsSpace: Bool) -> String {
        guard text.contains("%") || (plusIsSpace && text.contains("+")) else { return text }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let b = utf8.first {
            utf8 = utf8.dropFirst()
            if b == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%"), utf8.count >= 2, let v = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

public struct FakeRequestError: Error, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// What a fake answers, including the misbehaviours faults inject.
public struct FakeResponse: Sendable {
    public enum Action: Sendable, Equatable {
        case respond
        /// Close the connection with a TCP reset, sending nothing.
        case resetConnection
        /// Close the connection cleanly without sending a response.
        case closeWithoutResponse
        /// Send nothing and keep the connection open: the request is held (`HeldRequests`) until
        /// the server stops; the client times out.
        case holdWithoutAnswer
    }

    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    public var action: Action

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], action: Action = .respond) {
        self.status = status
        self.headers = headers
        self.body = body
        self.action = action
    }

    public static func json(_ status: Int, _ value: JSONValue, contentType: String = "application/json", headers: [(name: String, value: String)] = []) -> FakeResponse {
        FakeResponse(status: status, headers: [("content-type", contentType + "; charset=utf-8")] + headers, body: JSONWriter().bytes(value))
    }

    public static func empty(_ status: Int, headers: [(name: String, value: String)] = []) -> FakeResponse {
        FakeResponse(status: status, headers: headers)
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }

    public var json: JSONValue? {
        try? JSONParser.parse(body)
    }
}
