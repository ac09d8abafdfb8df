import Foundation
import Synchronization

/// Waits until every listener has bound its address, then writes `server.json` once, so a
/// reader of that file can connect to every port in it at once.
final class ListenerBook: Sendable {
    private let pending: Mutex<Set<String>>
    private let ready: @Sendable () -> Void

    init(expecting names: Set<String>, whenAllBound ready: @escaping @Sendable () -> Void) {
        pending = Mutex(names)
        self.ready = ready
    }

    /// Marks a listener as bound; the last one triggers `whenAllBound`.
    func bound(_ name: String) {
        let done = pending.withLock { p -> Bool in
            guard p.remove(name) != nil else { return false }
            return p.isEmpty
        }
        if done { ready() }
    }
}
