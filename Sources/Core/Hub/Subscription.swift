import DequeModule
import NIOCore
import Synchronization

/// What to call when a subscription has something to take, and where: an action bound to an
/// event loop runs on it, and the hub wakes all subscribers of one loop with a single task.
struct SubscriptionWaker: Sendable {
    let loop: (any EventLoop)?
    let action: @Sendable () -> Void

    /// Runs the action now, or on its loop.
    func fire() {
        if let loop { loop.execute(action) } else { action() }
    }

    /// Fires many wakers with one task per event loop.
    static func fire(_ wakers: [SubscriptionWaker]) {
        guard wakers.count > 1 else {
            wakers.first?.fire()
            return
        }
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, actions: [@Sendable () -> Void])] = [:]
        for waker in wakers {
            guard let loop = waker.loop else {
                waker.action()
                continue
            }
            byLoop[ObjectIdentifier(loop), default: (loop, [])].actions.append(waker.action)
        }
        for (loop, actions) in byLoop.values {
            loop.execute { for action in actions { action() } }
        }
    }
}

/// What a subscriber takes from its queue.
public enum SubscriptionItem: Sendable {
    /// The next packet, in publish order.
    case packet(MediaPacket)
    /// The stream ended (publisher left or the subscription was terminated); no packet follows.
    case ended(reason: String)
}

/// One consumer's view of a published stream: a bounded queue the hub fills and the consumer
/// drains. When the queue is full the subscriber has fallen behind: its queued media is
/// dropped and it skips ahead to the next keyframe, while configuration and metadata packets
/// are always kept. The publisher and other subscribers never wait for it.
///
/// Consumers use either `drain(max:)` with a waker (event-loop code) or `next()` (tasks).
public final class Subscription: Sendable {
    /// Queue length (packets) a subscriber gets unless it asks otherwise: about 7 s of
    /// 30 fps video with 44.1 kHz AAC, enough to ride out a short stall.
    public static let defaultCapacity = 512

    /// The subscriber's media session (a player's `Stream.mediaSessionId`).
    public let mediaSessionId: String
    /// The stream it reads.
    public let streamName: String
    /// Most media packets queued before the subscriber drops to the next keyframe.
    public let capacity: Int
    /// true when the hub shows this subscriber as a player `Stream` in the registry.
    public let isPlayer: Bool

    private struct State {
        var queue: Deque<MediaPacket> = []
        var isSkippingToKeyframe = false
        var dropped = 0
        var endReason: String?
        var isEndDelivered = false
        var waker: SubscriptionWaker?
        var isWakePending = false
        var continuation: CheckedContinuation<SubscriptionItem?, Never>?
        var onCancel: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    init(mediaSessionId: String, streamName: String, capacity: Int, isPlayer: Bool) {
        precondition(capacity > 0, "a subscription needs room for at least one packet")
        self.mediaSessionId = mediaSessionId
        self.streamName = streamName
        self.capacity = capacity
        self.isPlayer = isPlayer
    }

    // MARK: consumer side

    /// Packets this subscriber lost by falling behind.
    public var droppedPackets: Int { state.withLock { $0.dropped } }

    /// Sets the function called when packets or the end become available after the queue was
    /// drained. It is called once per `drain`, so a consumer that stops draining (backpressure)
    /// is not woken again until it drains.
    /// - Parameters:
    ///   - loop: where `waker` runs; subscribers of one loop are woken together by one task.
    ///     Without a loop it runs on the publisher's thread and must not block.
    ///   - waker: the function.
    public func setWaker(on loop: (any EventLoop)? = nil, _ waker: @escaping @Sendable () -> Void) {
        let wake = SubscriptionWaker(loop: loop, action: waker)
        let wakeNow = state.withLock { s -> Bool in
            s.waker = wake
            let ready = !s.queue.isEmpty || (s.endReason != nil && !s.isEndDelivered)
            if ready, !s.isWakePending {
                s.isWakePending = true
                return true
            }
            return false
        }
        if wakeNow { wake.fire() }
    }

    /// Takes up to `max` queued packets and, once the queue is empty, the end reason.
    public func drain(max: Int = .max) -> (packets: [MediaPacket], endReason: String?) {
        state.withLock { s in
            s.isWakePending = false
            let count = min(max, s.queue.count)
            let packets = Array(s.queue.prefix(count))
            s.queue.removeFirst(count)
            guard s.queue.isEmpty, let reason = s.endReason, !s.isEndDelivered else { return (packets, nil) }
            s.isEndDelivered = true
            return (packets, reason)
        }
    }

