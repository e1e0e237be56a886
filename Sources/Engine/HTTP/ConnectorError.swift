import JSON

/// A request to a system that did not succeed, described for the job log: what was asked, what
/// came back. Never carries credentials: URLs are shown without user info, bodies of token
/// requests are not echoed.
public struct ConnectorError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status, when a response arrived.
    public let status: Int?
    public let message: String

    public init(status: Int? = nil, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    /// `POST /Users → 409 Conflict: User already exists` from a response, quoting the server's
    /// own error text (SCIM `detail`, UAA `error_description`, CF `errors[0].detail`).
    public static func from(_ response: HTTPResponse, method: String, url: String) -> ConnectorError {
        ConnectorError(status: response.status, "\(method) \(Redaction.path(of: url)) → \(response.status)\(serverText(response).map { ": \($0)" } ?? "")")
    }

    /// The server's own error text from a response body, if it has one.
    public static func serverText(_ response: HTTPResponse) -> String? {
        guard !response.body.isEmpty else { return nil }
        if let json = try? JSONParser.parse(response.body) {
            if let detail = json["detail"]?.stringValue { return detail }
            if let d = json["error_description"]?.stringValue { return d }
            if let errors = json["errors"]?.arrayValue, let first = errors.first {
                return [first["title"]?.stringValue, first["detail"]?.stringValue].compactMap { $0 }.joined(separator: ": ")
            }
            if let e = json["error"]?.stringValue { return e }
            if let m = json["message"]?.stringValue { return m }
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
        return text.isEmpty ? nil : text
    }
}

/// Keeps secrets out of messages.
enum Redaction {
    /// The path and query of a URL, without scheme, host and any `user:password@`.
    static func path(of url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }

    /// A URL with any `user:password@` removed.
    static func url(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + rest[rest.index(after: at)...]
    }
}
