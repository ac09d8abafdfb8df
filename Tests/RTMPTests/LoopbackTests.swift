import Core
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import RTMP

/// The project's own client against its own server over 127.0.0.1: publish, play, refusals.
@Suite("RTMP loopback")
struct LoopbackTests {
    static let avcRecord: [UInt8] = [
        0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0x00, 0x1A,
        0x67, 0x64, 0x00, 0x1F, 0xAC, 0xD9, 0x40, 0x50, 0x05, 0xBB, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00,
        0x10, 0x00, 0x00, 0x03, 0x03, 0xC0, 0xF1, 0x83, 0x19, 0x60,
        0x01, 0x00, 0x04, 0x68, 0xEF, 0x8F, 0xCB,
    ]

    final class Collected: Sendable {
        let packets = Mutex<[MediaPacket]>([])
        func add(_ p: MediaPacket) { packets.withLock { $0.append(p) } }
        var count: Int { packets.withLock { $0.count } }
    }

    @Test("a client publishes into the server's hub and another client plays it back")
    func publishAndPlay() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let logger = Logger(label: "test")
        let registry = Registry(bus: EventBus())
        let hub = StreamHub(registry: registry, logger: logger)
        let server = RTMPServer(hub: hub, registry: registry, logger: logger, group: group)
        let port = try await server.start(host: "127.0.0.1", port: 0)

        let sourceHub = StreamHub(registry: Registry(bus: EventBus()), logger: logger)
        let source = try sourceHub.publish(name: "src", mediaProvider: "test")
        source.send(MediaPacket(kind: .video, codec: .h264, dts: 0, isKeyframe: true, isConfig: true,
                                payload: ByteBuffer(bytes: Self.avcRecord)))
        let url = try RTMPURL("rtmp://127.0.0.1:\(port)/live/cam", hasStreamName: true)
        let pusher = try await RTMPClient.publish(url: url, subscription: try sourceHub.subscribe(name: "src"),
                                                  timestamps: TimestampStore(), group: group, logger: logger)
        for i in 0..<10 {
            source.send(MediaPacket(kind: .video, codec: .h264, dts: Int64(i * 40), isKeyframe: i % 5 == 0,
                                    payload: ByteBuffer(repeating: UInt8(i), count: 5000)))
        }
        let stream = try await waitFor { registry.all(Stream.self).first { $0.name == "cam" && $0.width == 1280 } }
        #expect(stream.height == 720 && stream.videoCodec == "H264" && stream.published)

        let got = Collected()
        let player = try await RTMPClient.play(url: url, group: group, logger: logger) { got.add($0) }
        _ = try await waitFor { registry.all(Stream.self).first { !$0.published } }
        for i in 10..<20 {
            source.send(MediaPacket(kind: .video, codec: .h264, dts: Int64(i * 40), isKeyframe: i % 5 == 0,
                                    payload: ByteBuffer(repeating: UInt8(i), count: 5000)))
        }
        _ = try await waitFor { got.count >= 11 ? true : nil }
        let packets = got.packets.withLock { $0 }
        #expect(packets.first?.isConfig == true)
        #expect(packets.dropFirst().first?.isKeyframe == true)
        #expect(packets.last?.payload.readableBytes == 5000)

        source.end(reason: "done")
        await pusher.waitUntilClosed()
        await player.waitUntilClosed()
        _ = try await waitFor { registry.all(Stream.self).isEmpty ? true : nil }
        await server.shutdown()
        try await group.shutdownGracefully()
    }

    @Test("playing a stream nobody publishes is refused with a typed error")
    func playMissing() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let logger = Logger(label: "test")
        let registry = Registry(bus: EventBus())
        let server = RTMPServer(hub: StreamHub(registry: registry, logger: logger), registry: registry,
                                logger: logger, group: group)
        let port = try await server.start(host: "127.0.0.1", port: 0)
        let url = try RTMPURL("rtmp://127.0.0.1:\(port)/live/none", hasStreamName: true)
        await #expect(throws: RTMPError.rejected("NetStream.Play.StreamNotFound")) {
            _ = try await RTMPClient.play(url: url, group: group, logger: logger) { _ in }
        }
        await server.shutdown()
        try await group.shutdownGracefully()
    }

    @Test("URLs parse app, name and credentials; other schemes are refused")
    func urls() throws {
        let u = try RTMPURL("rtmp://bob:s3cret@example.org:1940/live/cam?k=1", hasStreamName: true)
        #expect(u.host == "example.org" && u.port == 1940 && u.app == "live" && u.streamName == "cam?k=1")
        #expect(u.user == "bob" && u.connectApp == "live?user=bob&pass=s3cret")
        #expect(u.tcUrl == "rtmp://example.org:1940/live")
        let app = try RTMPURL("rtmp://h/live", hasStreamName: false)
        #expect(app.app == "live" && app.port == 1935 && app.streamName == nil)
        #expect(throws: RTMPError.self) { try RTMPURL("http://h/live/x", hasStreamName: true) }
        #expect(throws: RTMPError.self) { try RTMPURL("rtmp://h/live", hasStreamName: true) }
    }

    @Test("timestamps stay monotonic across segments")
    func rebaser() {
        var r = TimestampRebaser()
        #expect(r.map(dts: 5000, isEssential: false) == 0)
        #expect(r.map(dts: 5040, isEssential: false) == 40)
        r.startSegment()
        #expect(r.map(dts: 0, isEssential: true) == 40)
        #expect(r.map(dts: 100, isEssential: false) == 80)
        #expect(r.map(dts: 140, isEssential: false) == 120)
    }
}

/// Polls `probe` until it returns a value (up to 10 s).
func waitFor<T>(_ probe: () -> T?) async throws -> T {
    for _ in 0..<200 {
        if let value = probe() { return value }
        try await Task.sleep(for: .milliseconds(50))
    }
    throw RTMPError.timeout
}
