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
    /// When set, audio and video chunks, encoded once at this chunk size with a delta header,
    /// are shared with every other writer of the same stream (server-side players).
    private let sharedChunkSize: Int?
    /// The last audio and video packets written, for the delta headers of shared chunks.
    private var lastAudio: Written?
    private var lastVideo: Written?
    private var isEnded = false
    /// Replaces the stream's audio when set (transponders).
    private let audio: AudioSwitch?
    /// Where shared chunks go, past the handlers above it (see `ChunkEncodingHandler.writeChunks`).
    private let chunkOutput: ChunkEncodingHandler?
    /// The packets of one pass; kept between passes so that draining allocates nothing.
    private var batch: Deque<MediaPacket> = []

    /// Starts writing. `onEnd` runs on the loop once the subscription ended and its queue is written.
    /// Timestamps are rebased from `rebaser` (a new one starts at 0). With `sharedChunkSize`,
    /// audio and video go out as chunks shared by all players whenever their delta header
    /// gives this player's timestamp; otherwise each message is encoded for this connection.
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
        let ts = rebaser.map(dts: packet.dtsMilliseconds, isEssential: packet.isEssential)
        if let chunkSize = sharedChunkSize, packet.kind != .data {
            let previous = packet.kind == .video ? lastVideo : lastAudio
            let written = Written(sequence: packet.position?.sequence ?? 0, timestamp: ts)
            if packet.kind == .video { lastVideo = written } else { lastAudio = written }
            if let delta = Self.sharedDelta(of: packet, previous: previous, timestamp: ts) {
                return writeShared(packet, delta: delta, chunkSize: chunkSize)
            }
        }
        guard let message = FromHub.message(for: packet, streamID: streamID, timestamp: UInt32(truncatingIfNeeded: ts),
                                            allocator: channel.allocator) else { return false }
        context.write(NIOAny(message), promise: nil)
        return true
    }

    /// The packet's delta from the previous packet of its kind when this connection got that
    /// packet and the delta gives this connection's timestamp, so shared chunks fit; else nil
    /// (the first packets, after a drop, around rebasing, or a delta over 24 bits).
    private static func sharedDelta(of packet: MediaPacket, previous: Written?, timestamp: Int64) -> Int64? {
        guard let position = packet.position, let previous, position.previousSequence != 0,
              previous.sequence == position.previousSequence else { return nil }
        let delta = packet.dtsMilliseconds - position.previousDtsMilliseconds
        guard delta >= 0, delta < Int64(ChunkHeader.extendedMarker), previous.timestamp + delta == timestamp else {
            return nil
        }
        return delta
    }

    /// Writes the chunks shared by every player of the stream: a format-1 header with `delta`.
    private func writeShared(_ packet: MediaPacket, delta: Int64, chunkSize: Int) -> Bool {
        let csid = packet.kind == .video ? RTMPMessage.Channel.video : RTMPMessage.Channel.audio
        let streamID = self.streamID
        let chunks = packet.wireCache.bytes(for: Int(streamID) << 32 | chunkSize) {
            guard let message = FromHub.message(for: packet, streamID: streamID, timestamp: UInt32(delta),
                                                allocator: ByteBufferAllocator()) else { return ByteBuffer() }
            return ChunkEncoder.standaloneDelta(message, chunkSize: chunkSize)
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

extension SubscriptionWriter {
    /// A packet this writer wrote: its number in the stream and the timestamp it got here.
    private struct Written {
        var sequence: Int64
        var timestamp: Int64
    }
}

@available(*, unavailable)
extension SubscriptionWriter: Sendable {}
