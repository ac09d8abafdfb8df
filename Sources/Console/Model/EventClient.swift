import Core
import Foundation
import Synchronization

/// Keeps a `LiveModel` current from `GET /rest-api/events`: the snapshot, then every
/// created/updated/removed/log event. When the stream fails it marks the model detached and
/// reconnects by itself with exponential backoff; the next snapshot replaces the old state.
/// When the server says it dropped events for this console (`dropped`), it reconnects at once
/// to re-take the snapshot rather than show stale state.
///
/// Two loops share the work. The reader parses the stream and queues each message, object
/// events read only as far as their type and key, so a newer update of the same object
/// replaces an older one (`PendingEvents`); it decodes only the snapshot, once per connection,
/// so that a malformed one ends the connection as any malformed event does. The applier decodes what is queued and applies it to
/// the model at most every `applyInterval`; when decoding falls behind, the pause grows with it,
/// so a flood of updates is coalesced instead of queued, and reading never waits for decoding.
///
/// The model sits behind a `Mutex` so the UI thread can copy it (copy-on-write, cheap) at its own pace.
public final class EventClient: Sendable {
    /// First reconnect delay; doubles per failure up to `maxBackoff`.
    public static let minBackoff: Duration = .milliseconds(250)
    /// Longest wait between reconnect attempts: a restarted server is found within 2 s.
    public static let maxBackoff: Duration = .seconds(2)
    /// Lowest log level requested from the server; the log pane filters further.
    public static let requestedLevel = "debug"
    /// Shortest pause between two applies (100 ms): a few times the UI's frame rate for model
    /// changes, so frames show fresh data.
    public static let applyInterval: Duration = .milliseconds(100)
    /// The applier pauses at least this many times as long as its last decode took, so decoding
    /// uses at most about a third of a core however many events arrive.
    public static let applyPauseFactor = 2

    /// Raised by the reader when the server reports dropped events.
    struct ResyncNeeded: Error {
        /// Events the server dropped.
        let count: Int
    }

    private let http: HTTPClient
    private let state = Mutex(LiveModel())
    private let pending = Mutex(PendingEvents())

    /// A client that reads events through `http` once `run()` starts.
    public init(http: HTTPClient) { self.http = http }

    /// A copy of the current model.
    public var model: LiveModel { state.withLock { $0 } }

    /// The generation of the current model, to check for changes without copying.
    public var generation: Int { state.withLock { $0.generation } }

    /// Adds a log record from the console itself (connection changes), shown in the log pane.
    public func note(_ level: String, _ message: String) {
        state.withLock { $0.appendLog(Self.record(level, message)) }
    }

    private static func record(_ level: String, _ message: String) -> LogRecord {
        LogRecord(time: now(), level: level, label: "console", message: message, metadata: [:])
    }

    /// Runs until the task is cancelled.
    public func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.applyLoop() }
            await self.readLoop()
            group.cancelAll()
        }
    }

    private func readLoop() async {
        var backoff = Self.minBackoff
        var wasAttached = false
        while !Task.isCancelled {
            do {
                try await attachOnce {
                    wasAttached = true
                    backoff = Self.minBackoff
                }
            } catch is CancellationError {
                return
            } catch let resync as ResyncNeeded {
                let record = Self.record("warning", "server dropped \(resync.count) events for this console: re-taking the snapshot")
                pending.withLock { $0.resync(note: record) }
                state.withLock { $0.noteResync() }
                continue  // at once: the state shown is stale
            } catch {
                if Task.isCancelled { return }
                let reason = (error as? ConsoleError)?.description ?? "\(error)"
                let retryAt = Int64(Date().timeIntervalSince1970 * 1000) + backoff.milliseconds
                state.withLock { $0.setConnection(.detached(reason: reason, retryAt: retryAt)) }
                if wasAttached {
                    note("warning", "detached: \(reason)")
                    wasAttached = false
                }
            }
            do { try await Task.sleep(for: backoff) } catch { return }
            backoff = min(backoff * 2, Self.maxBackoff)
        }
    }

    private func attachOnce(onAttached: () -> Void) async throws {
        var parser = SSEParser()
        var attached = false
        try await http.stream("/rest-api/events?level=\(Self.requestedLevel)&logs=500") { bytes in
            // Read each message only as far as queueing needs, outside the lock.
            let items = try parser.feed(bytes).map(PendingEvents.item)
            guard !items.isEmpty else { return !Task.isCancelled }
            var sawSnapshot = false
            var dropped: Int?
            pending.withLock { queue in
                for item in items {
                    queue.add(item)
                    if case .snapshot = item { sawSnapshot = true }
                    if case .dropped(let n) = item { dropped = (dropped ?? 0) + n }
                }
            }
            if let dropped { throw ResyncNeeded(count: dropped) }
            if sawSnapshot, !attached {
                attached = true
                onAttached()
            }
            return !Task.isCancelled
        }
    }

    private func applyLoop() async {
        let clock = ContinuousClock()
        var attachments = 0
        while !Task.isCancelled {
            let spent = clock.measure {
                if applyPending() {
                    attachments += 1
                    if attachments > 1 { note("notice", "attached to pid \(model.server?.pid ?? 0)") }
                }
            }
            do { try await Task.sleep(for: max(Self.applyInterval, spent * Self.applyPauseFactor)) } catch { return }
        }
    }

    /// Decodes and applies what the reader queued.
    /// - Returns: true when that included a snapshot (the console is attached).
    @discardableResult
    func applyPending() -> Bool {
        let queued = pending.withLock { $0.take() }
        guard !queued.isEmpty else { return false }
        do {
            let batch = try queued.decode()
            state.withLock { model in
                model.apply(batch)
                if batch.snapshot != nil { model.setConnection(.attached) }
            }
            return batch.snapshot != nil
        } catch {
            // Cannot happen for objects the reader checked; if it does, that object waits for its next update.
            note("error", "cannot decode events: \(error)")
            return false
        }
    }

    /// Connects once, reads the snapshot and returns it as a model (for `-x`).
    /// - Throws: transport, HTTP and decoding errors.
    public static func fetchSnapshot(http: HTTPClient) async throws -> LiveModel {
        var parser = SSEParser()
        var model = LiveModel()
        var done = false
        do {
            try await http.stream("/rest-api/events?logs=0") { bytes in
                for message in try parser.feed(bytes) {
                    guard let event = try ServerEvent.decode(message), case .snapshot = event else { continue }
                    model.apply(event)
                    done = true
                    return false
                }
                return true
            }
        } catch {
            if !done { throw error }
        }
        guard done else { throw ConsoleError.badResponse("no snapshot") }
        model.setConnection(.attached)
        return model
    }

    /// The current time as the server writes it (ISO 8601, ms).
    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}
