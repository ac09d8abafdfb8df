import Core
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The video RTP and RTCP sockets of one call (SwiftNIO datagram channels, on their own port
/// pair from the call's pool).
///
/// Incoming H.264 is put back in order (`RTPReorderBuffer`), reassembled into pictures
/// (`H264Depacketizer`) and published on the call's hub stream (`H264CallPublisher`). The work
/// per packet is copying bytes, so it runs on the channel's event loop like the audio path.
/// Keyframes are asked for with RTCP PLI or FIR (`KeyframeRequester` says when), in a compound
/// packet after a report; a report also goes out every 5 s: a sender report when we sent video
/// since the last one, else a receiver report. When the far end negotiated generic NACK
/// (RFC 4585 §6.2.1), a sequence gap is NACKed once as it appears (the reorder window then
/// waits a little for the retransmission before the loss leads to a keyframe request), and
/// its NACKs for our video get the packets resent unchanged from `RTPSendHistory`. RTP is
/// symmetric: RTCP goes to where the far end's RTCP comes from, else its RTP source port + 1,
/// and video we send (`VideoInjector`) goes to where its RTP comes from.
final class VideoRTPSession: RTPSocketOwner {
    /// The local RTP port (RTCP is the next one).
    let port: Int
    private let sockets: RTPSocketPair
    private var rtp: any Channel { sockets.rtp }
    private var rtcp: any Channel { sockets.rtcp }
    private let logger: Logger
    private let state = Mutex(State())

    private struct State: RTPRemoteState {
        var answer: SDPVideoAnswer?
        var publication: Publication?
        var clock: CallMediaClock?
        var remote: SocketAddress?
        var isLatched = false
        var formerRemote: SocketAddress?
        /// A re-INVITE took video away (port 0): nothing is sent.
        var isRemoved = false
        var rtcpPeer = RTCPPeer()
        var reporter: RepeatedTask?
        let ssrc = UInt32.random(in: 1...UInt32.max)
        var firSequence: UInt8 = 0
        var reorder = RTPReorderBuffer<(RTPHeader, ByteBuffer)>()
        var depacketizer = H264Depacketizer()
        var publisher = H264CallPublisher(parameterSets: [])
        var keyframes = KeyframeRequester()
        var stats = ReceptionStats()
        var received = 0
        var malformed = 0
        var sentReports = 0
        var senderReports = 0
        var sequence = UInt16.random(in: 0...UInt16.max)
        var sendCounts = RTPSendCounts()
        /// The RTP timestamp of the last picture sent and when, for the RTP time of a sender report.
        var lastSent: (timestamp: UInt32, at: NIODeadline)?
        var history = RTPSendHistory()
        var retransmitted = 0
        var nacksReceived = 0
        var nacksSent = 0
        var injector: VideoInjector?
        var isPaused = false

        /// Puts a packet through the reorder window and the depacketizer and returns the hub
        /// packets of the pictures it completed, and whether it completed or dropped any.
        mutating func takePictures(_ packet: (RTPHeader, ByteBuffer), at now: NIODeadline,
                                   clock: CallMediaClock) -> (packets: [MediaPacket], isPictureDone: Bool) {
            var packets: [MediaPacket] = []
            var isPictureDone = false
            for delivery in reorder.insert(packet, sequence: packet.0.sequenceNumber, at: now) {
                let (header, bytes) = delivery.element
                let outputs = depacketizer.push(payload: Array(bytes.readableBytesView)[...],
                                                timestamp: header.timestamp, marker: header.marker,
                                                followsGap: delivery.followsGap)
                for output in outputs {
                    isPictureDone = true
                    switch output {
                    case .accessUnit(let unit):
                        let published = publisher.packets(for: unit, arrival: clock.now())
                        if published.contains(where: { $0.isKeyframe && !$0.isConfig }) { keyframes.keyframeArrived() }
                        packets += published
                    case .dropped:
                        keyframes.pictureLost(at: now)
                    }
                }
            }
            return (packets, isPictureDone)
        }
    }

    /// What the far end sent, for the log and tests.
    struct Counts: Sendable, Equatable {
        /// RTP packets received.
        var packets = 0
        /// Pictures published on the hub stream.
        var pictures = 0
        /// Pictures dropped because a packet was lost or malformed.
        var dropped = 0
        /// Pictures held back before the first keyframe.
        var skipped = 0
        /// Keyframe requests (PLI or FIR) sent.
        var keyframeRequests = 0
        /// Reports sent (alone or with feedback).
        var reports = 0
        /// Sender reports among `reports`.
        var senderReports = 0
        /// RTP packets we sent (injected video, retransmissions included).
        var sentPackets = 0
        /// Their payload octets.
        var sentOctets = 0
        /// Packets resent because the far end NACKed them.
        var retransmitted = 0
        /// NACKs received about our video.
        var nacksReceived = 0
        /// NACKs sent about the far end's video.
        var nacksSent = 0
    }

    /// What goes after the report in one compound RTCP packet (RFC 4585 §3.1).
    private struct Feedback {
        var isKeyframeRequest = false
        /// Sequence numbers to NACK.
        var missing: [UInt16] = []
    }

    private init(port: Int, sockets: RTPSocketPair, logger: Logger) {
        self.port = port
        self.sockets = sockets
        self.logger = logger
    }

    /// Binds RTP on `port` and RTCP on `port + 1`.
    /// - Throws: the bind error.
    static func open(host: String, port: Int, logger: Logger) async throws -> VideoRTPSession {
        try await bindSockets(host: host, port: port) { VideoRTPSession(port: port, sockets: $0, logger: logger) }
    }

    /// Starts taking the far end's video into `publication`, timed on `clock`.
    /// - Throws: `SIPError.badSDP` when the answer's address cannot be used.
    func start(answer: SDPVideoAnswer, publication: Publication, clock: CallMediaClock) throws {
        let remote: SocketAddress
        do {
            remote = try SocketAddress(ipAddress: answer.address, port: answer.port)
        } catch {
            throw SIPError.badSDP("bad video address \(answer.address)")
        }
        let interval = RTCPReport.interval
        let reporter = rtcp.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            self?.sendReport()
        }
        state.withLock { s in
            if s.answer == nil, answer.acceptsNack {
                s.reorder = RTPReorderBuffer(depth: RTPReorderBuffer<(RTPHeader, ByteBuffer)>.retransmissionDepth,
                                             maxWait: RTPReorderBuffer<(RTPHeader, ByteBuffer)>.retransmissionWait)
            }
            s.answer = answer
            s.publication = publication
            s.clock = clock
            s.publisher = H264CallPublisher(parameterSets: answer.parameterSets)
            if !s.isLatched { s.remote = remote }
            s.reporter?.cancel()
            s.reporter = reporter
        }
    }

    /// What has happened so far.
    var counts: Counts {
        state.withLock { s in
            Counts(packets: s.received, pictures: s.publisher.published, dropped: s.depacketizer.dropped,
                   skipped: s.publisher.skipped, keyframeRequests: s.keyframes.requests, reports: s.sentReports,
                   senderReports: s.senderReports, sentPackets: s.sendCounts.packets,
                   sentOctets: s.sendCounts.octets, retransmitted: s.retransmitted,
                   nacksReceived: s.nacksReceived, nacksSent: s.nacksSent)
        }
    }

    /// true once the answer accepted video and `start` ran.
    var isStarted: Bool { state.withLock { $0.answer != nil } }

    /// Makes `injector` the one sending video to the far end; the previous one stops. nil only stops.
    func replaceInjector(_ injector: VideoInjector?) {
        let previous = state.withLock { s in
            defer { s.injector = injector }
            return s.injector
        }
        previous?.stop()
    }

    /// Stops (false) or resumes (true) sending video, e.g. while the far end holds the call.
    func setSending(_ isSending: Bool) { state.withLock { $0.isPaused = !isSending } }

    /// Follows the video of a re-INVITE's offer (nil: none, or port 0): a new address or port
    /// re-points RTP and RTCP (symmetric RTP latches again, but not onto where it sent before),
    /// a hold's 0.0.0.0 keeps the address, and no video stops sending until an offer brings it
    /// back. Nothing changes before `start`.
    /// - Returns: whether video goes on (our answer then keeps its port, else it says port 0).
    /// - Throws: `SIPError.badSDP` for an address that is no IP address.
    func follow(_ offer: SDPVideoAnswer?) throws(SIPError) -> Bool {
        var remote: SocketAddress?
        if let offer, offer.address != "0.0.0.0" {
            do {
                remote = try SocketAddress(ipAddress: offer.address, port: offer.port)
            } catch {
                throw .badSDP("bad video address \(offer.address)")
            }
        }
        let moved = state.withLock { s -> Bool? in
            guard let current = s.answer else { return nil }
            guard var next = offer else {
                s.isRemoved = true
                return false
            }
            s.isRemoved = false
            let moved = remote != nil && (current.address != next.address || current.port != next.port)
            if moved, let remote {
                s.move(to: remote)
            } else {
                (next.address, next.port) = (current.address, current.port)
            }
            s.answer = next
            return moved
        }
        guard let moved else { return false }
        if moved, let offer { logger.info("video re-pointed", metadata: ["address": "\(offer.address):\(offer.port)"]) }
        return offer != nil
    }

    /// Sends one picture's payloads to the far end, the marker bit on the last (RFC 6184 §5.1),
    /// unless its answer said it does not want our video or the call is held. Kept for
    /// retransmission when the far end NACKs.
    func send(_ payloads: [[UInt8]], timestamp: UInt32) {
        let now = NIODeadline.now()
        let work = state.withLock { s -> (SocketAddress, [RTPHeader], isKept: Bool)? in
            guard let remote = s.remote, let answer = s.answer, answer.direction.answer.isSending, !s.isPaused,
                  !s.isRemoved else { return nil }
            let headers = payloads.indices.map { index in
                s.sequence &+= 1
                return RTPHeader(marker: index == payloads.count - 1, payloadType: answer.payloadType,
                                 sequenceNumber: s.sequence, timestamp: timestamp, ssrc: s.ssrc)
            }
            s.sendCounts.sent(packets: headers.count, octets: payloads.reduce(0) { $0 + $1.count })
            s.lastSent = (timestamp, now)
            return (remote, headers, answer.acceptsNack)
        }
        guard let (remote, headers, isKept) = work else { return }
        // Built outside the lock: a keyframe is tens of kilobytes to copy.
        let packets = sockets.rtpPackets(headers, payloads: payloads)
        if isKept {
            state.withLock { s in
                for (header, packet) in zip(headers, packets) {
                    s.history.record(packet, sequence: header.sequenceNumber, at: now)
                }
            }
        }
        sockets.sendRTP(packets, to: remote)
    }

    /// Stops reporting and sending and closes both sockets.
    func close() async {
        let injector = state.withLock { s in
            s.reporter?.cancel()
            s.reporter = nil
            s.publication = nil
            defer { s.injector = nil }
            return s.injector
        }
        injector?.stop()
        await sockets.close()
    }

    func receive(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard let (header, payload) = try? RTPHeader.parse(envelope.data) else {
            // Not RTP: counted, logged once; the stream goes on.
            let first = state.withLock { s in
                s.malformed += 1
                return s.malformed == 1
            }
            if first { logger.debug("malformed video rtp dropped") }
            return
        }
        let now = NIODeadline.now()
        let work = state.withLock { s -> (Publication, [MediaPacket], Feedback)? in
            s.received += 1
            s.stats.update(ssrc: header.ssrc, sequence: header.sequenceNumber, timestamp: header.timestamp,
                           arrival: Int64(now.uptimeNanoseconds / 100_000 * 9))  // 90 kHz units
            s.latch(onto: envelope.remoteAddress)
            guard let answer = s.answer, header.payloadType == answer.payloadType, let publication = s.publication,
                  let clock = s.clock else { return nil }
            let (packets, isPictureDone) = s.takePictures((header, payload), at: now, clock: clock)
            var feedback = Feedback()
            // Asked only once a picture is done, so a stream that opens with a keyframe gets no request.
            feedback.isKeyframeRequest = isPictureDone && s.keyframes.shouldRequest(at: now)
            if answer.acceptsNack { feedback.missing = s.reorder.newlyMissing }
            return (publication, packets, feedback)
        }
        guard let (publication, packets, feedback) = work else { return }
        for packet in packets { publication.send(packet) }
        if feedback.isKeyframeRequest || !feedback.missing.isEmpty { sendRTCP(feedback) }
    }

    /// Sends a report without feedback (every `RTCPReport.interval`).
    func sendReport() { sendRTCP(Feedback()) }

    /// Sends a report (a sender report when we sent video since the last one) with `feedback`
    /// after it; feedback is about the far end's stream, so it needs a report block about it.
    private func sendRTCP(_ feedback: Feedback) {
        let now = NIODeadline.now()
        let report = state.withLock { s -> (SocketAddress, RTCPReport.Content, firSequence: UInt8?)? in
            guard let remote = s.remote, !s.isRemoved else { return nil }
            // The RTP clock runs on from the last picture sent (RFC 3550 §6.4.1).
            let rtpTimestamp = s.lastSent.map { last in
                last.timestamp &+ UInt32(truncatingIfNeeded: (now - last.at).nanoseconds / 1_000 * 9 / 100)
            }
            let content = RTCPReport.Content(ssrc: s.ssrc, sender: s.sendCounts.senderInfo(rtpTimestamp: rtpTimestamp),
                                             block: s.stats.block())
            guard let (target, addressed) = s.rtcpPeer.address(content, forRTP: remote, at: now) else { return nil }
            s.sentReports += 1
            if content.sender != nil { s.senderReports += 1 }
            if content.block != nil, !feedback.missing.isEmpty { s.nacksSent += 1 }
            guard content.block != nil, feedback.isKeyframeRequest, s.answer?.keyframeRequest == .fir else {
                return (target, addressed, nil)
            }
            s.firSequence &+= 1
            return (target, addressed, s.firSequence)
        }
        guard let (target, content, firSequence) = report else { return }
        var packet = RTCPReport.compound(content, cname: sockets.cname,
                                         allocator: rtcp.allocator)
        if let media = content.block?.ssrc {
            RTCPFeedback.nack(sender: content.ssrc, media: media, sequences: feedback.missing, into: &packet)
            if let firSequence {
                RTCPFeedback.fir(sender: content.ssrc, media: media, sequence: firSequence, into: &packet)
            } else if feedback.isKeyframeRequest {
                RTCPFeedback.pli(sender: content.ssrc, media: media, into: &packet)
            }
            if feedback.isKeyframeRequest {
                logger.debug("keyframe requested", metadata: ["fir": "\(firSequence != nil)"])
            }
        }
        rtcp.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: packet), promise: nil)
    }

    /// Notes the far end's RTCP (where it comes from, its sender reports) and resends the
    /// packets its NACKs name, when it negotiated NACK; a malformed packet resends nothing.
    func receiveRTCP(_ envelope: AddressedEnvelope<ByteBuffer>) {
        let now = NIODeadline.now()
        let resend = state.withLock { s -> (SocketAddress, [ByteBuffer])? in
            s.rtcpPeer.received(envelope, at: now)
            guard s.answer?.acceptsNack == true, let remote = s.remote, !s.isPaused, !s.isRemoved else { return nil }
            let sequences = RTCPFeedback.nackedSequences(in: envelope.data, media: s.ssrc)
            guard !sequences.isEmpty else { return nil }
            s.nacksReceived += 1
            let packets = s.history.packets(sequences, at: now)
            s.retransmitted += packets.count
            // Counted as sent (§6.4.1: every RTP packet transmitted); our headers are always 12 bytes.
            let octets = packets.reduce(0) { $0 + $1.readableBytes - RTPHeader.size }
            s.sendCounts.sent(packets: packets.count, octets: octets)
            return packets.isEmpty ? nil : (remote, packets)
        }
        guard let (remote, packets) = resend else { return }
        sockets.sendRTP(packets, to: remote)
    }
}
