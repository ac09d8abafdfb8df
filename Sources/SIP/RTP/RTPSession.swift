import Core
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The RTP and RTCP sockets of one call (SwiftNIO datagram channels).
///
/// Incoming G.711 is put in order by a `JitterBuffer`, decoded and handed to `onAudio`. Outgoing audio comes from a
/// `CallAudioFeed`: one 20 ms G.711 packet per frame of a clock started at `configure`, checked
/// every 10 ms on the channel's event loop (the feed never blocks). RTP is symmetric: once a
/// packet arrives, replies go to where it came from rather than to the SDP address. Every 5 s
/// an RTCP receiver report (RFC 3550 §6.4.2) about the far end's stream goes to its RTCP port
/// (where its RTCP comes from, else RTP port + 1); of what arrives on RTCP only sender reports'
/// times are used (for LSR/DLSR).
final class RTPSession: Sendable {
    /// Decoded 8 kHz mono samples, in order, with silence where packets were lost.
    typealias AudioHandler = @Sendable (_ samples: [Int16]) -> Void

    /// Samples per outgoing packet: 20 ms at 8 kHz, G.711's default packetization (RFC 3551 §4.5).
    static let frameSamples = 160
    /// Duration of one outgoing packet.
    static let frameDuration = TimeAmount.milliseconds(20)
    /// How often the sender checks its clock: half a frame, so a packet is at most 10 ms late.
    static let tickInterval = TimeAmount.milliseconds(10)
    /// Frames sent at once to catch up after a stall; a longer stall skips ahead instead (the
    /// timestamps jump, which RFC 3550 §5.1 allows), so the far end gets no burst.
    static let maxCatchUpFrames: Int64 = 5

    /// The local RTP port.
    let port: Int
    private let rtp: any Channel
    private let rtcp: any Channel
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var answer: SDPAnswer?
        var remote: SocketAddress?
        var isLatched = false
        var lastReceived: ContinuousClock.Instant?
        var received = 0
        var malformed = 0
        var sequence = UInt16.random(in: 0...UInt16.max)
        let timestampBase = UInt32.random(in: 0...UInt32.max)
        let ssrc = UInt32.random(in: 1...UInt32.max)
        var onAudio: AudioHandler?
        var feed: CallAudioFeed?
        var sender: RepeatedTask?
        var clockStart: NIODeadline?
        /// Frames of the send clock accounted for (sent, or skipped during an event or a stall).
        var frames: Int64 = 0
        var isSendingEvent = false
        var isPaused = false
        var jitter = JitterBuffer()
        var stats = ReceptionStats()
        var reporter: RepeatedTask?
        var rtcpRemote: SocketAddress?
        var lastSR: (ntpMiddle: UInt32, arrival: NIODeadline)?
        var sentReports = 0
        var sentAudio = 0

        /// The RTP timestamp of frame `index`.
        func timestamp(frame index: Int64) -> UInt32 {
            timestampBase &+ UInt32(truncatingIfNeeded: index &* Int64(RTPSession.frameSamples))
        }

