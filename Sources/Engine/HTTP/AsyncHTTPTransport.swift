import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// `HTTPTransport` over AsyncHTTPClient, with keep-alive connections shared by all systems.
public final class AsyncHTTPTransport: HTTPTransport {
    private let client: HTTPClient

    public init(maxConnectionsPerHost: Int = 16) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: maxConnectionsPerHost)
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes all connections; call once when done.
    public func shutdown() async {
        try? await client.shutdown()
    }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(bytes: body))
        }
        let seconds = Int64(timeout.components.seconds)
        let nanos = Int64(timeout.components.attoseconds / 1_000_000_000)
        let limit = TimeAmount.nanoseconds(seconds * 1_000_000_000 + nanos)
        do {
            let response = try await client.execute(outgoing, deadline: .now() + limit)
            let body = try await response.body.collect(upTo: 64 << 20)
            return HTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: body))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .timeout
        } catch {
            throw .connection(Self.describe(error))
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let e = error as? HTTPClientError {
            switch e {
            case .remoteConnectionClosed: return "the server closed the connection"
            case .connectTimeout: return "connect timed out"
            default: return "\(e)"
            }
        }
        return "\(error)"
    }
}
