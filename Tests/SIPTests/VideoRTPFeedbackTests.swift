import Core
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import SIP

/// NACK, sender reports and re-pointing of a video session on loopback: test sockets play the
/// far end and keep every datagram they get.
@Suite("VideoRTPSession feedback", .serialized)
struct VideoRTPFeedbackTests {
    /// A far end's RTP/RTCP socket pair that keeps what arrives.
    final class FarEnd: Sendable {
        /// What arrived, apart from the sockets so their handlers can hold it.
        final class Received: Sendable {
            let rtp = Mutex<[ByteBuffer]>([])
            let rtcp = Mutex<[ByteBuffer]>([])
        }

        let received = Received()
        let sockets: RTPSocketPair

        init(port: Int) async throws {
            let received = self.received
            sockets = try await RTPSocketPair.bind(host: "127.0.0.1", port: port,
                                                   onRTP: { packet in received.rtp.withLock { $0.append(packet.data) } },
                                                   onRTCP: { packet in received.rtcp.withLock { $0.append(packet.data) } })
        }

        /// Waits up to a second for `count` RTP packets and returns what arrived.
        func rtpPackets(atLeast count: Int) async throws -> [ByteBuffer] {
            for _ in 0..<50 where received.rtp.withLock({ $0.count < count }) { try await Task.sleep(for: .milliseconds(20)) }
            return received.rtp.withLock { $0 }
        }

