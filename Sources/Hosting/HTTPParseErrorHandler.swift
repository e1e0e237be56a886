import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request the HTTP parser cannot read in the service's error shape: 431 for a head
/// too large for it, 400 for anything else that is not HTTP/1.1.
///
/// Left alone, Hummingbird answers NIO's parser errors with an empty 400 and stops reading the
/// connection without closing it: a client still writing a multi-megabyte header then blocks
/// forever. This handler sits between the HTTP codec and Hummingbird, swallows the error, writes
/// the answer (with `Connection: close`), half-closes, keeps reading and discarding what the client
/// still sends (so its write completes and it reads the answer), and closes after a short linger,
/// as Go's HTTP server (gorouter) does.
final class HTTPParseErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let host: FakeHost
    private var refused = false

    /// How long the connection stays open for the client to read the answer.
    static let linger = TimeAmount.seconds(2)

    init(host: FakeHost) {
        self.host = host
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if refused { return }  // the parser's follow-up errors for the bytes it now drops
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        refused = true
        let answer = parserError == .headerOverflow
            ? host.service.refusal(status: 431, detail: "The request header fields are larger than \(FakeServer.headLimit) bytes.")
            : host.service.refusal(status: 400, detail: "The request is not valid HTTP/1.1 (\(parserError)).")
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        fields[.connection] = "close"
        fields[.contentLength] = String(answer.body.count)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .init(code: answer.status), headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: answer.body))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            let context = loopBound.value
            context.close(mode: .output, promise: nil)
            context.eventLoop.scheduleTask(in: Self.linger) { loopBound.value.close(promise: nil) }
        }
        context.read()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if refused {
            context.read()  // keep draining: nobody downstream asks for more
        } else {
            context.fireChannelReadComplete()
        }
    }
}
