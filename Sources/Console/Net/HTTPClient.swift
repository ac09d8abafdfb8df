import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client over a unix socket or TCP: one request per connection.
///
/// Why hand-written: the console needs JSON POSTs and one long-lived `text/event-stream`
/// response, over the server's unix control socket as well as TCP. AsyncHTTPClient can reach a
/// unix socket only through `http+unix://` URLs and buffers through its own delegate machinery;
/// it brings NIOSSL/BoringSSL and a connection pool the console does not need. A hundred lines
/// on NIOHTTP1 do the job and keep the console build small.
public struct HTTPClient: Sendable {
    /// A complete response.
    public struct Response: Sendable {
        /// The HTTP status code.
        public var status: Int
        /// The Content-Type header.
        public var contentType: String?
        /// The body bytes.
        public var body: [UInt8]
        /// The body as UTF-8 text.
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Where requests go.
    public let endpoint: Endpoint
    /// The NIO event loops the connections run on.
    let group: any EventLoopGroup
    /// Largest response body kept by `send` (16 MiB): a snapshot PNG fits easily.
    public static let maxBody = 16 << 20

    /// A client for `endpoint` on `group` (NIO's shared loops by default).
    public init(endpoint: Endpoint, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.endpoint = endpoint
        self.group = group
    }

    typealias Wire = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    /// A stream that sends nothing, not even its 15 s keep-alive comments, for this long is
    /// taken as dead (a hung server or a silently dropped network path) and reconnected.
    public static let streamIdleTimeout: TimeAmount = .seconds(45)

    private func connect(idleTimeout: TimeAmount? = nil) async throws -> Wire {
        let bootstrap = ClientBootstrap(group: group).connectTimeout(.seconds(3))
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Wire> = { channel in
            channel.eventLoop.makeCompletedFuture {
                if let idleTimeout {
                    try channel.pipeline.syncOperations.addHandlers(
                        IdleStateHandler(readTimeout: idleTimeout), CloseOnIdle())
                }
                try channel.pipeline.syncOperations.addHTTPClientHandlers()
                return try Wire(wrappingChannelSynchronously: channel)
            }
        }
        do {
            switch endpoint {
            case .unix(let path):
                return try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
            case .tcp(let host, let port, _):
                return try await bootstrap.connect(host: host, port: port, channelInitializer: initializer)
            }
        } catch let error as IOError {
            throw ConsoleError.connection(String(cString: strerror(error.errnoCode)))  // "Connection refused"
        } catch {
            throw ConsoleError.connection("\(error)")
        }
    }

    private func head(_ method: HTTPMethod, _ path: String, bodyLength: Int?, accept: String) -> HTTPRequestHead {
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
        head.headers.add(name: "Host", value: endpoint.hostHeader)
        head.headers.add(name: "Accept", value: accept)
        head.headers.add(name: "Connection", value: "close")
        head.headers.add(name: "User-Agent", value: "switchboard-console")
        if let bodyLength {
            head.headers.add(name: "Content-Type", value: "application/json")
            head.headers.add(name: "Content-Length", value: String(bodyLength))
        }
        if case .tcp(_, _, let auth?) = endpoint { head.headers.add(name: "Authorization", value: auth) }
        return head
    }

    /// Sends one request and collects the whole response.
    /// - Parameters:
    ///   - method: GET or POST.
    ///   - path: the request target (`/rest-api/stream/find_all`).
    ///   - body: a JSON body, or nil.
    ///   - timeout: the deadline for the whole exchange.
    /// - Throws: `ConsoleError.connection`, `.timeout` or `.badResponse`.
    public func send(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil,
                     timeout: Duration = .seconds(10)) async throws -> Response {
        try await withThrowingTaskGroup(of: Response?.self) { group in
            group.addTask { try await self.exchange(method, path, body: body) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let response = first else { throw ConsoleError.timeout }
            return response
        }
    }

    private func exchange(_ method: HTTPMethod, _ path: String, body: [UInt8]?) async throws -> Response {
        let wire = try await connect()
        let request = head(method, path, bodyLength: body?.count, accept: "application/json")
        return try await wire.executeThenClose { inbound, outbound in
            // One write: a server that answers and closes as soon as it has the request must
            // not make a second write of ours fail ("I/O on closed channel").
            var parts: [HTTPClientRequestPart] = [.head(request)]
            if let body { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            parts.append(.end(nil))
            try await outbound.write(contentsOf: parts)
            var response = Response(status: 0, contentType: nil, body: [])
            for try await part in inbound {
                switch part {
                case .head(let h):
                    response.status = Int(h.status.code)
                    response.contentType = h.headers.first(name: "Content-Type")
                case .body(let buffer):
                    guard response.body.count + buffer.readableBytes <= Self.maxBody else {
                        throw ConsoleError.badResponse("body larger than \(Self.maxBody) bytes")
                    }
                    response.body.append(contentsOf: buffer.readableBytesView)
                case .end:
                    return response
                }
            }
            throw ConsoleError.connection("closed before the response ended")
        }
    }

    /// Opens a streaming GET (the event stream) and hands each body chunk to `onChunk` until
    /// the server closes the connection or the task is cancelled.
    /// - Parameters:
    ///   - path: the request target (`/rest-api/events`).
    ///   - onChunk: called with the bytes of each body chunk, in order; return false to stop.
    /// - Throws: `ConsoleError.connection` when the connection fails or ends, `.api` when the
    ///   server answers with an error status.
    public func stream(_ path: String, onChunk: ([UInt8]) throws -> Bool) async throws {
        let wire = try await connect(idleTimeout: Self.streamIdleTimeout)
        let request = head(.GET, path, bodyLength: nil, accept: "text/event-stream")
        try await wire.executeThenClose { inbound, outbound in
            try await outbound.write(contentsOf: [.head(request), .end(nil)])  // one write, as in `exchange`
            var status = 0
            var errorBody: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let h):
                    status = Int(h.status.code)
                case .body(let buffer):
                    if status == 200 {
                        if try !onChunk(Array(buffer.readableBytesView)) { return }
                    } else if errorBody.count < 65_536 {
                        errorBody.append(contentsOf: buffer.readableBytesView)
                    }
                case .end:
                    if status != 200 { throw RESTClient.error(status: status, body: errorBody) }
                    throw ConsoleError.connection("event stream ended")
                }
            }
            throw ConsoleError.connection("event stream closed")
        }
    }
}

/// Closes the channel when `IdleStateHandler` reports that nothing was read for its timeout.
final class CloseOnIdle: ChannelInboundHandler {
    typealias InboundIn = NIOAny

    /// Closes on a read-idle event; passes other events on.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

@available(*, unavailable)
extension CloseOnIdle: Sendable {}
