import Chrono
import Foundation
import JSON

/// OAuth 2.0 access tokens for one system: fetched on first use, cached until shortly before they
/// expire (in simulated time), fetched again after the server rejects one with 401.
public actor TokenSource {
    public enum Grant: Sendable {
        case clientCredentials
        /// The resource-owner password grant (the CF provisioning user signs in this way).
        case password(username: String, password: String)
    }

    let tokenURL: String
    let clientId: String
    let clientSecret: String
    let grant: Grant
    let scope: String?
    /// Client credentials in the form body (`AuthType=Form`) instead of a Basic header.
    let credentialsInForm: Bool
    private let transport: any HTTPTransport
    private let clock: any SimulationClock
    private let timeout: Duration
    private var cached: (token: String, expiresAt: Double)?
    private var pending: Task<Result<(String, Double), ConnectorError>, Never>?

    init(tokenURL: String, clientId: String, clientSecret: String, grant: Grant = .clientCredentials, scope: String? = nil,
         credentialsInForm: Bool = false, transport: any HTTPTransport, clock: any SimulationClock, timeout: Duration) {
        self.tokenURL = tokenURL
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.grant = grant
        self.scope = scope
        self.credentialsInForm = credentialsInForm
        self.transport = transport
        self.clock = clock
        self.timeout = timeout
    }

    /// A valid token; concurrent callers share one token request.
    public func token() async throws(ConnectorError) -> String {
        if let cached, cached.expiresAt > clock.now() { return cached.token }
        let task: Task<Result<(String, Double), ConnectorError>, Never>
        if let pending {
            task = pending
        } else {
            let request = tokenRequest()
            let (transport, timeout, url, clock) = (self.transport, self.timeout, self.tokenURL, self.clock)
            task = Task { await Self.fetch(request, transport: transport, timeout: timeout, url: url, clock: clock) }
            pending = task
        }
        let result = await task.value
        if pending == task { pending = nil }
        switch result {
        case .success(let (token, expiresAt)):
            cached = (token, expiresAt)
            return token
        case .failure(let error):
            throw error
        }
    }

    /// Forgets `token` after the server refused it, so the next call fetches a new one.
    public func invalidate(_ token: String) {
        if cached?.token == token { cached = nil }
    }

    private func tokenRequest() -> HTTPRequest {
        var fields: [(String, String)]
        switch grant {
        case .clientCredentials: fields = [("grant_type", "client_credentials")]
        case .password(let username, let password): fields = [("grant_type", "password"), ("username", username), ("password", password)]
        }
        if let scope { fields.append(("scope", scope)) }
        var headers: [(name: String, value: String)] = [("content-type", "application/x-www-form-urlencoded"), ("accept", "application/json")]
        if credentialsInForm {
            fields += [("client_id", clientId), ("client_secret", clientSecret)]
        } else {
            headers.append(("authorization", "Basic " + Data("\(clientId):\(clientSecret)".utf8).base64EncodedString()))
        }
        let body = fields.map { "\(FormEncoding.escape($0.0))=\(FormEncoding.escape($0.1))" }.joined(separator: "&")
        return HTTPRequest(method: "POST", url: tokenURL, headers: headers, body: Array(body.utf8))
    }

    private static func fetch(_ request: HTTPRequest, transport: any HTTPTransport, timeout: Duration, url: String, clock: any SimulationClock) async -> Result<(String, Double), ConnectorError> {
        let response: HTTPResponse
        do throws(TransportError) {
            response = try await transport.send(request, timeout: timeout)
        } catch {
            return .failure(ConnectorError("token request to \(Redaction.url(url)) failed: \(error == .timeout ? "timed out" : "\(error)")"))
        }
        guard response.isSuccess, let json = try? JSONParser.parse(response.body), let token = json["access_token"]?.stringValue else {
            return .failure(ConnectorError(status: response.status, "token request to \(Redaction.url(url)) failed with \(response.status)\(ConnectorError.serverText(response).map { ": \($0)" } ?? "")"))
        }
        let lifetime = Double(json["expires_in"]?.intValue ?? 3600)
        // Renew a little early so a token does not expire between check and use.
        return .success((token, clock.now() + max(1, lifetime * 0.95 - 1)))
    }
}

/// `application/x-www-form-urlencoded` escaping (RFC 6749 appendix B for client credentials).
public enum FormEncoding {
    /// Percent-escapes everything but RFC 3986's unreserved characters: safe in a form body, a
    /// query value and a path segment.
    public static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
