import Core
import Logging
import NIOCore
import Synchronization
import Testing

/// Packets and a hub for tests.
enum HubFixture {
    static func hub(capacity: Int = 64) -> (StreamHub, Registry) {
        let registry = Registry(bus: EventBus())
        return (StreamHub(registry: registry, logger: Logger(label: "test"), subscriberCapacity: capacity), registry)
    }

    static func video(_ ms: Int64, key: Bool = false, size: Int = 100) -> MediaPacket {
        MediaPacket(kind: .video, codec: .h264, dts: ms, isKeyframe: key,
                    payload: ByteBuffer(repeating: 0xAB, count: size))
    }

    static func audio(_ ms: Int64) -> MediaPacket {
        MediaPacket(kind: .audio, codec: .aac, dts: ms, isKeyframe: true, payload: ByteBuffer(bytes: [1, 2, 3]))
    }

    /// An AVCDecoderConfigurationRecord holding a 1280x720 High-profile SPS (x264 output).
    static let avcRecord720p: [UInt8] = [
        0x01, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0x00, 0x1A,
        0x67, 0x64, 0x00, 0x1F, 0xAC, 0xD9, 0x40, 0x50, 0x05, 0xBB, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00,
        0x10, 0x00, 0x00, 0x03, 0x03, 0xC0, 0xF1, 0x83, 0x19, 0x60,
        0x01, 0x00, 0x04, 0x68, 0xEF, 0x8F, 0xCB,
    ]

    static func videoConfig() -> MediaPacket {
        MediaPacket(kind: .video, codec: .h264, dts: 0, isKeyframe: true, isConfig: true,
                    payload: ByteBuffer(bytes: avcRecord720p))
    }

    static func audioConfig() -> MediaPacket {
        MediaPacket(kind: .audio, codec: .aac, dts: 0, isKeyframe: true, isConfig: true,
                    payload: ByteBuffer(bytes: [0x12, 0x10]))  // AAC LC, 44.1 kHz, 2 channels
    }
}

@Suite("stream hub")
struct StreamHubTests {
    @Test("every subscriber gets every packet, sharing one buffer")
    func fanOut() throws {
        let (hub, _) = HubFixture.hub()
        let pub = try hub.publish(name: "cam", mediaProvider: "RTMP")
        let subs = try (0..<3).map { _ in try hub.subscribe(name: "cam", player: "RTMP") }
        pub.send(HubFixture.video(0, key: true))
        pub.send(HubFixture.audio(10))
        pub.send(HubFixture.video(33))
        for sub in subs {
            let (packets, end) = sub.drain()
            #expect(packets.map(\.dts) == [0, 10, 33])
            #expect(end == nil)
        }
        let a = subs[0].drain().packets, b = subs[1].drain().packets
        #expect(a.isEmpty && b.isEmpty)
    }

    @Test("a late subscriber starts with the configuration and the last keyframe's GOP")
    func gopStart() throws {
        let (hub, _) = HubFixture.hub()
        let pub = try hub.publish(name: "cam", mediaProvider: "RTMP")
        pub.send(HubFixture.videoConfig())
        pub.send(HubFixture.audioConfig())
        pub.send(HubFixture.video(0, key: true))
        pub.send(HubFixture.video(33))
        pub.send(HubFixture.video(66, key: true))
        pub.send(HubFixture.audio(70))
        pub.send(HubFixture.video(100))
        let sub = try hub.subscribe(name: "cam")
        let packets = sub.drain().packets
        #expect(packets.prefix(2).allSatisfy { $0.isConfig })
        #expect(packets.dropFirst(2).map(\.dts) == [66, 70, 100])
        #expect(packets[2].isKeyframe)
    }

    @Test("publisher Stream object shows size from the SPS, codecs and status")
    func streamObject() throws {
        let (hub, registry) = HubFixture.hub()
        let pub = try hub.publish(name: "cam", mediaProvider: "RTMP")
        pub.send(HubFixture.videoConfig())
        pub.send(HubFixture.audioConfig())
        let stream = try #require(registry.get(Stream.self, id: pub.mediaSessionId))
        #expect(stream.status == .PUBLISHING && stream.published)
        #expect(stream.width == 1280 && stream.height == 720)
        #expect(stream.videoCodec == "H264" && stream.audioCodec == "AAC")
        #expect(stream.mediaProvider == "RTMP")
        let config = try #require(hub.codecConfig(of: "cam"))
        #expect(config.audio?.sampleRate == 44100 && config.audio?.channels == 2)
        let player = try hub.subscribe(name: "cam", player: "RTMP")
        let playerObject = try #require(registry.get(Stream.self, id: player.mediaSessionId))
        #expect(playerObject.status == .PLAYING && !playerObject.published && playerObject.width == 1280)
    }

    @Test("a slow subscriber drops to the next keyframe and counts it; others lose nothing")
    func slowSubscriber() throws {
        let (hub, _) = HubFixture.hub(capacity: 4)
        let pub = try hub.publish(name: "cam", mediaProvider: "RTMP")
        let slow = try hub.subscribe(name: "cam", player: "RTMP")
        let fast = try hub.subscribe(name: "cam", player: "RTMP", capacity: 100)
        pub.send(HubFixture.videoConfig())
        pub.send(HubFixture.video(0, key: true))
        for i in 1...9 { pub.send(HubFixture.video(Int64(i) * 10)) }
        pub.send(HubFixture.video(100, key: true))
        pub.send(HubFixture.video(110))
        #expect(fast.drain().packets.count == 13)
        let packets = slow.drain().packets
        #expect(packets.first?.isConfig == true)
        #expect(packets.dropFirst().map(\.dts) == [100, 110])
        #expect(slow.droppedPackets == 10)
        #expect(fast.droppedPackets == 0)
    }

