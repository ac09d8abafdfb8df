import Core
import Dispatch

/// Reads a hub subscription from a pipeline thread: blocks (with a deadline) until packets
/// or the end arrive, woken by the hub through the subscription's waker.
struct SubscriptionReader {
    /// What `next` returns.
    enum Item {
        case packet(MediaPacket)
        case ended(reason: String)
        case timedOut
    }

    let subscription: Subscription
    private let signal = DispatchSemaphore(value: 0)
    private var pending: [MediaPacket] = []
    private var pendingIndex = 0
    private var endReason: String?

    init(_ subscription: Subscription) {
        self.subscription = subscription
        let signal = self.signal
        subscription.setWaker { signal.signal() }
    }

    /// Packets already queued (the replayed configuration and GOP cache right after subscribing).
    mutating func takeQueued() -> [MediaPacket] {
        var packets = Array(pending[pendingIndex...])
        pending = []
        pendingIndex = 0
        let drained = subscription.drain()
        packets += drained.packets
        if let reason = drained.endReason { endReason = reason }
        return packets
    }

    /// The next packet, the end of the stream, or `.timedOut` after `timeout` seconds.
    mutating func next(timeout: Double) -> Item {
        let deadline = DispatchTime.now() + timeout
        while true {
            if pendingIndex < pending.count {
                defer { pendingIndex += 1 }
                return .packet(pending[pendingIndex])
            }
            if let endReason { return .ended(reason: endReason) }
            let drained = subscription.drain(max: 256)
            pending = drained.packets
            pendingIndex = 0
            if let reason = drained.endReason { endReason = reason }
            if pending.isEmpty, endReason == nil, signal.wait(timeout: deadline) == .timedOut {
                return .timedOut
            }
        }
    }
}
