import Core
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The RTP and RTCP sockets of one call (SwiftNIO datagram channels).
///
/// Incoming G.711 is decoded and handed to `onAudio`. RTP is symmetric: once a packet
/// arrives, replies go to where it came from rather than to the SDP address. RTCP is bound
/// (so the pair is ours) and its packets are dropped: no reports are sent yet.
final class RTPSession: Sendable {
    /// Decoded 8 kHz mono samples with the RTP timestamp of the first.
    typealias AudioHandler = @Sendable (_ samples: [Int16], _ timestamp: UInt32) -> Void

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
        var timestamp = UInt32.random(in: 0...UInt32.max)
        let ssrc = UInt32.random(in: 1...UInt32.max)
        var onAudio: AudioHandler?
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
            rtcp = try await DatagramBootstrap(group: group).bind(host: host, port: port + 1).get()
        } catch {
            try? await rtp.close() // the bind error is what matters
            throw error
        }
        let session = RTPSession(port: port, rtp: rtp, rtcp: rtcp, logger: logger)
        box.session = session
        return session
    }

    /// Sets where to send and which codec to expect, from the far end's answer.
    func configure(answer: SDPAnswer, onAudio: @escaping AudioHandler) throws {
        let remote = try SocketAddress(ipAddress: answer.address, port: answer.port)
        state.withLock {
            $0.answer = answer
            $0.onAudio = onAudio
            if !$0.isLatched { $0.remote = remote }
        }
    }

    /// When the last RTP packet arrived, nil before the first.
    var lastReceived: ContinuousClock.Instant? { state.withLock { $0.lastReceived } }

    /// RTP packets received so far.
    var receivedPackets: Int { state.withLock { $0.received } }

    /// Sends `digits` as RFC 4733 events, 200 ms tone and 50 ms gap each; unknown characters
    /// are skipped. Returns when the last packet is out.
    func sendDTMF(_ digits: String) async {
        for digit in digits {
            guard let code = DTMFEvent.code(for: digit) else { continue }
            let start = state.withLock { s -> UInt32 in
                s.timestamp &+= 1_600
                return s.timestamp
            }
            for (index, event) in DTMFEvent.packets(for: code).enumerated() {
                sendEvent(event, timestamp: start, marker: index == 0)
                if !event.isEnd { try? await Task.sleep(for: .milliseconds(50)) } // cancellation ends the digit early
            }
            try? await Task.sleep(for: .milliseconds(50)) // gap between digits; cancellation only shortens it
        }
    }

    /// Closes both sockets.
    func close() async {
        try? await rtp.close() // already closed is fine
        try? await rtcp.close() // already closed is fine
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
        let delivery = state.withLock { s -> (AudioHandler, G711.Law)? in
            s.lastReceived = .now
            s.received += 1
            if !s.isLatched {
                s.isLatched = true
                s.remote = envelope.remoteAddress
            }
            guard let answer = s.answer, header.payloadType == answer.payloadType, let handler = s.onAudio else {
                return nil
            }
            return (handler, answer.codec)
        }
        guard let (handler, law) = delivery else { return }
        handler(G711.decode(payload.readableBytesView, law: law), header.timestamp)
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
private final class DatagramHandler: ChannelInboundHandler {
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
