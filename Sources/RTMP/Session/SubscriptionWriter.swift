import Core
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
    private var rebaser: TimestampRebaser
    private let onEnd: (String) -> Void
    private var isPumping = false
    private var isEnded = false

    /// Starts writing. `onEnd` runs on the loop once the subscription ended and its queue is written.
    init(subscription: Subscription, streamID: UInt32, context: ChannelHandlerContext,
         rebaser: TimestampRebaser = TimestampRebaser(), onEnd: @escaping (String) -> Void) {
        self.subscription = subscription
        self.streamID = streamID
        self.context = context
        self.rebaser = rebaser
        self.onEnd = onEnd
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
        guard context.channel.isActive else { return }
        var wrote = false
        while context.channel.isWritable {
            let (packets, end) = subscription.drain(max: Self.batch)
            for packet in packets {
                let ts = rebaser.map(dts: packet.dtsMilliseconds, isEssential: packet.isEssential)
                guard let message = FromHub.message(for: packet, streamID: streamID, timestamp: UInt32(truncatingIfNeeded: ts),
                                                    allocator: context.channel.allocator) else { continue }
                context.write(NIOAny(message), promise: nil)
                wrote = true
            }
            if let end {
                if wrote { context.flush() }
                isEnded = true
                onEnd(end)
                return
            }
            if packets.count < Self.batch { break }
            if wrote {
                context.flush()
                wrote = false
            }
        }
        if wrote { context.flush() }
    }

    /// Stops writing and leaves the stream.
    func cancel() {
        isEnded = true
        subscription.cancel()
    }
}

@available(*, unavailable)
extension SubscriptionWriter: Sendable {}
