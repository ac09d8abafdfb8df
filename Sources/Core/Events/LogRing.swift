import DequeModule
import Synchronization

/// The last log records, kept for event-stream clients that connect later.
public final class LogRing: Sendable {
    /// Records kept.
    public let capacity: Int
    private let records: Mutex<Deque<LogRecord>>
    private let bus: EventBus

    public init(capacity: Int = 10_000, bus: EventBus) {
        precondition(capacity > 0, "a log ring needs room for at least one record")
        self.capacity = capacity
        self.records = Mutex(Deque())
        self.bus = bus
    }

    /// Appends a record and publishes it on the bus.
    public func append(_ record: LogRecord) {
        records.withLock { ring in
            if ring.count == capacity { ring.removeFirst() }
            ring.append(record)
            bus.publish(.log(record))
        }
    }

    /// The newest `limit` records, oldest first.
    public func recent(limit: Int? = nil) -> [LogRecord] {
        records.withLock { ring in
            let n = min(limit ?? ring.count, ring.count)
            return Array(ring.suffix(n))
        }
    }

    /// Runs `body` while no record can be appended: used to take a snapshot and subscribe atomically.
    func withFrozen<R>(_ body: ([LogRecord]) -> R) -> R {
        records.withLock { body(Array($0)) }
    }
}
