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
/// packet after a receiver report; a receiver report also goes out every 5 s. RTP is
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

    private struct State {
        var answer: SDPVideoAnswer?
        var publication: Publication?
        var clock: CallMediaClock?
        var remote: SocketAddress?
        var isLatched = false
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
        var sequence = UInt16.random(in: 0...UInt16.max)
        var sent = 0
        var injector: VideoInjector?
        var isPaused = false

        /// Puts a packet through the reorder window and the depacketizer and returns the hub
        /// packets of the pictures it completed, and whether it completed or dropped any.
        mutating func takePictures(_ packet: (RTPHeader, ByteBuffer), at now: NIODeadline,
                                   clock: CallMediaClock) -> (packets: [MediaPacket], isPictureDone: Bool) {
            var packets: [MediaPacket] = []
            var isPictureDone = false
            for delivery in reorder.insert(packet, sequence: packet.0.sequenceNumber) {
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
        /// Receiver reports sent (alone or with a request).
        var reports = 0
        /// RTP packets we sent (injected video).
        var sentPackets = 0
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
            self?.sendRTCP(requestingKeyframe: false)
        }
        state.withLock { s in
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
                   sentPackets: s.sent)
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

    /// Sends one picture's payloads to the far end, the marker bit on the last (RFC 6184 §5.1),
    /// unless its answer said it does not want our video or the call is held.
    func send(_ payloads: [[UInt8]], timestamp: UInt32) {
        let work = state.withLock { s -> (SocketAddress, [RTPHeader])? in
            guard let remote = s.remote, let answer = s.answer, answer.direction.answer.isSending, !s.isPaused else {
                return nil
            }
            let headers = payloads.indices.map { index in
                s.sequence &+= 1
                return RTPHeader(marker: index == payloads.count - 1, payloadType: answer.payloadType,
                                 sequenceNumber: s.sequence, timestamp: timestamp, ssrc: s.ssrc)
            }
            s.sent += headers.count
            return (remote, headers)
        }
        guard let (remote, headers) = work else { return }
        sockets.sendRTP(headers, payloads: payloads, to: remote)
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
        let work = state.withLock { s -> (Publication, [MediaPacket], isRequesting: Bool)? in
            s.received += 1
            s.stats.update(ssrc: header.ssrc, sequence: header.sequenceNumber, timestamp: header.timestamp,
                           arrival: Int64(now.uptimeNanoseconds / 100_000 * 9))  // 90 kHz units
            if !s.isLatched {
                s.isLatched = true
                s.remote = envelope.remoteAddress
            }
            guard let answer = s.answer, header.payloadType == answer.payloadType, let publication = s.publication,
                  let clock = s.clock else { return nil }
            let (packets, isPictureDone) = s.takePictures((header, payload), at: now, clock: clock)
            // Asked only once a picture is done, so a stream that opens with a keyframe gets no request.
            return (publication, packets, isPictureDone && s.keyframes.shouldRequest(at: now))
        }
        guard let (publication, packets, isRequesting) = work else { return }
        for packet in packets { publication.send(packet) }
        if isRequesting { sendRTCP(requestingKeyframe: true) }
    }

    /// Sends a receiver report about the far end's video, with a keyframe request when asked.
    private func sendRTCP(requestingKeyframe: Bool) {
        let now = NIODeadline.now()
        let report = state.withLock { s -> (SocketAddress, ReceptionStats.Block, UInt32, UInt32, UInt32, UInt8?)? in
            guard let remote = s.remote, let block = s.stats.block(),
                  let target = s.rtcpPeer.reportTarget(forRTP: remote) else { return nil }
            let (lsr, dlsr) = s.rtcpPeer.senderReportTimes(at: now)
            s.sentReports += 1
            var fir: UInt8?
            if requestingKeyframe, s.answer?.keyframeRequest == .fir {
                s.firSequence &+= 1
                fir = s.firSequence
            }
            return (target, block, s.ssrc, lsr, dlsr, fir)
        }
        guard let (target, block, ssrc, lsr, dlsr, firSequence) = report else { return }
        var packet = RTCPReport.receiverReport(ssrc: ssrc, block: block, lastSR: lsr, delaySinceLastSR: dlsr,
                                               cname: "switchboard@\(rtcp.localAddress?.ipAddress ?? "")",
                                               allocator: rtcp.allocator)
        if let firSequence {
            RTCPFeedback.fir(sender: ssrc, media: block.ssrc, sequence: firSequence, into: &packet)
        } else if requestingKeyframe {
            RTCPFeedback.pli(sender: ssrc, media: block.ssrc, into: &packet)
        }
        if requestingKeyframe {
            logger.debug("keyframe requested", metadata: ["fir": "\(firSequence != nil)"])
        }
        rtcp.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: packet), promise: nil)
    }

    func receiveRTCP(_ envelope: AddressedEnvelope<ByteBuffer>) {
        let now = NIODeadline.now()
        state.withLock { $0.rtcpPeer.received(envelope, at: now) }
    }
}
