import Fakes
import Foundation
import Hosting
import JSON
import Testing

@Suite("OAuth2 and authentication on the SCIM fakes")
struct AuthenticationTests {
    @Test("client credentials in the form give a bearer token with the client's scopes")
    func tokenFromForm() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let form = "grant_type=client_credentials&client_id=\(HTTP.encoded(fake.clientId))&client_secret=\(HTTP.encoded(fake.secret))"
            let r = try await HTTP.send(.POST, fake.tokenURL, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
            #expect(r.status == 200)
            #expect(r.json["token_type"] == "bearer")
            #expect(r.json["scope"] == "scim.read scim.write")
            #expect(r.json["expires_in"] == 43_199)
            #expect(r.header("cache-control") == "no-store")
            let token = try #require(r.json["access_token"]?.stringValue)
            #expect(token.split(separator: ".").count == 3)
            let list = try await HTTP.json(.GET, fake.scim + "/Users", token: token)
            #expect(list.status == 200)
        }
    }

    @Test("client credentials as HTTP Basic on the token endpoint")
    func tokenWithBasicClientAuthentication() async throws {
        try await RunningFake.afc().use { fake in
            let basic = Data("\(fake.clientId):\(fake.secret)".utf8).base64EncodedString()
            let r = try await HTTP.send(.POST, fake.tokenURL, headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/x-www-form-urlencoded")],
                                        body: Array("grant_type=client_credentials".utf8))
            #expect(r.status == 200)
            #expect(r.json["access_token"]?.stringValue != nil)
        }
    }

    @Test("a wrong secret is 401 in UAA's OAuth format, and the secret is not echoed")
    func wrongSecret() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let form = "grant_type=client_credentials&client_id=\(HTTP.encoded(fake.clientId))&client_secret=not-the-secret"
            let r = try await HTTP.send(.POST, fake.tokenURL, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
            #expect(r.status == 401)
            #expect(r.json == ["error": "unauthorized", "error_description": "Bad credentials"])
            #expect(!String(decoding: r.body, as: UTF8.self).contains("not-the-secret"))
        }
    }

    @Test("token endpoint errors: missing grant, unsupported grant, unknown scope, GET")
    func tokenEndpointErrors() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let credentials = "client_id=\(HTTP.encoded(fake.clientId))&client_secret=\(HTTP.encoded(fake.secret))"
            func post(_ form: String) async throws -> HTTP.Response {
                try await HTTP.send(.POST, fake.tokenURL, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(form.utf8))
            }
            let missing = try await post(credentials)
            #expect(missing.status == 400)
            #expect(missing.json["error"] == "invalid_request")
            let password = try await post(credentials + "&grant_type=password&username=a&password=b")
            #expect(password.status == 400)
            #expect(password.json["error"] == "invalid_client")
            let unknown = try await post(credentials + "&grant_type=magic")
            #expect(unknown.json["error"] == "unsupported_grant_type")
            let scope = try await post(credentials + "&grant_type=client_credentials&scope=cloud_controller.admin")
            #expect(scope.status == 400)
            #expect(scope.json["error"] == "invalid_scope")
            let get = try await HTTP.send(.GET, fake.tokenURL)
            #expect(get.status == 405)
        }
    }

    @Test("no Authorization header: 401 with a SCIM error body and a Bearer challenge")
    func missingToken() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let r = try await HTTP.json(.GET, fake.scim + "/Users")
            #expect(r.status == 401)
            #expect(r.json["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"])
            #expect(r.json["status"] == "401")
            #expect(r.header("www-authenticate")?.hasPrefix("Bearer") == true)
            #expect(r.header("content-type")?.hasPrefix("application/scim+json") == true)
        }
    }

    @Test("a tampered or malformed token is 401 invalid_token")
    func tamperedToken() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            var parts = token.split(separator: ".").map(String.init)
            parts[2] = String(parts[2].reversed())
            for bad in [parts.joined(separator: "."), "garbage", token + "x"] {
                let r = try await HTTP.json(.GET, fake.scim + "/Users", token: bad)
                #expect(r.status == 401, "\(bad)")
                #expect(r.header("www-authenticate")?.contains("invalid_token") == true)
            }
        }
    }

    @Test("a token from another fake's issuer is refused")
    func foreignToken() async throws {
        try await RunningFake.identityDirectory(seed: 1).use { directory in
            try await RunningFake.afc(seed: 2).use { afc in
                let token = try await directory.token()
                let r = try await HTTP.json(.GET, afc.scim + "/Users", token: token)
                #expect(r.status == 401)
            }
        }
    }

    @Test("tokens expire in simulated time: advancing the clock past expires_in gives 401")
    func expiredToken() async throws {
        try await RunningFake.identityDirectory().use { fake in
            let token = try await fake.token()
            #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: token).status == 200)
            let advanced = try await fake.control(.POST, "clock/advance", ["seconds": 43_200])
            #expect(advanced.status == 200)
            let r = try await HTTP.json(.GET, fake.scim + "/Users", token: token)
            #expect(r.status == 401)
            #expect(r.json["detail"] == "The token has expired")
            #expect(r.header("www-authenticate")?.contains("error=\"invalid_token\"") == true)
            // A new token works again.
            #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: try await fake.token()).status == 200)
        }
    }

    @Test("a token without scim.write may read but gets 403 on writes")
    func missingScope() async throws {
        try await RunningFake.afc().use { fake in
            let readOnly = try await fake.token(scope: "scim.read")
            #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: readOnly).status == 200)
            let r = try await HTTP.json(.POST, fake.scim + "/Users", token: readOnly, body: user("jdoe"))
            #expect(r.status == 403)
            #expect(r.json["status"] == "403")
            #expect(r.json["detail"]?.stringValue?.contains("scim.write") == true)
            // .search is a read.
            let search = try await HTTP.json(.POST, fake.scim + "/Users/.search", token: readOnly, body: ["schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]])
            #expect(search.status == 200)
            let writeOnly = try await fake.token(scope: "scim.write")
            #expect(try await HTTP.json(.GET, fake.scim + "/Users", token: writeOnly).status == 403)
        }
    }

    @Test("the Identity Directory accepts HTTP Basic client credentials, AFC does not")
    func basicAuthentication() async throws {
        try await RunningFake.identityDirectory().use { directory in
            try await RunningFake.afc().use { afc in
                func basic(_ fake: RunningFake, secret: String) -> [(String, String)] {
                    [("Authorization", "Basic " + Data("\(fake.clientId):\(secret)".utf8).base64EncodedString())]
                }
                #expect(try await HTTP.send(.GET, directory.scim + "/Users", headers: basic(directory, secret: directory.secret)).status == 200)
                #expect(try await HTTP.send(.GET, directory.scim + "/Users", headers: basic(directory, secret: "wrong")).status == 401)
                #expect(try await HTTP.send(.GET, afc.scim + "/Users", headers: basic(afc, secret: afc.secret)).status == 401)
                // What the discovery document says matches.
                let token = try await afc.token()
                let config = try await HTTP.json(.GET, afc.scim + "/ServiceProviderConfig", token: token).json
                #expect(config["authenticationSchemes"]?.arrayValue?.count == 1)
                let directoryConfig = try await HTTP.send(.GET, directory.scim + "/ServiceProviderConfig", headers: basic(directory, secret: directory.secret)).json
                #expect(directoryConfig["authenticationSchemes"]?.arrayValue?.count == 2)
            }
        }
    }
}
