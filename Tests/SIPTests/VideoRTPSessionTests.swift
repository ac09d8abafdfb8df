import Core
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import SIP

/// A video session on loopback: a test socket plays the far end's RTP and catches its RTCP.
@Suite("VideoRTPSession", .serialized)
struct VideoRTPSessionTests {
    typealias D = H264DepacketizerTests

    /// RTP with the given payload from the far end's socket.
    static func rtp(_ payload: [UInt8], sequence: UInt16, timestamp: UInt32, marker: Bool) -> ByteBuffer {
        var buffer = ByteBuffer()
        RTPHeader(marker: marker, payloadType: 96, sequenceNumber: sequence, timestamp: timestamp, ssrc: 0xCAFE)
            .write(to: &buffer)
        buffer.writeBytes(payload)
        return buffer
    }

    @Test("no keyframe: PLI; the keyframe is published with its configuration; a lost picture: another PLI")
    func keyframeRequestAndPublish() async throws {
        let logger = Logger(label: "video-test")
        let registry = Registry(bus: EventBus())
        let hub = StreamHub(registry: registry, logger: logger)
        let base = 10_000 + Int.random(in: 0..<500) * 20
        let session = try await VideoRTPSession.open(host: "127.0.0.1", port: base, logger: logger)
        let publication = try hub.publish(name: "video-test", mediaProvider: "SIP")
        let subscription = try hub.subscribe(name: "video-test")
        var answer = try #require(try SDPVideoAnswer(parsing: SDPVideoTests.baresipAnswer))
        answer.port = base + 10
        try session.start(answer: answer, publication: publication, clock: CallMediaClock())

        let rtcp = Mutex<[ByteBuffer]>([])
        let farEnd = try await RTPSocketPair.bind(host: "127.0.0.1", port: base + 10, onRTP: { _ in },
                                                  onRTCP: { packet in rtcp.withLock { $0.append(packet.data) } })
        let far = farEnd.rtp
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: base)
        func send(_ packet: ByteBuffer) async throws {
            try await far.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: packet)).get()
        }

        try await send(Self.rtp([0x41, 1, 2, 3], sequence: 1, timestamp: 0, marker: true))
        var sequence: UInt16 = 2
        let payloads = [D.stapA([D.sps, D.pps])] + D.fuA(D.idr(2_500), size: 1_000)
        for (index, payload) in payloads.enumerated() {
            try await send(Self.rtp(payload, sequence: sequence, timestamp: 3_600, marker: index == payloads.count - 1))
            sequence += 1
        }
        var video: [MediaPacket] = []
        while video.count < 2, let item = await subscription.next() {
            if case .packet(let packet) = item, packet.kind == .video { video.append(packet) }
        }
        #expect(video.first?.isConfig == true)
        #expect(video.last?.isKeyframe == true && video.last?.isConfig == false)
        #expect(video.last?.payload.readableBytes == 4 + D.sps.count + 4 + D.pps.count + 4 + 2_500)
        #expect(publication.codecConfig.video?.codec == .h264)

        for _ in 0..<50 where rtcp.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(20)) }
        let first = try #require(rtcp.withLock { $0.first })
        let bytes = first.getBytes(at: 0, length: first.readableBytes) ?? []
        #expect(bytes[1] == 201, "a compound packet starts with a receiver report")
        let pli = bytes.suffix(12)
        #expect(pli.first == 0x81 && pli.dropFirst().first == 206, "PLI: PT 206, FMT 1")
        #expect(Array(pli.suffix(4)) == [0, 0, 0xCA, 0xFE], "about the far end's SSRC")
        let counts = session.counts
        #expect(counts.pictures == 1 && counts.skipped == 1 && counts.keyframeRequests == 1)

        // A picture loses its middle fragment: once the reorder window gives up on it, the picture is
        // dropped, the pictures after it still go out, and the next request comes after the minimum gap.
        let fragments = D.fuA([0x41] + [UInt8](repeating: 7, count: 2_500), size: 1_000)
        try await send(Self.rtp(fragments[0], sequence: sequence, timestamp: 7_200, marker: false))
        try await send(Self.rtp(fragments[2], sequence: sequence + 2, timestamp: 7_200, marker: true))
        sequence += 3
        try await Task.sleep(for: .milliseconds(Int64(KeyframeRequester.minimumGap.nanoseconds / 1_000_000)))
        for index in 0..<RTPReorderBuffer<Int>.defaultDepth {
            let timestamp = 10_800 + UInt32(index) * 3_600
            try await send(Self.rtp([0x41, UInt8(index)], sequence: sequence, timestamp: timestamp, marker: true))
            sequence += 1
        }
        for _ in 0..<50 where session.counts.keyframeRequests < 2 { try await Task.sleep(for: .milliseconds(20)) }
        let afterLoss = session.counts
        #expect(afterLoss.dropped == 1 && afterLoss.keyframeRequests == 2)
        #expect(afterLoss.pictures >= 1 + RTPReorderBuffer<Int>.defaultDepth - 1)

        subscription.cancel()
        publication.end(reason: "test over")
        await session.close()
        await farEnd.close()
    }
}
