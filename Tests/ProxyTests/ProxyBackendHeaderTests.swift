import Engine
import JSON
import Synchronization
import Testing
@testable import Proxy

/// A SCIM proxy back-end sends what the system's properties ask for, as jobs do (docs/fidelity.md, “The provisioning engine”):
/// `*.content.type` (default `application/scim+json`) and `If-Match: *` with
/// `*.include.if.match.wildcard.header`.
@Suite("Proxy back-end headers")
struct ProxyBackendHeaderTests {
    final class RecordingTransport: HTTPTransport {
        let sent = Mutex<[HTTPRequest]>([])
        func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
            sent.withLock { $0.append(request) }
            return HTTPResponse(status: 200, body: Array(#"{"id": "1"}"#.utf8))
        }
        func header(_ name: String, method: String) -> String? {
            sent.withLock { $0.last { $0.method == method }?.headers.last { $0.name.lowercased() == name }?.value }
        }
    }

    private func backend(_ properties: String) throws -> (SCIMProxyBackend, RecordingTransport) {
        let document = try JSONParser.parse(#"""
        {"systems": {"p": {"type": "scim", "role": "proxy",
          "properties": {"URL": "http://127.0.0.1:1", "Authentication": "BasicAuthentication", "User": "u", "Password": "p"\#(properties)},
          "transformation": {"user": {"mappings": [{"sourcePath": "$", "targetPath": "$"}]}},
          "writeTransformation": {"user": {"mappings": [{"sourcePath": "$", "targetPath": "$"}]}}}}}
        """#)
        let systems = try SystemsConfiguration(json: document, loadFile: { (path) throws(SystemsError) -> String in
            throw SystemsError(field: "transformation", message: "cannot read \(path)")
        })
        let transport = RecordingTransport()
        let engine = ProvisioningEngine(systems: systems, transport: transport)
        return (try SCIMProxyBackend(engine: engine, system: "p"), transport)
    }

    @Test func byDefaultSCIMContentTypeAndNoIfMatch() async throws {
        let (backend, transport) = try backend("")
        _ = try await backend.replace(.user, id: "1", ["userName": "a"])
        #expect(transport.header("content-type", method: "PUT") == "application/scim+json")
        #expect(transport.header("if-match", method: "PUT") == nil)
    }

    @Test func thePropertiesChangeThem() async throws {
        let (backend, transport) = try backend(#", "scim.content.type": "application/json", "scim.include.if.match.wildcard.header": "true""#)
        _ = try await backend.replace(.user, id: "1", ["userName": "a"])
        #expect(transport.header("content-type", method: "PUT") == "application/json")
        #expect(transport.header("if-match", method: "PUT") == "*")
    }
}