    @Test("a GOP longer than the queue is still replayed whole to a new subscriber")
    func longGOPReplay() throws {
        let (hub, _) = HubFixture.hub(capacity: 4)
        let pub = try hub.publish(name: "cam", mediaProvider: "RTMP")
        pub.send(HubFixture.video(0, key: true))
        for i in 1...9 { pub.send(HubFixture.video(Int64(i) * 10)) }
        let sub = try hub.subscribe(name: "cam")
        #expect(sub.drain().packets.map(\.dts) == (0...9).map { Int64($0) * 10 })
        #expect(sub.droppedPackets == 0)
    }

    @Test("a publisher leaving ends its players after their queued packets and removes the objects")
    func publisherLeaves() async throws {
        let (hub, registry) = HubFixture.hub()
        let pub = try hub.publish(name: "cam", mediaProvider: "RTMP")
        let sub = try hub.subscribe(name: "cam", player: "RTMP")
        pub.send(HubFixture.video(0, key: true))
        pub.end(reason: "publisher left")
        let first = await sub.next()
        if case .packet(let p) = first { #expect(p.dts == 0) } else { Issue.record("expected a packet") }
        let second = await sub.next()
        if case .ended(let reason) = second { #expect(reason == "publisher left") } else { Issue.record("expected end") }
        #expect(await sub.next() == nil)
        #expect(registry.all(Stream.self).isEmpty)
        #expect(!hub.isPublished("cam"))
        #expect(throws: HubError.notPublished("cam")) { try hub.subscribe(name: "cam") }
    }

    @Test("a waiting consumer resumes when the stream is published")
    func waitForPublisher() async throws {
        let (hub, _) = HubFixture.hub()
        let waiter = Task { try await hub.waitUntilPublished("later") }
        try await Task.sleep(for: .milliseconds(20))
        _ = try hub.publish(name: "later", mediaProvider: "RTMP")
        try await waiter.value
    }

    @Test("a second publisher of the same name and invalid names are refused")
    func refusals() throws {
        let (hub, _) = HubFixture.hub()
        _ = try hub.publish(name: "cam", mediaProvider: "RTMP")
        #expect(throws: HubError.alreadyPublished("cam")) { try hub.publish(name: "cam", mediaProvider: "RTMP") }
        #expect(throws: HubError.self) { try hub.publish(name: "../x", mediaProvider: "RTMP") }
    }

    @Test("each player of an offered name gets a private stream that ends when the player leaves")
    func offeredNameGivesPrivateStreams() throws {
        let (hub, registry) = HubFixture.hub()
        let started = Mutex<[Publication]>([])
        try hub.offer(name: "film") { publication in
            publication.setTerminationHandler { reason in publication.end(reason: reason) }
            publication.send(HubFixture.video(0, key: true))
            started.withLock { $0.append(publication) }
        }
        #expect(!hub.isPublished("film"))
        #expect(throws: HubError.notPublished("film")) { try hub.subscribe(name: "film") }  // not a player
        #expect(throws: HubError.alreadyPublished("film")) { try hub.publish(name: "film", mediaProvider: "RTMP") }
        let first = try hub.subscribe(name: "film", player: "RTMP")
        let second = try hub.subscribe(name: "film", player: "RTMP")
        let sources = started.withLock { $0 }
        try #require(sources.count == 2)
        sources[0].send(HubFixture.video(40))
        #expect(first.drain().packets.map(\.dts) == [0, 40])  // its own stream from the start
        #expect(second.drain().packets.map(\.dts) == [0])      // not the other player's packets
        first.cancel()
        sources[0].send(HubFixture.video(80))                   // ended with its player: goes nowhere
        sources[1].send(HubFixture.video(40))
        #expect(second.drain().packets.map(\.dts) == [40])
        sources[1].end(reason: "end of file")
        #expect(second.drain().endReason == "end of file")
        #expect(registry.all(Stream.self).isEmpty)
        hub.withdraw(name: "film")
        #expect(throws: HubError.notPublished("film")) { try hub.subscribe(name: "film", player: "RTMP") }
    }

    @Test("terminate ends players and asks publishers to stop")
    func terminate() async throws {
        let (hub, registry) = HubFixture.hub()
        let pub = try hub.publish(name: "cam", mediaProvider: "RTMP")
        let asked = Counter()
        pub.setTerminationHandler { reason in
            asked.add()
            pub.end(reason: reason)
        }
        let sub = try hub.subscribe(name: "cam", player: "RTMP")
        await hub.terminate(mediaSessionIds: [sub.mediaSessionId], reason: "Stopped by rest /terminate")
        #expect(sub.drain().endReason == "Stopped by rest /terminate")
        #expect(registry.all(Stream.self).count == 1)
        await hub.terminate(mediaSessionIds: [pub.mediaSessionId], reason: "Stopped by rest /terminate")
        #expect(asked.value == 1)
        #expect(registry.all(Stream.self).isEmpty)
    }

    @Test("SPS parsing gives 1280x720 for an x264 High-profile SPS")
    func spsSize() {
        let size = H264SPS.pictureSize(avcRecord: ByteBuffer(bytes: HubFixture.avcRecord720p))
        #expect(size?.width == 1280 && size?.height == 720)
        #expect(H264SPS.pictureSize(avcRecord: ByteBuffer(bytes: [1, 2, 3])) == nil)
    }
}

extension SubscriptionItem: Equatable {
    public static func == (a: SubscriptionItem, b: SubscriptionItem) -> Bool {
        switch (a, b) {
        case (.ended(let x), .ended(let y)): x == y
        case (.packet(let x), .packet(let y)): x.dts == y.dts
        default: false
        }
    }
}

/// A thread-safe counter for callbacks.
final class Counter: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
