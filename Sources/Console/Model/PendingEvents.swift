import Core

/// Events read from the stream but not yet in the model: the newest snapshot, the newest change
/// of each object, and log records. Object events are only parsed far enough to know their
/// object (`ObjectEventRef`); an update superseded before the next apply is never decoded.
///
/// A value: the stream reader adds to it under a lock, the applier takes it whole.
struct PendingEvents: Sendable {
    /// What to do with an object at the next apply.
    enum Change: Sendable {
        case upsert(ObjectEventRef)
        case remove
    }

    /// Identifies an object across sets.
    struct Key: Hashable, Sendable {
        var kind: ObjectKind
        var id: String
    }

    /// Most log records kept between two applies; older ones would be cut by the model anyway.
    static let logCapacity = LiveModel.logCapacity

    /// A snapshot that replaces the model (everything queued before it is dropped).
    private(set) var snapshot: DecodedBatch.Snapshot?
    /// The newest change per object since the snapshot or the last apply.
    private(set) var changes: [Key: Change] = [:]
    /// Log records, oldest first.
    private(set) var logs: [SSEMessage] = []
    /// Messages added since the last take (for the event counter).
    private(set) var received = 0
    /// The console's own log records that must follow the next snapshot (which replaces the
    /// log): they wait here until one is taken with them.
    private(set) var notesForSnapshot: [LogRecord] = []

    /// An empty queue.
    init() {}

    /// Whether nothing waits.
    var isEmpty: Bool { snapshot == nil && changes.isEmpty && logs.isEmpty }

    /// One message, read as far as queueing needs.
    enum Item: Sendable {
        /// Decoded by the reader: once per connection, and a malformed one must end the
        /// connection (to try again) rather than leave the console without a model.
        case snapshot(DecodedBatch.Snapshot)
        case upsert(ObjectEventRef)
        case remove(Key)
        case log(SSEMessage)
        /// The server lost this many events for the console.
        case dropped(Int)
        /// An event this console does not know (a newer server).
        case ignored
    }

    /// Reads `message` as far as queueing needs: object events to their type and key. Runs
    /// outside the lock.
    /// - Throws: `JSONTape.ParseError` or `DecodingError` when a snapshot, object or dropped
    ///   event is malformed.
    static func item(_ message: SSEMessage) throws -> Item {
        switch message.event {
        case "snapshot": return .snapshot(try EventBody.snapshot(try JSONTape(message.bytes)))
        case "created", "updated": return .upsert(try ObjectEventRef(message.bytes))
        case "removed":
            let ref = try ObjectEventRef(message.bytes)
            return .remove(Key(kind: ref.kind, id: ref.id))
        case "log": return .log(message)
        case "dropped": return .dropped(try EventBody.droppedCount(message.bytes))
        default: return .ignored
        }
    }

    /// Queues one item; a snapshot drops everything queued before it.
    mutating func add(_ item: Item) {
        received += 1
        switch item {
        case .snapshot(let decoded):
            snapshot = decoded
            changes = [:]
            logs = []
        case .upsert(let ref): changes[Key(kind: ref.kind, id: ref.id)] = .upsert(ref)
        case .remove(let key): changes[key] = .remove
        case .log(let message):
            logs.append(message)
            if logs.count > Self.logCapacity + Self.logCapacity / 4 { logs.removeFirst(logs.count - Self.logCapacity) }
        case .dropped, .ignored: break
        }
    }

    /// Drops what is queued (stale: the server lost events in between) and keeps `note` for
    /// the snapshot that the reconnection brings.
    mutating func resync(note: LogRecord) {
        let notes = notesForSnapshot + [note]
        self = PendingEvents()
        notesForSnapshot = notes
    }

    /// Takes everything queued, leaving the queue empty (but for notes that wait for a snapshot).
    mutating func take() -> PendingEvents {
        var out = self
        self = PendingEvents()
        if out.snapshot == nil {
            notesForSnapshot = out.notesForSnapshot
            out.notesForSnapshot = []
        }
        return out
    }

    /// Decodes what is queued into one batch for `LiveModel.apply(_:)`. Runs outside any lock.
    /// - Throws: `DecodingError` for an object that is not even a JSON object (the reader
    ///   checked that already).
    func decode() throws -> DecodedBatch {
        var batch = DecodedBatch()
        batch.snapshot = snapshot
        batch.upserts.reserveCapacity(changes.count)
        for (key, change) in changes {
            switch change {
            case .upsert(let ref): batch.upserts.append(try ref.decode())
            case .remove: batch.removals.append((key.kind, key.id))
            }
        }
        for message in logs {
            // A log record that does not decode is skipped: the log pane is a convenience.
            if let record = try? TapeDecoder.decode(LogRecord.self, from: message.bytes) { batch.logs.append(record) }
        }
        batch.received = received
        batch.notes = notesForSnapshot
        return batch
    }
}

/// Decoded changes applied to the model at once.
public struct DecodedBatch: Sendable {
    /// The parts of a snapshot.
    public typealias Snapshot = (server: ServerInfo?, objects: [LiveObject], logs: [LogRecord])
    /// A snapshot that replaces the model first.
    public var snapshot: Snapshot?
    /// Objects created or changed.
    public var upserts: [LiveObject] = []
    /// Objects gone, by kind and key.
    public var removals: [(kind: ObjectKind, id: String)] = []
    /// Log records in order.
    public var logs: [LogRecord] = []
    /// How many stream messages the batch stands for (superseded updates included).
    public var received = 0
    /// The console's own log records, added last (after the snapshot that replaces the log).
    public var notes: [LogRecord] = []

    /// An empty batch.
    public init() {}
}
