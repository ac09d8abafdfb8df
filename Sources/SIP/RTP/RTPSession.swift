import Core
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The RTP and RTCP sockets of one call (SwiftNIO datagram channels).
///
/// Incoming payloads of the call's codec are put in order by a `JitterBuffer` (with a timer
/// for gaps nothing follows), decoded by the call's `CallAudioCoder` on its own queue and
/// handed to `onAudio`. Outgoing audio comes from a `CallAudioFeed`: one 20 ms frame per tick
/// of a clock started at `configure`, checked every 10 ms on the channel's event loop (the
/// feed never blocks), encoded on the coder's queue and written from there. RTP is symmetric:
/// once a packet arrives, replies go to where it came from rather than to the SDP address.
/// Every 5 s an RTCP report goes to the far end's RTCP port (where its RTCP comes from, else
/// RTP port + 1): a sender report when we sent RTP since the last one (RFC 3550 §6.4.1), else
/// a receiver report (§6.4.2); of what arrives on RTCP only sender reports' times are used (LSR/DLSR).
final class RTPSession: RTPSocketOwner {
    /// Decoded mono samples at the call's rate, in order, with silence where packets were lost.
    typealias AudioHandler = @Sendable (_ samples: [Int16]) -> Void

    /// Duration of one outgoing packet (every codec sends 20 ms, `CallCodec`).
    static let frameDuration = TimeAmount.milliseconds(20)
    /// How often the sender checks its clock: half a frame, so a packet is at most 10 ms late.
    static let tickInterval = TimeAmount.milliseconds(10)
    /// Frames sent at once to catch up after a stall; a longer stall skips ahead instead (the
    /// timestamps jump, which RFC 3550 §5.1 allows), so the far end gets no burst.
    static let maxCatchUpFrames: Int64 = 5

    /// The local RTP port.
    let port: Int
    let sockets: RTPSocketPair
    var rtp: any Channel { sockets.rtp }
    var rtcp: any Channel { sockets.rtcp }
    let logger: Logger
    let state: Mutex<State>

    /// Everything that changes, under `state`'s lock.
    struct State: RTPRemoteState {
        /// The far end's SDP (answer, or the offer of a re-INVITE we followed): codec, telephone-event.
        var answer: SDPAnswer?
        var remote: SocketAddress?
        var isLatched = false
        /// Where RTP went before a re-INVITE moved it: late packets from there must not latch us back.
        var formerRemote: SocketAddress?
        var lastReceived: ContinuousClock.Instant?
        var received = 0
        var malformed = 0
        var sequence = UInt16.random(in: 0...UInt16.max)
        /// A frame of the send clock and its RTP timestamp: frame 0 at a random one (RFC 3550
        /// §5.1), moved to the current frame when a new codec brings another clock rate, so
        /// timestamps go on from there instead of jumping.
        var clockOrigin = (frame: Int64(0), timestamp: UInt32.random(in: 0...UInt32.max))
        let ssrc = UInt32.random(in: 1...UInt32.max)
        var onAudio: AudioHandler?
        var feed: CallAudioFeed?
        var coder: CallAudioCoder?
        var sender: RepeatedTask?
        var clockStart: NIODeadline?
        /// Frames of the send clock accounted for (sent, or skipped during an event or a stall).
        var frames: Int64 = 0
        var isSendingEvent = false
        var isPaused = false
        var jitter = JitterBuffer()
        var isJitterTimerArmed = false
        var stats = ReceptionStats()
        var reporter: RepeatedTask?
        var rtcpPeer = RTCPPeer()
        var sentReports = 0
        var sentSenderReports = 0
        /// Audio packets sent.
        var sentAudio = 0
        /// RTP packets (audio and events) and their payload octets sent, for sender reports.
        var sendCounts = RTPSendCounts()

        /// Ticks of the RTP clock in one 20 ms frame (8 kHz until an answer says otherwise).
        var ticksPerFrame: Int64 { Int64(answer?.codec.ticksPerFrame ?? 160) }

        /// The RTP timestamp of frame `index`.
        func timestamp(frame index: Int64) -> UInt32 {
            clockOrigin.timestamp &+ UInt32(truncatingIfNeeded: (index - clockOrigin.frame) &* ticksPerFrame)
        }

        /// The RTP timestamp of the instant `now` on the send clock (for sender reports, §6.4.1).
        func timestamp(at now: NIODeadline) -> UInt32? {
            guard let clockStart, let clockRate = answer?.codec.clockRate else { return nil }
            let origin = clockStart + .nanoseconds(clockOrigin.frame * RTPSession.frameDuration.nanoseconds)
            let ticks = (now - origin).nanoseconds / 1_000 * Int64(clockRate) / 1_000_000
            return clockOrigin.timestamp &+ UInt32(truncatingIfNeeded: ticks)
        }

