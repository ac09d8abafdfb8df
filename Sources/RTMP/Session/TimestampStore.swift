import Synchronization

/// A `TimestampRebaser` that outlives connections: a push or pull keeps one, so that each
/// reconnect continues the timestamps where the previous connection stopped.
final class TimestampStore: Sendable {
    private let rebaser = Mutex(TimestampRebaser())

    /// The saved state, with a new segment started.
    func nextSegment() -> TimestampRebaser {
        rebaser.withLock { r in
            r.startSegment()
            return r
        }
    }

    /// Saves the state a connection ended with.
    func save(_ state: TimestampRebaser) {
        rebaser.withLock { $0 = state }
    }

    /// Maps one packet through the saved state (pull side: packets arrive one by one).
    func map(dts: Int64, isEssential: Bool) -> Int64 {
        rebaser.withLock { $0.map(dts: dts, isEssential: isEssential) }
    }

    /// Starts a new segment in place (pull side, on reconnect).
    func startSegment() {
        rebaser.withLock { $0.startSegment() }
    }
}
