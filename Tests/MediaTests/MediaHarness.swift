import Core
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import RTMP
import Testing
@testable import Media

/// A stand-in server for running Tests/integration/test_media.py before the Server module
/// wires the media services: RTMP plus the media REST methods on loopback. Runs only when
/// SWITCHBOARD_MEDIA_HARNESS_DIR names a data folder; prints "READY rest=<port> rtmp=<port>".
@Suite struct MediaHarness {
    @Test("harness: serve media REST until killed")
    func serve() async throws {
        guard let data = ProcessInfo.processInfo.environment["SWITCHBOARD_MEDIA_HARNESS_DIR"] else { return }
        let registry = Registry(bus: EventBus())
        let logger = Logger(label: "harness")
        let hub = StreamHub(registry: registry, logger: logger)
        let group = MultiThreadedEventLoopGroup.singleton
        let rtmp = RTMPServer(hub: hub, registry: registry, logger: logger, group: group)
        let rtmpPort = try await rtmp.start(host: "127.0.0.1", port: 0)
        let routes = HarnessRoutes(
            registry: registry,
            recording: RecordingService(hub: hub, registry: registry, recordsDirectory: data + "/records", logger: logger),
            snapshots: SnapshotService(hub: hub, registry: registry, logger: logger),
            transcoders: TranscoderService(hub: hub, registry: registry, logger: logger),
            vod: VODService(hub: hub, registry: registry, mediaDirectory: data + "/media", logger: logger),
            rtsp: RTSPService(hub: hub, registry: registry, logger: logger))
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(HarnessHTTPHandler(routes: routes))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let restPort = channel.localAddress?.port ?? 0
        FileHandle.standardOutput.write(Data("READY rest=\(restPort) rtmp=\(rtmpPort)\n".utf8))
        try await Task.sleep(for: .seconds(3600))
    }
}

/// The media REST methods, translated to the services as the Server will do.
struct HarnessRoutes: Sendable {
    let registry: Registry
    let recording: RecordingService
    let snapshots: SnapshotService
    let transcoders: TranscoderService
    let vod: VODService
    let rtsp: RTSPService

    struct Fields: Decodable {
        var name: String?
        var mediaSessionId: String?
        var fileTemplate: String?
        var uri: String?
    }

    /// (status, JSON body) for a POST to `path` (after /rest-api).
    func handle(path: String, body: Data) async -> (Int, Data) {
        let json = body.isEmpty ? Data("{}".utf8) : body
        do {
            let fields = try JSONDecoder().decode(Fields.self, from: json)
            switch path {
            case "/stream/find":
                let found = registry.all(Core.Stream.self).filter { $0.name == fields.name }
                guard !found.isEmpty else { throw ServiceError.notFound("Stream not found") }
                return (200, try JSONEncoder().encode(found))
            case "/stream/startRecording":
                _ = try await recording.startRecording(mediaSessionId: fields.mediaSessionId ?? "", fileTemplate: fields.fileTemplate)
                return (200, Data())
            case "/stream/stopRecording":
                try await recording.stopRecording(mediaSessionId: fields.mediaSessionId ?? "")
                return (200, Data())
            case "/stream/snapshot":
                let png = try await snapshots.snapshot(streamName: fields.name ?? "")
                return (200, try JSONEncoder().encode(["data": Data(png).base64EncodedString()]))
            case "/transcoder/startup":
                return (200, try JSONEncoder().encode(try await transcoders.startup(
                    try JSONDecoder().decode(TranscoderStartupRequest.self, from: json))))
            case "/transcoder/terminate":
                try await transcoders.terminate(uri: fields.uri ?? "")
                return (200, Data())
            case "/vod/startup":
                return (200, try JSONEncoder().encode(try await vod.startup(
                    try JSONDecoder().decode(VODStartupRequest.self, from: json))))
            case "/rtsp/startup":
                return (200, try JSONEncoder().encode(try await rtsp.startup(
                    try JSONDecoder().decode(RTSPStartupRequest.self, from: json))))
            case "/rtsp/find_all":
                return (200, try JSONEncoder().encode(registry.all(RtspAgent.self)))
            case "/rtsp/terminate":
                try await rtsp.terminate(uri: fields.uri ?? "")
                return (200, Data())
            default:
                return Self.error(404, "No such method")
            }
        } catch let error as ServiceError {
            switch error {
            case .notFound(let text): return Self.error(404, text)
            case .conflict(let text), .unsupported(let text): return Self.error(409, text)
            case .invalid(let text, _): return Self.error(400, text)
            case .notImplemented(let text): return Self.error(501, text)
            case .failed(let text): return Self.error(500, text)
            }
        } catch {
            return Self.error(400, "\(error)")
        }
    }

    static func error(_ status: Int, _ message: String) -> (Int, Data) {
        (status, (try? JSONEncoder().encode(["status": "\(status)", "message": message])) ?? Data())
    }
}

/// Collects one request and answers it with `HarnessRoutes`.
final class HarnessHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let routes: HarnessRoutes
    private var path = ""
    private var body = Data()

    init(routes: HarnessRoutes) { self.routes = routes }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = head.uri.hasPrefix("/rest-api") ? String(head.uri.dropFirst("/rest-api".count)) : head.uri
            body = Data()
        case .body(var buffer):
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            let channel = context.channel
            let (path, body, routes) = (self.path, self.body, self.routes)
            Task {
                let (status, payload) = await routes.handle(path: path, body: body)
                var head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status))
                head.headers.add(name: "Content-Type", value: "application/json")
                head.headers.add(name: "Content-Length", value: String(payload.count))
                channel.write(HTTPServerResponsePart.head(head), promise: nil)
                channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: payload))), promise: nil)
                channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil)
            }
        }
    }
}
