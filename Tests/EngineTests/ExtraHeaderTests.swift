import Chrono
import Engine
import Synchronization
import Testing

/// `ips.http.header.<name>` (docs/fidelity.md, “The provisioning engine”): an `Authorization` header of the system's own is
/// overridden only when credentials are configured.
@Suite("ips.http.header")
struct ExtraHeaderTests {
    /// Answers 200 and keeps the headers of every request.
    final class RecordingTransport: HTTPTransport {
        let sent = Mutex<[[(name: String, value: String)]]>([])
        func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
            sent.withLock { $0.append(request.headers) }
            return HTTPResponse(status: 200, body: Array("{}".utf8))
        }
        var authorizations: [String] {
            sent.withLock { $0.flatMap { $0.filter { $0.name.lowercased() == "authorization" }.map(\.value) } }
        }
    }

    private func send(_ authorization: SystemClient.Authorization) async throws -> RecordingTransport {
        let transport = RecordingTransport()
        let client = SystemClient(systemName: "s", transport: transport, authorization: authorization,
                                  retry: RetryPolicy(attempts: 0, interval: 0, systemType: .scim), pacer: nil, clock: SimulatedClock(),
                                  timeout: .seconds(60), extraHeaders: [("Authorization", "Bearer from-property"), ("X-Trace", "1")])
        _ = try await client.send("GET", "http://127.0.0.1:1/Users", purpose: .read(fullRead: true))
        return transport
    }

    @Test func withoutCredentialsTheHeaderOfThePropertyIsSent() async throws {
        #expect(try await send(.none).authorizations == ["Bearer from-property"])
    }

    @Test func configuredCredentialsOverrideIt() async throws {
        #expect(try await send(.header("Basic dTpw")).authorizations == ["Basic dTpw"])
    }
}
