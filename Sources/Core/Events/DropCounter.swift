import Synchronization

/// Counts events a subscriber lost because its bounded buffer was full, until the reader takes
/// the count to tell its client (the event stream's `dropped` message, docs/events.md).
public final class DropCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// A counter at zero.
    public init() {}

    /// Adds `n` lost events.
    public func add(_ n: Int = 1) { count.add(n, ordering: .relaxed) }

    /// The events lost since the last call, and resets the count.
    public func take() -> Int { count.exchange(0, ordering: .relaxed) }
}