        /// Frames of the send clock due at `now` (0 before it started).
        func dueFrames(at now: NIODeadline) -> Int64 {
            guard let clockStart else { return 0 }
            return (now - clockStart).nanoseconds / RTPSession.frameDuration.nanoseconds + 1
        }
    }

    private init(port: Int, sockets: RTPSocketPair, logger: Logger) {
        self.port = port
        self.sockets = sockets
        self.logger = logger
        self.state = Mutex(State())
    }

    /// Binds RTP on `port` and RTCP on `port + 1`.
    /// - Throws: the bind error.
    static func open(host: String, port: Int, logger: Logger) async throws -> RTPSession {
        try await bindSockets(host: host, port: port) { RTPSession(port: port, sockets: $0, logger: logger) }
    }

    /// Sets where to send and which codec to use, from the far end's answer, and starts
    /// sending `feed` (silence until something is played into it). The call's PCM rate, of
    /// `feed` and of what `onAudio` gets, becomes the codec's (8, 16 or 48 kHz).
    /// - Throws: `SocketAddressError` for an answer address that is no IP address.
    func configure(answer: SDPAnswer, feed: CallAudioFeed, onAudio: @escaping AudioHandler) throws {
        let remote = try SocketAddress(ipAddress: answer.address, port: answer.port)
        feed.sampleRate = answer.codec.sampleRate
        let coder = CallAudioCoder(callRate: answer.codec.sampleRate, label: "\(port)", logger: logger)
        let sender = rtp.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: Self.tickInterval) {
            [weak self] _ in self?.sendDueFrames()
        }
        let reporter = rtcp.eventLoop.scheduleRepeatedTask(initialDelay: RTCPReport.interval, delay: RTCPReport.interval) {
            [weak self] _ in self?.sendReport()
        }
        let previous = state.withLock { s -> RepeatedTask? in
            s.answer = answer
            s.onAudio = onAudio
            if !s.isLatched { s.remote = remote }
            s.feed = feed
            s.coder = coder
            s.jitter = JitterBuffer(clockRate: answer.codec.clockRate)
            if s.clockStart == nil { s.clockStart = .now() }
            s.reporter?.cancel()
            s.reporter = reporter
            defer { s.sender = sender }
            return s.sender
        }
        previous?.cancel()
    }

    /// Follows the offer of a re-INVITE: a new address or port re-points RTP and RTCP (and
    /// symmetric RTP latches again onto the first packet from the far end), a new codec is
    /// used from the next frame on (the coder swaps its encoder and decoder). A hold's
    /// 0.0.0.0 keeps the old address. Nothing changes before `configure`.
    /// - Throws: `SocketAddressError` for an offer address that is no IP address.
    func follow(_ offer: SDPAnswer) throws {
        let remote = offer.address == "0.0.0.0" ? nil : try SocketAddress(ipAddress: offer.address, port: offer.port)
        let changes = state.withLock { s -> (moved: Bool, codec: Bool)? in
            guard let current = s.answer else { return nil }
            var next = offer
            let moved = remote != nil && (current.address != offer.address || current.port != offer.port)
            if moved, let remote {
                s.move(to: remote)
            } else {
                (next.address, next.port) = (current.address, current.port)
            }
            let isNewCodec = current.codec != offer.codec
            if isNewCodec {
                s.jitter.restart(clockRate: offer.codec.clockRate)
                if current.codec.clockRate != offer.codec.clockRate {
                    s.clockOrigin = (s.frames, s.timestamp(frame: s.frames))
                }
            }
            s.answer = next
            return (moved, isNewCodec)
        }
        guard let changes else { return }
        if changes.moved || changes.codec {
            logger.info("media re-pointed", metadata: ["address": "\(offer.address):\(offer.port)",
                                                        "codec": "\(offer.codec)"])
        }
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

    /// RTCP reports sent so far (sender and receiver reports).
    var sentReports: Int { state.withLock { $0.sentReports } }

    /// RTCP sender reports among `sentReports`.
    var sentSenderReports: Int { state.withLock { $0.sentSenderReports } }

    /// Audio packets sent so far.
    var sentAudioPackets: Int { state.withLock { $0.sentAudio } }

    /// When the last RTP packet arrived, nil before the first.
    var lastReceived: ContinuousClock.Instant? { state.withLock { $0.lastReceived } }

    /// RTP packets received so far.
    var receivedPackets: Int { state.withLock { $0.received } }

    /// Incoming packets the jitter buffer dropped (late or duplicate) and gave up on (lost).
    var jitterCounts: (dropped: Int, lost: Int) { state.withLock { ($0.jitter.dropped, $0.jitter.lost) } }

    /// The codec in use, nil before the answer.
    var codec: CallCodec? { state.withLock { $0.answer?.codec } }

    /// Stops sending and closes both sockets.
    func close() async {
        state.withLock { s in
            s.sender?.cancel()
            s.sender = nil
            s.reporter?.cancel()
            s.reporter = nil
            s.feed = nil
            s.coder = nil
            s.onAudio = nil
        }
        await sockets.close()
    }
}
