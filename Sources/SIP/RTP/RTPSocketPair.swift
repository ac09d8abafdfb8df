import NIOCore
import NIOPosix
import Synchronization

/// The two UDP sockets of one RTP stream, RTP on `port` and RTCP on `port + 1` (RFC 3550 §11),
/// shared by a call's audio (`RTPSession`) and video (`VideoRTPSession`).
struct RTPSocketPair: Sendable {
    typealias DatagramHandler = @Sendable (AddressedEnvelope<ByteBuffer>) -> Void

    let rtp: any Channel
    let rtcp: any Channel

    /// The CNAME our RTCP reports carry (RFC 3550 §6.5.1: user@host).
    var cname: String { "switchboard@\(rtcp.localAddress?.ipAddress ?? "")" }

    /// Binds both sockets; their datagrams go to the handlers (on the channels' event loops).
    /// - Throws: the bind error (RTP is closed again when RTCP cannot bind).
    static func bind(host: String, port: Int, onRTP: @escaping DatagramHandler,
                     onRTCP: @escaping DatagramHandler) async throws -> RTPSocketPair {
        let rtp = try await bindOne(host: host, port: port, onRTP)
        do {
            return RTPSocketPair(rtp: rtp, rtcp: try await bindOne(host: host, port: port + 1, onRTCP))
        } catch {
            try? await rtp.close() // the bind error is what matters
            throw error
        }
    }

    private static func bindOne(host: String, port: Int, _ handler: @escaping DatagramHandler) async throws
        -> any Channel {
        try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DatagramForwarder(handler))
                }
            }
            .bind(host: host, port: port).get()
    }

    /// Writes one RTP packet per header and payload to `remote`, then flushes. Safe from any
    /// thread (`Channel.write` is).
    func sendRTP(_ headers: [RTPHeader], payloads: [[UInt8]], to remote: SocketAddress) {
        sendRTP(rtpPackets(headers, payloads: payloads), to: remote)
    }

    /// One RTP packet per header and payload.
    func rtpPackets(_ headers: [RTPHeader], payloads: [[UInt8]]) -> [ByteBuffer] {
        zip(headers, payloads).map { header, payload in
            var buffer = rtp.allocator.buffer(capacity: RTPHeader.size + payload.count)
            header.write(to: &buffer)
            buffer.writeBytes(payload)
            return buffer
        }
    }

    /// Writes whole RTP packets to `remote`, then flushes; safe from any thread.
    func sendRTP(_ packets: [ByteBuffer], to remote: SocketAddress) {
        for packet in packets { rtp.write(AddressedEnvelope(remoteAddress: remote, data: packet), promise: nil) }
        rtp.flush()
    }

    /// Closes both sockets.
    func close() async {
        try? await rtp.close() // already closed is fine
        try? await rtcp.close() // already closed is fine
    }
}

/// What owns a socket pair and takes its datagrams: a call's audio or video session.
protocol RTPSocketOwner: AnyObject, Sendable {
    /// One RTP datagram (on the socket's event loop).
    func receive(_ envelope: AddressedEnvelope<ByteBuffer>)
    /// One RTCP datagram (on the socket's event loop).
    func receiveRTCP(_ envelope: AddressedEnvelope<ByteBuffer>)
}

extension RTPSocketOwner {
    /// Binds RTP on `port` and RTCP on `port + 1` and makes their owner. Datagrams that arrive
    /// before the owner exists are dropped.
    /// - Throws: the bind error.
    static func bindSockets(host: String, port: Int, _ make: (RTPSocketPair) -> Self) async throws -> Self {
        let owner = Mutex<Self?>(nil)
        let sockets = try await RTPSocketPair.bind(host: host, port: port,
                                                   onRTP: { owner.withLock { $0 }?.receive($0) },
                                                   onRTCP: { owner.withLock { $0 }?.receiveRTCP($0) })
        let made = make(sockets)
        owner.withLock { $0 = made }
        return made
    }
}

/// Passes each datagram to a closure.
private final class DatagramForwarder: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    private let onDatagram: RTPSocketPair.DatagramHandler

    init(_ onDatagram: @escaping RTPSocketPair.DatagramHandler) {
        self.onDatagram = onDatagram
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        onDatagram(unwrapInboundIn(data))
    }
}

@available(*, unavailable) extension DatagramForwarder: Sendable {}
