/// Who may use a fake's control API (`/_provsim/...`), which has no accounts of its own.
///
/// The fakes run on a developer's machine, where a web page in the browser can send requests to
/// `127.0.0.1`. A browser marks those requests (`Origin`, `Sec-Fetch-Site`) and can send a body
/// without a CORS preflight only as form data or plain text; the control API therefore refuses
/// marked requests from other origins and bodies that are not JSON, so no page can reset,
/// reconfigure or fill a fake. Served beyond loopback (`provsim serve --allow-remote`) it also
/// needs the bearer token printed at start-up.
public struct ControlAccess: Sendable, Equatable {
    /// The bearer token every control request must carry; nil on loopback.
    public var token: String?

    public init(token: String? = nil) {
        self.token = token
    }

    /// Why a control request is refused: status and message, or nil when it may go ahead.
    /// `ownOrigin` is the fake's base URL (`http://127.0.0.1:8080`).
    public func refusal(of request: FakeRequest, ownOrigin: String) -> (status: Int, message: String)? {
        if let origin = request.header("origin"), !ControlAccess.sameOrigin(origin, ownOrigin) {
            return (403, "the control API refuses requests from web pages (Origin: \(ControlAccess.excerpt(origin)))")
        }
        if let site = request.header("sec-fetch-site")?.lowercased(), site != "same-origin", site != "none" {
            return (403, "the control API refuses requests from web pages (Sec-Fetch-Site: \(ControlAccess.excerpt(site)))")
        }
        if let token {
            let given = request.header("authorization").flatMap(ControlAccess.bearer)
            guard let given, SecretSource.matches(given, token) else {
                return (401, "the control API needs the control token printed at start-up (Authorization: Bearer <token>)")
            }
        }
        if !request.body.isEmpty || request.bodyLength > 0 {
            guard let type = request.header("content-type"), ControlAccess.isJSON(type) else {
                return (415, "the control API takes JSON bodies (Content-Type: application/json)")
            }
        }
        return nil
    }

    /// `application/json`, or a JSON-based type such as `application/scim+json`, with any parameters.
    static func isJSON(_ contentType: String) -> Bool {
        let media = (contentType.split(separator: ";").first.map(String.init) ?? "").trimmingCharacters(in: " \t").lowercased()
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }

    static func sameOrigin(_ origin: String, _ own: String) -> Bool {
        func normalized(_ text: String) -> String {
            var t = text.trimmingCharacters(in: " \t").lowercased()
            while t.hasSuffix("/") { t.removeLast() }
            return t.replacing("://localhost:", with: "://127.0.0.1:")
        }
        return normalized(origin) == normalized(own)
    }

    static func bearer(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: " ")
    }

    static func excerpt(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(80)) + "…"
    }
}
