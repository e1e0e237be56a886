import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Serves a `FakeHost` over HTTP/1.1 on a local address, in this process.
public final class FakeServer: Sendable {
    public let host: FakeHost
    public let bindHost: String
    public let port: Int
    private let serviceGroup: ServiceGroup
    private let task: Task<Void, any Error>

    /// The base URL clients use: `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://\(bindHost):\(port)" }

    private init(host: FakeHost, bindHost: String, port: Int, serviceGroup: ServiceGroup, task: Task<Void, any Error>) {
        self.host = host
        self.bindHost = bindHost
        self.port = port
        self.serviceGroup = serviceGroup
        self.task = task
    }

    /// Starts serving; `port` 0 picks a free port. Returns once the server accepts connections.
    public static func start(_ host: FakeHost, bindHost: String = "127.0.0.1", port: Int = 0) async throws -> FakeServer {
        var logger = Logger(label: "provsim.fake.\(host.service.name)")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int?>.makeStream()
        let app = Application(
            responder: FakeResponder(host: host),
            server: .http1(configuration: httpConfiguration(host)),
            configuration: ApplicationConfiguration(address: .hostname(bindHost, port: port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var bound: Int?
        for await value in ports {
            bound = value
            break
        }
        guard let bound else {
            task.cancel()
            _ = try? await task.value
            throw FakeServerError(message: "could not listen on \(bindHost):\(port)")
        }
        host.baseURL = "http://\(bindHost):\(bound)"
        return FakeServer(host: host, bindHost: bindHost, port: bound, serviceGroup: group, task: task)
    }

    /// NIO's parser reads request heads up to 1 MiB (the largest any fake's front end accepts),
    /// so `FakeHost` sees the request and answers 414 or 431 itself; a head beyond that, or bytes
    /// that are not HTTP, are answered by `HTTPParseErrorHandler` (431 or 400 in the service's
    /// shape) instead of NIO's bare 400 and a stalled connection. Idle connections close after two minutes, longer than any client's pool
    /// keeps them (the engine's: 30 s).
    private static func httpConfiguration(_ host: FakeHost) -> HTTP1Channel.Configuration {
        HTTP1Channel.Configuration(
            additionalChannelHandlers: [HTTPParseErrorHandler(host: host)],
            idleTimeout: .seconds(120),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: headLimit, maxHeaderListSize: headLimit, maxHeaderFieldCount: 10_000))
    }

    /// The most bytes of a request head the HTTP parser reads.
    static let headLimit = (1 << 20) + 16_384

    /// Stops accepting connections and waits for the server to finish (requests held by a `hang`
    /// fault are let go first: nobody waits for their answer any more).
    public func stop() async {
        host.held.releaseAll()
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

public struct FakeServerError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The request context: Hummingbird's, plus the channel (to reset connections on purpose).
struct FakeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Hummingbird's own cap is not used: `FakeResponder` reads up to the host's limits.
    var maxUploadSize: Int { RequestLimits.standard.largestBody }
}

/// Adapts Hummingbird requests to `FakeHost` and back.
struct FakeResponder: HTTPResponder {
    typealias Context = FakeRequestContext
    let host: FakeHost

    func respond(to request: Request, context: FakeRequestContext) async throws -> Response {
        var headers: [(name: String, value: String)] = []
        for field in request.headers { headers.append((field.name.rawName, field.value)) }
        let target = request.uri.string
        let (body, bodyLength) = await Self.collectBody(request, limit: host.service.requestLimits.bodyLimit(target: target))
        let fake = FakeRequest(method: request.method.rawValue, target: target, headers: headers, body: body, bodyLength: bodyLength)
        let answer = await host.handle(fake)
        switch answer.action {
        case .respond:
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
            }
            return Response(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
        case .resetConnection:
            // SO_LINGER with a zero timeout makes close() send a TCP reset.
            if let socket = context.channel as? any SocketOptionProvider {
                try? await socket.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
            }
            try? await context.channel.close()
            throw FakeServerError(message: "connection reset on purpose")
        case .closeWithoutResponse:
            try? await context.channel.close()
            throw FakeServerError(message: "connection closed on purpose")
        case .holdWithoutAnswer:
            // Silence; the client times out. The hold ends when the server stops.
            await host.held.hold()
            try? await context.channel.close()
            throw FakeServerError(message: "no answer on purpose (hang fault)")
        }
    }

    /// The body, read up to `limit` bytes, and its length. A body announced (Content-Length) or
    /// found to be longer is not read into memory: its length alone lets the host answer 413.
    static func collectBody(_ request: Request, limit: Int) async -> (body: [UInt8], length: Int) {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            return ([], declared)
        }
        do {
            let buffer = try await request.body.collect(upTo: limit)
            return (Array(buffer.readableBytesView), buffer.readableBytes)
        } catch {
            // NIOTooManyBytesError, or a connection that ended mid-body: either way not a body
            // the service should see. A length past the limit makes the host refuse it.
            return ([], limit + 1)
        }
    }
}
