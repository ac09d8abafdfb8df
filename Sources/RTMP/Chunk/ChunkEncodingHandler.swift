import NIOCore

/// The outbound half of the RTMP codec on a channel: turns messages into chunks with a
/// `ChunkEncoder` (RTMP §5.3). Pre-encoded chunks, shared by every player of a stream, pass
/// through as the same `ByteBuffer` without a copy, so a packet's bytes exist once in memory
/// however many players send them; `writeChunks` lets a player's writer hand them over directly.
final class ChunkEncodingHandler: ChannelOutboundHandler {
    typealias OutboundIn = RTMPMessage
    typealias OutboundOut = ByteBuffer

    private let encoder = ChunkEncoder()
    private var context: ChannelHandlerContext?

    init() {}

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = unwrapOutboundIn(data)
        if message.isPreEncoded {
            encoder.forget(chunkStreamID: message.chunkStreamID)
            context.write(wrapOutboundOut(message.payload), promise: promise)
            return
        }
        var out = context.channel.allocator.buffer(capacity: encoder.encodedSizeBound(of: message))
        encoder.write(message, to: &out)
        context.write(wrapOutboundOut(out), promise: promise)
    }

    /// Writes chunks encoded elsewhere (`ChunkEncoder.standalone`) on `chunkStreamID`, without a
    /// pipeline pass through the handlers above this one and without a promise: the per-packet
    /// path of a player, which a flush then sends. Call it on the channel's event loop.
    func writeChunks(_ chunks: ByteBuffer, chunkStreamID: UInt32) {
        guard let context else { return }
        encoder.forget(chunkStreamID: chunkStreamID)
        context.write(wrapOutboundOut(chunks), promise: nil)
    }

    /// Flushes the channel from this handler down.
    func flush() {
        context?.flush()
    }
}

@available(*, unavailable)
extension ChunkEncodingHandler: Sendable {}
