import Core

/// Whether the console is attached to a server.
public enum ConnectionState: Sendable, Equatable {
    /// Connecting for the first time.
    case connecting
    /// Receiving events.
    case attached
    /// The event stream failed; `reason` says why, the next attempt is at `retryAt` (ms since 1970).
    case detached(reason: String, retryAt: Int64)
}

/// Everything the server told the console: a pure value updated by events.
public struct LiveModel: Sendable {
    /// Log records kept for the log pane (a ring: the oldest go first).
    public static let logCapacity = 5_000

    /// The server the snapshot came from.
    public var server: ServerInfo?
    /// Attached, connecting or detached.
    public var connection: ConnectionState = .connecting
    /// Objects per kind, by key.
    public private(set) var objects: [ObjectKind: [String: LiveObject]] = [:]
    /// Recent log records, oldest first.
    public private(set) var logs: [LogRecord] = []
    /// Total log records ever received (the log pane uses it to follow).
    public private(set) var logCount = 0
    /// Bumped on every change, so a view can tell whether to redraw.
    public private(set) var generation = 0
    /// Times the server dropped events for this console and it re-took the snapshot.
    public private(set) var resyncCount = 0
    /// Event-stream messages received, superseded updates included.
    public private(set) var eventCount = 0

    /// An empty model, not yet attached.
    public init() {}

    /// Applies one event.
    public mutating func apply(_ event: ServerEvent) {
        generation &+= 1
        switch event {
        case .snapshot(let server, let list, let logs):
            self.server = server
            objects = [:]
            for object in list { objects[object.kind, default: [:]][object.id] = object }
            self.logs = Array(logs.suffix(Self.logCapacity))
            logCount &+= logs.count
        case .created(let object), .updated(let object):
            objects[object.kind, default: [:]][object.id] = object
        case .removed(let object):
            objects[object.kind]?[object.id] = nil
        case .log(let record):
            appendLog(record)
        case .dropped:
            resyncCount &+= 1
        }
    }

    /// Applies a batch of decoded changes with one generation step: the snapshot first, then
    /// objects, then log records.
    public mutating func apply(_ batch: DecodedBatch) {
        if let s = batch.snapshot { apply(.snapshot(server: s.server, objects: s.objects, logs: s.logs)) }
        generation &+= 1
        for object in batch.upserts { objects[object.kind, default: [:]][object.id] = object }
        for (kind, id) in batch.removals { objects[kind]?[id] = nil }
        for record in batch.logs { appendLog(record) }
        for record in batch.notes { appendLog(record) }
        eventCount &+= batch.received
    }

    /// Records that the server dropped events for this console, which is about to re-take the snapshot.
    public mutating func noteResync() {
        resyncCount &+= 1
        generation &+= 1
    }

    /// Adds a log record, dropping the oldest beyond `logCapacity`.
    public mutating func appendLog(_ record: LogRecord) {
        generation &+= 1
        logs.append(record)
        logCount &+= 1
        if logs.count > Self.logCapacity + Self.logCapacity / 4 {  // amortise the front removal
            logs.removeFirst(logs.count - Self.logCapacity)
        }
    }

    /// Sets the connection state.
    public mutating func setConnection(_ state: ConnectionState) {
        guard state != connection else { return }
        connection = state
        generation &+= 1
    }

    /// The objects of one kind, unordered.
    public func list(_ kind: ObjectKind) -> [LiveObject] { objects[kind].map { Array($0.values) } ?? [] }

    /// How many objects of `kind` exist.
    public func count(_ kind: ObjectKind) -> Int { objects[kind]?.count ?? 0 }

    /// Summed bitrate (kbps) of published streams (in) and played streams (out).
    public var bitrate: (inKbps: Int, outKbps: Int) {
        var inK = 0, outK = 0
        for object in objects[.stream]?.values ?? [:].values {
            guard let s = object.typed as? Core.Stream else { continue }
            if s.published { inK += s.bitrate } else { outK += s.bitrate }
        }
        return (inK, outK)
    }
}
