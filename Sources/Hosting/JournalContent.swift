import JSON

/// What a request carried, as the journal keeps it: headers and body, for checks of what a
/// client sent ("the PUT carried the full member list"). Credentials are never shown: an
/// `Authorization` value keeps only its scheme, and JSON members or form fields whose names say
/// secret (`password`, `client_secret`, tokens) read `***` wherever the content is shown.
public struct JournalContent: Sendable {
    /// Request headers in arrival order, names in lower case, credentials hidden.
    public let headers: [(name: String, value: String)]
    /// The body's first `bodyLimit` bytes.
    let body: [UInt8]
    /// The body's full size.
    public let bodySize: Int

    /// Bodies beyond this are kept cut (the rest is what a check needs rarely, and the journal's
    /// memory stays bounded).
    public static let bodyLimit = 64 * 1024

    /// `headers` with names in lower case, as `FakeRequest` has them.
    public init(headers: [(name: String, value: String)], body: [UInt8]) {
        self.headers = headers.map { ($0.name, Self.shownHeader($0.name, $0.value)) }
        self.body = body.count <= Self.bodyLimit ? body : Array(body.prefix(Self.bodyLimit))
        bodySize = body.count
    }

    public var isBodyCut: Bool { bodySize > body.count }

    /// The value of header `name` (any case), as kept.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name == lower }?.value
    }

    /// The body as JSON with secrets hidden; nil when there is none or it is not JSON (a form, or
    /// a body cut at the limit).
    public var json: JSONValue? {
        guard !body.isEmpty, !isBodyCut, let value = try? JSONParser.parse(body) else { return nil }
        return Self.hidingSecrets(value)
    }

    /// The body as text: JSON with secrets hidden, a form with its secret fields hidden, other text
    /// as it came (cut bodies end in `…`).
    public var text: String {
        json?.serialized() ?? plainText
    }

    /// The body as checks and the control API show it: JSON with secrets hidden, `null` when
    /// there is none, else its text. Parsed on each call (the journal parses nothing while it
    /// records): callers that read it often keep it (`SentExpectation.ShownBodies`).
    public var shownBody: JSONValue {
        guard bodySize > 0 else { return .null }
        return json ?? .string(plainText)
    }

    /// A body that is not JSON: a form with its secret fields hidden, other text as it came.
    private var plainText: String {
        let raw = String(decoding: body, as: UTF8.self)
        let shown = (header("content-type") ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded") ? Self.hidingFormSecrets(raw) : raw
        return isBodyCut ? shown + "…" : shown
    }

    /// For the control API: headers, and the body as JSON (or text when it is not JSON).
    public var controlJSON: JSONValue {
        var m: [(String, JSONValue)] = [("headers", .object(JSONObject(headers.map { ($0.name, .string($0.value)) })))]
        if bodySize > 0 { m.append(("body", shownBody)) }
        if isBodyCut { m.append(("bodySize", JSONValue(bodySize))) }
        return .object(JSONObject(m))
    }

    static func isSecretName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return ["password", "secret", "token", "credential", "apikey", "api_key"].contains { lower.contains($0) }
    }

    /// `value` as shown for header `name` (in lower case, as `FakeRequest` keeps names).
    static func shownHeader(_ name: String, _ value: String) -> String {
        switch name {
        case "authorization", "proxy-authorization":
            // The scheme tells Basic from Bearer; the credentials stay out.
            return (value.split(separator: " ", maxSplits: 1).first.map(String.init) ?? "") + " ***"
        case "cookie", "set-cookie":
            return "***"
        default:
            return RequestJournal.bounded(value, 256)
        }
    }

    static func hidingSecrets(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.map { member in (member.key, isSecretName(member.key) ? .string("***") : hidingSecrets(member.value)) }))
        case .array(let elements):
            return .array(elements.map(hidingSecrets))
        default:
            return value
        }
    }

    static func hidingFormSecrets(_ form: String) -> String {
        form.split(separator: "&", omittingEmptySubsequences: false).map { field in
            let name = field.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return isSecretName(FakeRequest.percentDecoded(name, plusIsSpace: true)) ? "\(name)=***" : String(field)
        }.joined(separator: "&")
    }
}
