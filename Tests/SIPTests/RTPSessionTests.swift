import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import SIP

@Suite("RTP session over real sockets")
struct RTPSessionTests {
    /// What the session delivered.
    final class Received: Sendable {
        let samples = Mutex<[Int16]>([])
    }

    /// Headers of the RTP packets a peer socket got.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let headers = Mutex<[RTPHeader]>([])
        /// The telephone events among them (payload type 101).
        let events = Mutex<[DTMFEvent]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard let (header, payload) = try? RTPHeader.parse(unwrapInboundIn(data).data) else { return } // not RTP
            headers.withLock { $0.append(header) }
            if header.payloadType == 101, let event = try? DTMFEvent(parsing: payload) {
                events.withLock { $0.append(event) }
            }
        }
    }

    /// A UDP socket on a free port that collects what arrives.
    static func collectingPeer() async throws -> (any Channel, Collector) {
        let collector = Collector()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(collector) }
            .bind(host: "127.0.0.1", port: 0).get()
        return (channel, collector)
    }

    /// A session on a free even port below the ephemeral range, answered by `peer` with PCMU
    /// (or what `media` says: the m= line's formats and the attributes after it).
    static func session(answeredBy peer: any Channel, received: Received,
                        media: String = "0\n") async throws -> RTPSession {
        var lastError: (any Error)?
        for _ in 0..<10 {
            do {
                let session = try await RTPSession.open(host: "127.0.0.1", port: 20_000 + Int.random(in: 0..<5_000) * 2,
                                                        logger: Logger(label: "rtp-test"))
                let port = peer.localAddress?.port ?? 0
                let answer = try SDPAnswer(parsing: "v=0\nc=IN IP4 127.0.0.1\nm=audio \(port) RTP/AVP \(media)")
                try session.configure(answer: answer, feed: CallAudioFeed()) { samples in
                    received.samples.withLock { $0 += samples }
                }
                return session
            } catch {
                lastError = error  // port taken: try another
            }
        }
        throw lastError ?? SIPError.badSDP("no port")
    }

    /// Sends one PCMU packet of 160 equal bytes from `peer` to the session.
    static func send(from peer: any Channel, to session: RTPSession, sequence: UInt16, byte: UInt8) async throws {
        var buffer = peer.allocator.buffer(capacity: 172)
        RTPHeader(marker: false, payloadType: 0, sequenceNumber: sequence, timestamp: UInt32(sequence) * 160,
                  ssrc: 77).write(to: &buffer)
        buffer.writeRepeatingByte(byte, count: 160)
        let target = try SocketAddress(ipAddress: "127.0.0.1", port: session.port)
        try await peer.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: buffer)).get()
    }

    @Test("the last packet of a talkspurt, behind a lost one, is decoded though nothing follows it")
    func jitterTimerReleasesTheEnd() async throws {
        let peer = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let received = Received()
        let session = try await Self.session(answeredBy: peer, received: received)
        try await Self.send(from: peer, to: session, sequence: 1, byte: 0x00)  // µ-law: -32124
        try await Self.send(from: peer, to: session, sequence: 3, byte: 0x80)  // µ-law: +32124; 2 is lost
        var samples: [Int16] = []
        for _ in 0..<50 where samples.count < 480 {
            try await Task.sleep(for: .milliseconds(20))
            samples = received.samples.withLock { $0 }
        }
        await session.close()
        try await peer.close()
        #expect(samples.count == 480, "packet 1, 20 ms of silence for 2, packet 3")
        #expect(samples.prefix(160).allSatisfy { $0 < -30_000 })
        #expect(samples.dropFirst(160).prefix(160).allSatisfy { $0 == 0 })
        #expect(samples.suffix(160).allSatisfy { $0 > 30_000 })
        #expect(session.jitterCounts.lost == 1)
    }

    @Test("a re-INVITE to Opus at another port moves RTP there, with Opus's type and no timestamp jump")
    func followMovesAndSwapsCodec() async throws {
        let (first, firstGot) = try await Self.collectingPeer()
        let (second, secondGot) = try await Self.collectingPeer()
        let session = try await Self.session(answeredBy: first, received: Received())
        try await Task.sleep(for: .milliseconds(200))
        let port = second.localAddress?.port ?? 0
        let offer = try SDPAnswer(parsing: "v=0\nc=IN IP4 127.0.0.1\nm=audio \(port) RTP/AVP 107\n"
                                  + "a=rtpmap:107 opus/48000/2\n")
        try session.follow(offer)
        try await Task.sleep(for: .milliseconds(150))
        let beforeLatePacket = firstGot.headers.withLock { $0.count }
        try await Self.send(from: first, to: session, sequence: 1, byte: 0xFF)  // late, from the old address
        try await Task.sleep(for: .milliseconds(200))
        await session.close()
        try await first.close()
        try await second.close()
        let before = firstGot.headers.withLock { $0 }
        let after = secondGot.headers.withLock { $0 }
        #expect(before.count >= 5 && before.allSatisfy { $0.payloadType == 0 })
        #expect(before.count == beforeLatePacket, "a late packet from the old address does not pull RTP back there")
        #expect(after.count >= 5 && after.allSatisfy { $0.payloadType == 107 }, "Opus frames at the new port")
        guard let last = before.last, let next = after.first else { return }
        #expect(next.sequenceNumber &- last.sequenceNumber == 1, "one stream goes on")
        let step = next.timestamp &- last.timestamp
        #expect(step > 0 && step <= 8 * 160, "the timestamps go on (\(step) ticks), not jump to 48 kHz frame counts")
        #expect(after.count < 2 || after[1].timestamp &- after[0].timestamp == 960, "20 ms at 48 kHz")
    }

    @Test("DTMF next to Opus counts durations on Opus's 48 kHz clock though the answer has telephone-event/8000")
    func dtmfDurationsFollowTheAudioClock() async throws {
        let (peer, got) = try await Self.collectingPeer()
        let session = try await Self.session(answeredBy: peer, received: Received(),
                                             media: "107 101\na=rtpmap:107 opus/48000/2\na=rtpmap:101 telephone-event/8000\n")
        await session.sendDTMF("5")
        await session.close()
        try await peer.close()
        let events = got.events.withLock { $0 }
        #expect(events.first?.event == 5)
        #expect(events.last?.isEnd == true)
        #expect(events.last?.duration == 9_600, "200 ms at 48 kHz, the clock of the timestamps")
    }
}
