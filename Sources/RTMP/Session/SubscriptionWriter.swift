import Core
import DequeModule
import NIOCore

/// Drains a hub subscription into an RTMP channel on the channel's event loop, as fast as the
/// socket takes it: when the channel stops being writable it stops draining, the subscription's
/// queue fills, and the hub drops that subscriber to its next keyframe. Used by server-side
/// players and by client-side pushes alike.
final class SubscriptionWriter {
    /// Packets taken from the queue per pass before yielding the loop to other channels.
    static let batch = 64

    private let subscription: Subscription
    private let streamID: UInt32
    private let context: ChannelHandlerContext
    /// The context's channel, looked up once rather than per pass.
    private let channel: any Channel
    private var rebaser: TimestampRebaser
    private let onEnd: (String) -> Void
    private var isPumping = false
    /// When set, packets keep their own timestamps and their chunks, encoded once at this chunk
    /// size, are shared with every other writer of the same stream (server-side players).
    private let sharedChunkSize: Int?
    private var isEnded = false
    /// Replaces the stream's audio when set (transponders).
    private let audio: AudioSwitch?
    /// Where shared chunks go, past the handlers above it (see `ChunkEncodingHandler.writeChunks`).
    private let chunkOutput: ChunkEncodingHandler?
    /// The packets of one pass; kept between passes so that draining allocates nothing.
    private var batch: Deque<MediaPacket> = []

    /// Starts writing. `onEnd` runs on the loop once the subscription ended and its queue is written.
    /// With `sharedChunkSize`, timestamps are the publisher's and encoded chunks are shared;
    /// otherwise timestamps are rebased from `rebaser` and each message is encoded here.
    init(subscription: Subscription, streamID: UInt32, context: ChannelHandlerContext,
         rebaser: TimestampRebaser = TimestampRebaser(), sharedChunkSize: Int? = nil,
         audio: AudioSwitch? = nil, onEnd: @escaping (String) -> Void) {
        self.audio = audio
        self.sharedChunkSize = sharedChunkSize
        self.subscription = subscription
        self.streamID = streamID
        self.context = context
        self.channel = context.channel
        self.rebaser = rebaser
        self.onEnd = onEnd
        // Without the handler (a pipeline of other encoders) shared chunks go through the pipeline.
        self.chunkOutput = sharedChunkSize == nil
            ? nil : try? context.pipeline.syncOperations.handler(type: ChunkEncodingHandler.self)
        let loop = context.eventLoop
        let bound = NIOLoopBound(self, eventLoop: loop)
        subscription.setWaker(on: loop) { bound.value.schedule() }
    }

    /// The timestamps state, so a later writer can continue after this one.
    var timestamps: TimestampRebaser { rebaser }

    /// Writes what is queued (called on writability changes too). Writing can change
    /// writability, which calls back in here: the flag makes that a no-op.
    func schedule() {
        guard !isPumping, !isEnded else { return }
        isPumping = true
        defer { isPumping = false }
        pump()
    }

    private func pump() {
        guard channel.isActive else { return }
        var wrote = false
        while channel.isWritable {
            let end = subscription.drain(into: &batch, max: Self.batch)
            let count = batch.count
            while let packet = batch.popFirst() {
                if let audio {
                    for sent in audio.process(packet) { wrote = write(sent) || wrote }
                } else {
                    wrote = write(packet) || wrote
                }
            }
            if let end {
                if wrote { flush() }
                isEnded = true
                onEnd(end)
                return
            }
            if count < Self.batch { break }
            if wrote {
                flush()
                wrote = false
            }
        }
        if wrote { flush() }
    }

    /// Writes one packet without flushing; false when it has no RTMP form.
    private func write(_ packet: MediaPacket) -> Bool {
        guard let chunkSize = sharedChunkSize else {
            let ts = rebaser.map(dts: packet.dtsMilliseconds, isEssential: packet.isEssential)
            guard let message = FromHub.message(for: packet, streamID: streamID,
                                                timestamp: UInt32(truncatingIfNeeded: ts),
                                                allocator: channel.allocator) else { return false }
            context.write(NIOAny(message), promise: nil)
            return true
        }
        let csid: UInt32 = packet.kind == .video ? RTMPMessage.Channel.video
            : packet.kind == .audio ? RTMPMessage.Channel.audio : RTMPMessage.Channel.data
        let streamID = self.streamID
        let chunks = packet.wireCache.bytes(for: Int(streamID) << 32 | chunkSize) {
            let ts = UInt32(truncatingIfNeeded: packet.dtsMilliseconds)
            guard let message = FromHub.message(for: packet, streamID: streamID, timestamp: ts,
                                                allocator: ByteBufferAllocator()) else { return ByteBuffer() }
            return ChunkEncoder.standalone(message, chunkSize: chunkSize)
        }
        guard chunks.readableBytes > 0 else { return false }
        if let chunkOutput {
            chunkOutput.writeChunks(chunks, chunkStreamID: csid)
        } else {
            context.write(NIOAny(RTMPMessage.preEncoded(chunks, chunkStreamID: csid)), promise: nil)
        }
        return true
    }

    private func flush() {
        if let chunkOutput { chunkOutput.flush() } else { context.flush() }
    }

    /// Stops writing and leaves the stream.
    func cancel() {
        isEnded = true
        subscription.cancel()
    }
}

@available(*, unavailable)
extension SubscriptionWriter: Sendable {}
