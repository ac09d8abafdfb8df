import Core
import Foundation
import Synchronization

/// Keeps a `LiveModel` current from `GET /rest-api/events`: the snapshot, then every
/// created/updated/removed/log event. When the stream fails it marks the model detached and
/// reconnects by itself with exponential backoff; the next snapshot replaces the old state.
///
/// The model sits behind a `Mutex` so the UI thread can copy it (copy-on-write, cheap) at its own pace.
public final class EventClient: Sendable {
    /// First reconnect delay; doubles per failure up to `maxBackoff`.
    public static let minBackoff: Duration = .milliseconds(250)
    /// Longest wait between reconnect attempts: a restarted server is found within 2 s.
    public static let maxBackoff: Duration = .seconds(2)
    /// Lowest log level requested from the server; the log pane filters further.
    public static let requestedLevel = "debug"

    private let http: HTTPClient
    private let state = Mutex(LiveModel())

    /// A client that reads events through `http` once `run()` starts.
    public init(http: HTTPClient) { self.http = http }

    /// A copy of the current model.
    public var model: LiveModel { state.withLock { $0 } }

    /// The generation of the current model, to check for changes without copying.
    public var generation: Int { state.withLock { $0.generation } }

    /// Adds a log record from the console itself (connection changes), shown in the log pane.
    public func note(_ level: String, _ message: String) {
        let record = LogRecord(time: Self.now(), level: level, label: "console", message: message, metadata: [:])
        state.withLock { $0.appendLog(record) }
    }

    /// Runs until the task is cancelled.
    public func run() async {
        var backoff = Self.minBackoff
        var wasAttached = false
        var attempts = 0
        while !Task.isCancelled {
            do {
                try await attachOnce {
                    if attempts > 0 { note("notice", "attached to pid \(model.server?.pid ?? 0)") }
                    attempts += 1
                    wasAttached = true
                    backoff = Self.minBackoff
                }
            } catch is CancellationError {
                return
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
            // Decode outside the lock, then apply the whole chunk under one lock: the UI thread
            // copies the model at its own pace and never waits for decoding.
            let events = try parser.feed(bytes).compactMap { try ServerEvent.decode($0) }
            guard !events.isEmpty else { return !Task.isCancelled }
            var sawSnapshot = false
            state.withLock { model in
                for event in events {
                    model.apply(event)
                    if case .snapshot = event {
                        model.setConnection(.attached)
                        sawSnapshot = true
                    }
                }
            }
            if sawSnapshot, !attached {
                attached = true
                onAttached()
            }
            return !Task.isCancelled
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
