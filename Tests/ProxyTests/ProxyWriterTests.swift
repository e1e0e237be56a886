import JSON
import SCIM
import Testing
import TestSupport
import Transformation
@testable import Proxy

@Suite("Proxy writes")
struct ProxyWriterTests {
    static let base = "https://tenant.example/ipsproxy/service/api/v1/scim/1b2c3d"

    func writer(_ backend: MemoryBackend, write: String = "xsuaa-proxy-write", read: String = "xsuaa-proxy-read") throws -> ProxyWriter {
        let properties = ["xsuaa.origin": "sap.custom"]
        let reader = ProxyReader(backend: backend, transformation: try Transformation(text: try #require(BuiltinTransformations.text(named: read)), properties: properties), baseLocation: Self.base)
        return ProxyWriter(reader: reader, transformation: try Transformation(text: try #require(BuiltinTransformations.text(named: write)), properties: properties))
    }

    static let newUser: JSONValue = fixtureJSON(#"""
    {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "jdoe", "name": {"givenName": "John", "familyName": "Doe"},
     "emails": [{"value": "john.doe@example.com", "type": "work"}], "active": true}
    """#)

    @Test func aCreateIsWriteTransformedStoredAndReadTransformed() async throws {
        let backend = MemoryBackend([])
        let result = try await writer(backend).create(.user, Self.newUser)
        #expect(result.status == 201 && result.skipReason == nil)
        // The back-end got the XSUAA shape: placeholder ID, origin, SCIM 1.0 schema, a primary e-mail.
        let sent = try #require(backend.writes.first)
        #expect(sent.hasPrefix("POST ") && sent.contains(#""id":"xsuaa-dummy-value""#) && sent.contains(#""origin":"sap.custom""#))
        #expect(sent.contains(#""schemas":["urn:scim:schemas:core:1.0"]"#) && sent.contains(#""primary":true"#))
        // The client gets the entity through the read transformation, with the back-end's ID.
        let body = try #require(result.body)
        #expect(body["id"] == "id-100" && body["meta"]?["location"] == .string(Self.base + "/Users/id-100"))
        #expect(body["userName"] == "jdoe")
    }

    @Test func aPutAddressesTheBackendID() async throws {
        let backend = MemoryBackend([ProxyReaderTests.user(1)])
        let result = try await writer(backend).replace(.user, id: "id-1", Self.newUser)
        #expect(result.status == 200)
        #expect(backend.writes.first?.hasPrefix(#"PUT id-1 {"id":"id-1","userName":"jdoe""#) == true, "\(backend.writes)")
        #expect(result.body?["userName"] == "jdoe" && result.body?["id"] == "id-1")
    }

    @Test func aGroupPatchPassesTheClientsOperationsThrough() async throws {
        let backend = MemoryBackend([ProxyReaderTests.user(1)])
        let patch = try JSONParser.parse(#"""
        {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "userName", "value": "renamed"}]}
        """#)
        // The XSUAA proxy write transformation passes PATCH through for groups; the memory
        // back-end stands in for a group here and answers without a body: so does the proxy.
        let result = try await writer(backend).patch(.group, id: "id-1", patch)
        #expect(backend.writes == [#"PATCH id-1 {"Operations":[{"op":"replace","path":"userName","value":"renamed"}],"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}"#])
        #expect(result.status == 204 && result.body == nil)
        #expect(backend.users[0]["userName"] == "renamed")
    }

    @Test func aDeleteReachesTheBackend() async throws {
        let backend = MemoryBackend([ProxyReaderTests.user(1)])
        let result = try await writer(backend).delete(.user, id: "id-1")
        #expect(result == ProxyWriteResult(status: 204, body: nil, skipReason: nil))
        #expect(backend.users.isEmpty)
    }

    @Test func backendErrorsReachTheClient() async throws {
        let backend = MemoryBackend([ProxyReaderTests.user(1, userName: "jdoe")])
        await #expect(throws: SCIMError.conflict("userName jdoe exists")) { try await writer(backend).create(.user, Self.newUser) }
        await #expect(throws: SCIMError.notFound("User id-9 not found")) { try await writer(backend).delete(.user, id: "id-9") }
    }

    @Test func aMandatoryMappingWithoutValueIsAnInvalidValueNamingTheRule() async throws {
        let backend = MemoryBackend([])
        let withoutUserName = try JSONParser.parse(#"{"emails": [{"value": "x@y.z"}]}"#)
        let writer = try writer(backend)
        do throws(SCIMError) {
            _ = try await writer.create(.user, withoutUserName)
            Issue.record("a user without userName must fail")
        } catch {
            #expect(error.status == 400 && error.scimType == .invalidValue && error.detail.contains("user.mappings"), "\(error)")
        }
        #expect(backend.writes.isEmpty)
    }

    /// Platform Members skips user updates: nothing reaches the back-end, the client gets the
    /// user as it is, and the skip reason in IPS's wording.
    @Test func aSkippedUpdateDoesNotReachTheBackend() async throws {
        let backend = MemoryBackend([ProxyReaderTests.user(1)])
        let writer = try writer(backend, write: "cf-platform-members-proxy-write", read: "cf-platform-members-proxy-read")
        let result = try await writer.replace(.user, id: "id-1", Self.newUser)
        #expect(backend.writes.isEmpty)
        #expect(result.status == 200 && result.body?["userName"] == "u1")
        #expect(result.skipReason == "Operation [update] is skipped in target transformation")
    }
}