    /// Moves up to `max` queued packets to the end of `packets` and, once the queue is empty,
    /// returns the end reason: `drain(max:)` without an array per call. When everything fits,
    /// the queue's storage is swapped with an empty `packets` rather than copied, so an
    /// event-loop consumer that keeps its buffer pays no allocation or copy per wake-up.
    public func drain(into packets: inout Deque<MediaPacket>, max: Int = .max) -> String? {
        state.withLock { s in
            s.isWakePending = false
            if packets.isEmpty, s.queue.count <= max {
                swap(&packets, &s.queue)
            } else {
                for _ in 0..<min(max, s.queue.count) {
                    guard let packet = s.queue.popFirst() else { break }
                    packets.append(packet)
                }
            }
            guard s.queue.isEmpty, let reason = s.endReason, !s.isEndDelivered else { return nil }
            s.isEndDelivered = true
            return reason
        }
    }

    /// The next item, waiting for it; nil after `.ended` was returned. One caller at a time.
    public func next() async -> SubscriptionItem? {
        await withCheckedContinuation { (continuation: CheckedContinuation<SubscriptionItem?, Never>) in
            let immediate = state.withLock { s -> SubscriptionItem?? in
                if let packet = s.queue.popFirst() { return .some(.packet(packet)) }
                if let reason = s.endReason {
                    if s.isEndDelivered { return .some(nil) }
                    s.isEndDelivered = true
                    return .some(.ended(reason: reason))
                }
                s.continuation = continuation
                return .none
            }
            if let item = immediate { continuation.resume(returning: item) }
        }
    }

    /// Leaves the stream; a player's `Stream` object is removed.
    public func cancel() {
        let onCancel = state.withLock { s -> (@Sendable () -> Void)? in
            defer { s.onCancel = nil }
            return s.onCancel
        }
        onCancel?()
        finish(reason: "cancelled")
    }

    // MARK: hub side

    func setOnCancel(_ action: @escaping @Sendable () -> Void) {
        state.withLock { $0.onCancel = action }
    }

    /// Queues a packet; `startsGOP` says whether it is a packet a skipping subscriber may resume on.
    /// `isReplay` marks the configuration and cached GOP a new subscriber starts with: they are
    /// queued whole even beyond `capacity`, since cutting them would start the player mid-GOP.
    /// Returns the waker to fire (the caller batches them per loop).
    func enqueue(_ packet: MediaPacket, startsGOP: Bool, isReplay: Bool = false) -> SubscriptionWaker? {
        state.withLock { s -> SubscriptionWaker? in
            guard s.endReason == nil else { return nil }
            if !packet.isEssential, s.isSkippingToKeyframe {
                guard startsGOP else {
                    s.dropped += 1
                    return nil
                }
                s.isSkippingToKeyframe = false
            }
            if let continuation = s.continuation {
                s.continuation = nil
                continuation.resume(returning: .packet(packet))
                return nil
            }
            if !packet.isEssential, !isReplay, s.queue.count >= capacity {
                let before = s.queue.count
                s.queue.removeAll { !$0.isEssential }
                s.dropped += before - s.queue.count
                if !startsGOP {
                    s.dropped += 1
                    s.isSkippingToKeyframe = true
                    return Self.wakeIfNeeded(&s)
                }
            }
            s.queue.append(packet)
            return Self.wakeIfNeeded(&s)
        }
    }

    /// Ends the subscription after the queued packets; later packets are ignored.
    func finish(reason: String) {
        let (continuation, wake) = state.withLock { s -> (CheckedContinuation<SubscriptionItem?, Never>?, SubscriptionWaker?) in
            guard s.endReason == nil else { return (nil, nil) }
            s.endReason = reason
            s.onCancel = nil
            if let continuation = s.continuation {
                s.continuation = nil
                s.isEndDelivered = true
                s.waker = nil
                return (continuation, nil)
            }
            // The waker is dropped so that a consumer that captured itself in it is freed.
            defer { s.waker = nil }
            return (nil, Self.wakeIfNeeded(&s))
        }
        continuation?.resume(returning: .ended(reason: reason))
        wake?.fire()
    }

    private static func wakeIfNeeded(_ s: inout State) -> SubscriptionWaker? {
        guard let waker = s.waker, !s.isWakePending else { return nil }
        s.isWakePending = true
        return waker
    }
}
