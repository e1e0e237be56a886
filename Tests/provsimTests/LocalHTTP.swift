import AsyncHTTPClient
import Foundation
import JSON
import NIOCore
import NIOHTTP1
import Testing

/// HTTP to services a test started (`provsim serve`): a request and its JSON answer, and a
/// client-credentials token from a service's line.
enum LocalHTTP {
    struct Reply {
        let status: Int
        let json: JSONValue
    }

    static func send(_ method: HTTPMethod, _ url: String, bearer: String? = nil, basic: (String, String)? = nil, contentType: String = "application/scim+json", body: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let (id, secret) = basic { request.headers.add(name: "Authorization", value: "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))  // a margin for a saturated machine, not a measurement
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), json: (try? JSONParser.parse(Array(bytes.readableBytesView))) ?? .null)
    }

    static func token(_ service: JSONValue) async throws -> String {
        let id = service["clientId"]?.stringValue ?? ""
        let secret = service["clientSecret"]?.stringValue ?? ""
        let encoded = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
        let reply = try await send(.POST, service["tokenURL"]?.stringValue ?? "", contentType: "application/x-www-form-urlencoded",
                                   body: "grant_type=client_credentials&client_id=\(encoded)&client_secret=\(secret)")
        return try #require(reply.json["access_token"]?.stringValue)
    }
}