        /// Frames of the send clock due at `now` (0 before it started).
        func dueFrames(at now: NIODeadline) -> Int64 {
            guard let clockStart else { return 0 }
            return (now - clockStart).nanoseconds / RTPSession.frameDuration.nanoseconds + 1
        }
    }

    private init(port: Int, rtp: any Channel, rtcp: any Channel, logger: Logger) {
        self.port = port
        self.rtp = rtp
        self.rtcp = rtcp
        self.logger = logger
        self.state = Mutex(State())
    }

    /// Binds RTP on `port` and RTCP on `port + 1`.
    /// - Throws: the bind error.
    static func open(host: String, port: Int, logger: Logger) async throws -> RTPSession {
        let group = MultiThreadedEventLoopGroup.singleton
        let box = SessionBox()
        let rtp = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DatagramHandler { box.session?.receive($0) })
                }
            }
            .bind(host: host, port: port).get()
        let rtcp: any Channel
        do {
            rtcp = try await DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramHandler { box.session?.receiveRTCP($0) })
                    }
                }
                .bind(host: host, port: port + 1).get()
        } catch {
            try? await rtp.close() // the bind error is what matters
            throw error
        }
        let session = RTPSession(port: port, rtp: rtp, rtcp: rtcp, logger: logger)
        box.session = session
        return session
    }

    /// Sets where to send and which codec to expect, from the far end's answer, and starts
    /// sending `feed` (silence until something is played into it).
    func configure(answer: SDPAnswer, feed: CallAudioFeed, onAudio: @escaping AudioHandler) throws {
        let remote = try SocketAddress(ipAddress: answer.address, port: answer.port)
        let sender = rtp.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: Self.tickInterval) {
            [weak self] _ in self?.sendDueFrames()
        }
        let reporter = rtcp.eventLoop.scheduleRepeatedTask(initialDelay: RTCPReport.interval, delay: RTCPReport.interval) {
            [weak self] _ in self?.sendReceiverReport()
        }
        let previous = state.withLock { s -> RepeatedTask? in
            s.answer = answer
            s.onAudio = onAudio
            if !s.isLatched { s.remote = remote }
            s.feed = feed
            if s.clockStart == nil { s.clockStart = .now() }
            s.reporter?.cancel()
            s.reporter = reporter
            defer { s.sender = sender }
            return s.sender
        }
        previous?.cancel()
    }

    /// Stops (false) or resumes (true) sending audio, e.g. while the far end holds the call;
    /// the send clock keeps running, so timestamps stay on it. Also restarts the silence clock.
    func setSendingAudio(_ isSending: Bool) {
        state.withLock {
            $0.isPaused = !isSending
            $0.lastReceived = .now
        }
    }

    /// Counts now as "RTP received" (a held call gets none, and that is no failure).
    func touch() { state.withLock { $0.lastReceived = .now } }

    /// RTCP receiver reports sent so far.
    var sentReports: Int { state.withLock { $0.sentReports } }

    /// Audio packets sent so far.
    var sentAudioPackets: Int { state.withLock { $0.sentAudio } }

    /// When the last RTP packet arrived, nil before the first.
    var lastReceived: ContinuousClock.Instant? { state.withLock { $0.lastReceived } }

    /// RTP packets received so far.
    var receivedPackets: Int { state.withLock { $0.received } }

    /// Incoming packets the jitter buffer dropped (late or duplicate) and gave up on (lost).
    var jitterCounts: (dropped: Int, lost: Int) { state.withLock { ($0.jitter.dropped, $0.jitter.lost) } }

    /// Sends `digits` as RFC 4733 events, 200 ms tone and 50 ms gap each; unknown characters
    /// are skipped. Returns when the last packet is out.
    func sendDTMF(_ digits: String) async {
        for digit in digits {
            guard let code = DTMFEvent.code(for: digit) else { continue }
            // The event starts at the audio clock's current frame; audio pauses while it lasts
            // (RFC 4733 §2.5.1.1: one timestamp for the whole event).
            let start = state.withLock { s -> UInt32 in
                s.isSendingEvent = true
                let frame = max(s.frames, s.dueFrames(at: .now()))
                s.frames = frame
                return s.timestamp(frame: frame)
            }
            for (index, event) in DTMFEvent.packets(for: code).enumerated() {
                sendEvent(event, timestamp: start, marker: index == 0)
                if !event.isEnd { try? await Task.sleep(for: .milliseconds(50)) } // cancellation ends the digit early
            }
            state.withLock { $0.isSendingEvent = false }
            try? await Task.sleep(for: .milliseconds(50)) // gap between digits; cancellation only shortens it
        }
    }

    /// Stops sending and closes both sockets.
    func close() async {
        state.withLock { s in
            s.sender?.cancel()
            s.sender = nil
            s.reporter?.cancel()
            s.reporter = nil
            s.feed = nil
        }
        try? await rtp.close() // already closed is fine
        try? await rtcp.close() // already closed is fine
    }

    /// Sends the frames of the send clock that are due (on the channel's event loop).
    private func sendDueFrames() {
        let work = state.withLock { s -> (SocketAddress, G711.Law, CallAudioFeed, [RTPHeader])? in
            guard let remote = s.remote, let answer = s.answer, let feed = s.feed else { return nil }
            let due = s.dueFrames(at: .now())
            if due - s.frames > Self.maxCatchUpFrames { s.frames = due - Self.maxCatchUpFrames }
            var headers: [RTPHeader] = []
            while s.frames < due {
                defer { s.frames += 1 }
                if s.isSendingEvent || s.isPaused { continue }
                s.sequence &+= 1
                headers.append(RTPHeader(marker: s.sentAudio == 0 && headers.isEmpty, payloadType: answer.payloadType,
                                         sequenceNumber: s.sequence, timestamp: s.timestamp(frame: s.frames),
                                         ssrc: s.ssrc))
            }
            s.sentAudio += headers.count
            return headers.isEmpty ? nil : (remote, answer.codec, feed, headers)
        }
        guard let (remote, law, feed, headers) = work else { return }
        for header in headers {
            var buffer = rtp.allocator.buffer(capacity: RTPHeader.size + Self.frameSamples)
            header.write(to: &buffer)
            buffer.writeBytes(feed.nextFrame(count: Self.frameSamples).map { G711.encode($0, law: law) })
            rtp.write(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
        }
        rtp.flush()
    }

    /// Sends a receiver report about the far end's stream, once something arrived from it.
    private func sendReceiverReport() {
        let now = NIODeadline.now()
        let report = state.withLock { s -> (SocketAddress, ReceptionStats.Block, UInt32, UInt32, UInt32)? in
            guard let remote = s.remote, let block = s.stats.block() else { return nil }
            // No RTCP seen yet: RTP port + 1 (RFC 3550 §11); an address that cannot be formed skips this report.
            let target = s.rtcpRemote ?? (try? SocketAddress(ipAddress: remote.ipAddress ?? "", port: (remote.port ?? 0) + 1))
            guard let target else { return nil }
            var lsr: UInt32 = 0
            var dlsr: UInt32 = 0
            if let last = s.lastSR {
                lsr = last.ntpMiddle
                dlsr = UInt32(clamping: (now - last.arrival).nanoseconds * 65_536 / 1_000_000_000)
            }
            s.sentReports += 1
            return (target, block, s.ssrc, lsr, dlsr)
        }
        guard let (target, block, ssrc, lsr, dlsr) = report else { return }
        let packet = RTCPReport.receiverReport(ssrc: ssrc, block: block, lastSR: lsr, delaySinceLastSR: dlsr,
                                               cname: "switchboard@\(rtcp.localAddress?.ipAddress ?? "")",
                                               allocator: rtcp.allocator)
        rtcp.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: packet), promise: nil)
    }

    /// Notes where the far end's RTCP comes from and the time of its sender reports.
    private func receiveRTCP(_ envelope: AddressedEnvelope<ByteBuffer>) {
        let middle = RTCPReport.senderReportNTPMiddle(envelope.data)
        state.withLock { s in
            s.rtcpRemote = envelope.remoteAddress
            if let middle { s.lastSR = (middle, .now()) }
        }
    }

    private func sendEvent(_ event: DTMFEvent, timestamp: UInt32, marker: Bool) {
        let target = state.withLock { s -> (SocketAddress, RTPHeader)? in
            guard let remote = s.remote else { return nil }
            s.sequence &+= 1
            let pt = s.answer?.telephoneEventPayloadType ?? SDPOffer.telephoneEventPayloadType
            return (remote, RTPHeader(marker: marker, payloadType: pt, sequenceNumber: s.sequence,
                                      timestamp: timestamp, ssrc: s.ssrc))
        }
        guard let (remote, header) = target else { return }
        var buffer = rtp.allocator.buffer(capacity: RTPHeader.size + 4)
        header.write(to: &buffer)
        event.write(to: &buffer)
        rtp.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
    }

    private func receive(_ envelope: AddressedEnvelope<ByteBuffer>) {
        let header: RTPHeader
        let payload: ByteBuffer
        do {
            (header, payload) = try RTPHeader.parse(envelope.data)
        } catch {
            let count = state.withLock { s -> Int in
                s.malformed += 1
                return s.malformed
            }
            if count == 1 { logger.debug("malformed rtp dropped", metadata: [LogKey.error: "\(error)"]) }
            return
        }
        let delivery = state.withLock { s -> (AudioHandler, [Int16])? in
            s.lastReceived = .now
            s.received += 1
            s.stats.update(ssrc: header.ssrc, sequence: header.sequenceNumber, timestamp: header.timestamp,
                           arrival: Int64(NIODeadline.now().uptimeNanoseconds / 125_000))
            if !s.isLatched {
                s.isLatched = true
                s.remote = envelope.remoteAddress
            }
            guard let answer = s.answer, header.payloadType == answer.payloadType, let handler = s.onAudio else {
                return nil
            }
            let samples = s.jitter.insert(.init(sequence: header.sequenceNumber, timestamp: header.timestamp,
                                                samples: G711.decode(payload.readableBytesView, law: answer.codec)))
            return samples.isEmpty ? nil : (handler, samples)
        }
        guard let (handler, samples) = delivery else { return }
        handler(samples)
    }
}

/// Lets the channel handler reach the session created after the channel.
/// Set right after bind; packets that arrive before it are dropped.
private final class SessionBox: Sendable {
    private let value = Mutex<RTPSession?>(nil)
    var session: RTPSession? {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

/// Passes each datagram to a closure.
final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let onDatagram: @Sendable (AddressedEnvelope<ByteBuffer>) -> Void

    init(_ onDatagram: @escaping @Sendable (AddressedEnvelope<ByteBuffer>) -> Void) {
        self.onDatagram = onDatagram
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onDatagram(unwrapInboundIn(data))
    }
}

@available(*, unavailable) extension DatagramHandler: Sendable {}