        /// Waits up to a second for an RTCP packet that `match` accepts.
        func rtcpPacket(where match: (ByteBuffer) -> Bool) async throws -> ByteBuffer? {
            for _ in 0..<50 {
                if let found = received.rtcp.withLock({ $0.first(where: match) }) { return found }
                try await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }

        func send(_ packet: ByteBuffer, toRTCP: Bool = false, port: Int) async throws {
            let channel = toRTCP ? sockets.rtcp : sockets.rtp
            let target = try SocketAddress(ipAddress: "127.0.0.1", port: toRTCP ? port + 1 : port)
            try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: packet)).get()
        }
    }

    /// A started session on a free port whose answer (baresip's, plus generic NACK) points at a
    /// far end on `port + 10`.
    static func session(nack: Bool = true) async throws -> (VideoRTPSession, FarEnd, Int) {
        let logger = Logger(label: "video-feedback-test")
        let base = 12_000 + Int.random(in: 0..<400) * 20
        let session = try await VideoRTPSession.open(host: "127.0.0.1", port: base, logger: logger)
        let text = SDPVideoTests.baresipAnswer + (nack ? "a=rtcp-fb:96 nack\r\n" : "")
        var answer = try #require(try SDPVideoAnswer(parsing: text))
        #expect(answer.acceptsNack == nack)
        answer.port = base + 10
        let hub = StreamHub(registry: Registry(bus: EventBus()), logger: logger)
        try session.start(answer: answer, publication: try hub.publish(name: "feedback-\(base)", mediaProvider: "SIP"),
                          clock: CallMediaClock())
        return (session, try await FarEnd(port: base + 10), base)
    }

    static func header(_ packet: ByteBuffer) throws -> RTPHeader { try RTPHeader.parse(packet).0 }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] { buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? [] }

    static func nack(media: UInt32, _ sequences: [UInt16]) -> ByteBuffer {
        var buffer = ByteBuffer()
        RTCPFeedback.nack(sender: 0xCAFE, media: media, sequences: sequences, into: &buffer)
        return buffer
    }

    @Test("a NACK gets exactly the packets it names back, byte for byte; malformed ones are ignored")
    func retransmission() async throws {
        let (session, far, base) = try await Self.session()
        session.send((0..<5).map { [0x41, UInt8($0)] + [UInt8](repeating: UInt8($0), count: 100) }, timestamp: 9_000)
        let sent = try await far.rtpPackets(atLeast: 5)
        try #require(sent.count == 5)
        let first = try Self.header(sent[0])
        let ssrc = first.ssrc
        try await far.send(Self.nack(media: ssrc, [first.sequenceNumber &+ 1, first.sequenceNumber &+ 3]),
                           toRTCP: true, port: base)
        let resent = try await far.rtpPackets(atLeast: 7)
        #expect(resent.count == 7)
        #expect(resent.dropFirst(5).map(Self.bytes) == [Self.bytes(sent[1]), Self.bytes(sent[3])])

        // Cut short, a length past the end, another SSRC, version 1, not even a header: nothing resent.
        var truncated = Self.nack(media: ssrc, [first.sequenceNumber])
        truncated.moveWriterIndex(to: truncated.writerIndex - 2)
        var version1 = Self.nack(media: ssrc, [first.sequenceNumber])
        version1.setInteger(UInt8(0x41), at: 0)
        var short = ByteBuffer()
        short.writeBytes([0x81, 205, 0])
        var noFCI = ByteBuffer()
        noFCI.writeBytes([0x81, 205, 0, 2, 0, 0, 0xCA, 0xFE])
        noFCI.writeInteger(ssrc)
        for bad in [truncated, version1, short, noFCI, Self.nack(media: ssrc &+ 1, [first.sequenceNumber])] {
            try await far.send(bad, toRTCP: true, port: base)
        }
        // A compound packet (a receiver report first) with a NACK after it still works.
        var compound = RTCPReport.compound(RTCPReport.Content(ssrc: 0xCAFE), cname: "far", allocator: .init())
        compound.writeImmutableBuffer(Self.nack(media: ssrc, [first.sequenceNumber &+ 4]))
        try await far.send(compound, toRTCP: true, port: base)
        let after = try await far.rtpPackets(atLeast: 8)
        try await Task.sleep(for: .milliseconds(100))
        #expect(far.received.rtp.withLock { $0.count } == 8)
        #expect(after.last.map(Self.bytes) == Self.bytes(sent[4]))
        let counts = session.counts
        #expect(counts.retransmitted == 3 && counts.nacksReceived == 2 && counts.sentPackets == 8)
        await session.close()
        await far.sockets.close()
    }

    @Test("without NACK in the answer, NACKs resend nothing")
    func noNackNegotiated() async throws {
        let (session, far, base) = try await Self.session(nack: false)
        session.send([[0x41, 1, 2, 3]], timestamp: 0)
        let sent = try await far.rtpPackets(atLeast: 1)
        let header = try Self.header(try #require(sent.first))
        try await far.send(Self.nack(media: header.ssrc, [header.sequenceNumber]), toRTCP: true, port: base)
        try await Task.sleep(for: .milliseconds(100))
        #expect(far.received.rtp.withLock { $0.count } == 1 && session.counts.retransmitted == 0)
        await session.close()
        await far.sockets.close()
    }

    @Test("after sending video the report is a sender report: PT 200, our SSRC, what we sent, the RTP time of now")
    func senderReport() async throws {
        let (session, far, _) = try await Self.session()
        let payloads = [[UInt8](repeating: 1, count: 1_000), [UInt8](repeating: 2, count: 333)]
        session.send(payloads, timestamp: 90_000)
        session.send([[0x41, 9]], timestamp: 93_600)
        let sent = try await far.rtpPackets(atLeast: 3)
        let ssrc = try Self.header(try #require(sent.first)).ssrc
        session.sendReport()
        let report = try #require(try await far.rtcpPacket { $0.getInteger(at: 1, as: UInt8.self) == 200 })
        #expect(report.getInteger(at: 0, as: UInt8.self) == 0x80, "no report block: nothing received yet")
        #expect(report.getInteger(at: 4, as: UInt32.self) == ssrc)
        let rtpTime = try #require(report.getInteger(at: 16, as: UInt32.self))
        #expect((93_600...93_600 + 9_000).contains(rtpTime), "the last picture's time plus under 100 ms")
        #expect(report.getInteger(at: 20, as: UInt32.self) == 3)
        #expect(report.getInteger(at: 24, as: UInt32.self) == UInt32(1_000 + 333 + 2))
        #expect(report.getInteger(at: 29, as: UInt8.self) == 202, "then the SDES")
        let counts = session.counts
        #expect(counts.senderReports == 1 && counts.sentOctets == 1_335)

        // Nothing sent since: the next report is no sender report (and, with nothing received, none at all).
        session.sendReport()
        try await Task.sleep(for: .milliseconds(100))
        #expect(far.received.rtcp.withLock { $0.count } == 1 && session.counts.senderReports == 1)
        await session.close()
        await far.sockets.close()
    }

    @Test("a gap in the far end's video is NACKed once, naming the missing packets")
    func receiveGapNack() async throws {
        let (session, far, base) = try await Self.session()
        typealias D = H264DepacketizerTests
        let keyframe = [D.stapA([D.sps, D.pps]), D.idr(100)]
        try await far.send(VideoRTPSessionTests.rtp(keyframe[0], sequence: 100, timestamp: 0, marker: false), port: base)
        try await far.send(VideoRTPSessionTests.rtp(keyframe[1], sequence: 101, timestamp: 0, marker: true), port: base)
        for sequence: UInt16 in [104, 105, 106] {  // 102 and 103 lost
            let payload: [UInt8] = [0x41, UInt8(sequence)]
            try await far.send(VideoRTPSessionTests.rtp(payload, sequence: sequence, timestamp: UInt32(sequence) * 3_600,
                                                         marker: true), port: base)
        }
        let nack = try #require(try await far.rtcpPacket { !RTCPFeedback.nackedSequences(in: $0, media: 0xCAFE).isEmpty })
        #expect(RTCPFeedback.nackedSequences(in: nack, media: 0xCAFE) == [102, 103])
        #expect(nack.getInteger(at: 1, as: UInt8.self) == 201, "after a receiver report")
        try await Task.sleep(for: .milliseconds(100))
        #expect(session.counts.nacksSent == 1)
        await session.close()
        await far.sockets.close()
    }

    @Test("a re-INVITE's new port re-points our video; port 0 stops it; old RTP does not latch back")
    func rePoint() async throws {
        let (session, far, base) = try await Self.session()
        session.send([[0x41, 1]], timestamp: 0)
        _ = try await far.rtpPackets(atLeast: 1)
        let moved = try await FarEnd(port: base + 20)
        var offer = try #require(try SDPVideoAnswer(parsing: SDPVideoTests.baresipAnswer))
        offer.port = base + 20
        #expect(try session.follow(offer))
        try await far.send(VideoRTPSessionTests.rtp([0x41, 0], sequence: 1, timestamp: 0, marker: true), port: base)
        try await Task.sleep(for: .milliseconds(50))
        session.send([[0x41, 2]], timestamp: 3_600)
        let arrived = try await moved.rtpPackets(atLeast: 1)
        #expect(arrived.count == 1 && far.received.rtp.withLock { $0.count } == 1)

        #expect(try session.follow(nil) == false)
        session.send([[0x41, 3]], timestamp: 7_200)
        try await Task.sleep(for: .milliseconds(100))
        #expect(moved.received.rtp.withLock { $0.count } == 1 && session.counts.sentPackets == 2)
        await session.close()
        await far.sockets.close()
        await moved.sockets.close()
    }
}
