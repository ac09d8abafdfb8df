import NIOCore
import Synchronization

/// Gathers subscriber wake-ups per event loop over a short window and runs them in one task,
/// so a player writes the audio and video that arrived meanwhile in one go (one `writev`)
/// instead of one write per packet. The window bounds the latency it adds.
final class WakeCoalescer: Sendable {
    /// How long wake-ups are gathered; zero wakes at once.
    let window: TimeAmount

    private let pending = Mutex<[ObjectIdentifier: [@Sendable () -> Void]]>([:])

    init(window: TimeAmount) {
        self.window = window
    }

    /// Fires the wakers: loop-bound ones after the window, in one task per loop; others now.
    func fire(_ wakers: [SubscriptionWaker]) {
        guard window > .zero else {
            SubscriptionWaker.fire(wakers)
            return
        }
        var direct: [@Sendable () -> Void] = []
        var toSchedule: [(ObjectIdentifier, any EventLoop)] = []
        pending.withLock { pending in
            for waker in wakers {
                guard let loop = waker.loop else {
                    direct.append(waker.action)
                    continue
                }
                let id = ObjectIdentifier(loop)
                if pending[id] == nil { toSchedule.append((id, loop)) }
                pending[id, default: []].append(waker.action)
            }
        }
        for action in direct { action() }
        for (id, loop) in toSchedule {
            loop.scheduleTask(in: window) { [self] in
                let actions = pending.withLock { $0.removeValue(forKey: id) } ?? []
                for action in actions { action() }
            }
        }
    }
}
