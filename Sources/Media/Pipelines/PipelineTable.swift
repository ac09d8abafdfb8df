import Core
import Synchronization

/// A running pipeline on a thread of its own that a service can stop.
protocol Pipeline: Sendable {
    /// Stops the pipeline and waits until its thread finished (its output ended, its file closed).
    func stop() async
}

/// The running pipelines of one service by key (URI, mediaSessionId), safe against a pipeline
/// that ends before its service has stored it: `finish` remembers such a key and `insert`
/// then declines to store the pipeline.
final class PipelineTable<Entry: Pipeline>: Sendable {
    private struct State {
        var running: [String: Entry] = [:]
        var endedEarly: Set<String> = []
    }

    private let state = Mutex(State())

    /// Stores a started pipeline; returns false when it already ended (nothing is stored).
    @discardableResult
    func insert(_ pipeline: Entry, for key: String) -> Bool {
        state.withLock { s in
            if s.endedEarly.remove(key) != nil { return false }
            s.running[key] = pipeline
            return true
        }
    }

    /// Called by the pipeline when it ends: forgets it, or remembers the key if not stored yet.
    func finish(_ key: String) {
        state.withLock { s in
            if s.running.removeValue(forKey: key) == nil { s.endedEarly.insert(key) }
        }
    }

    /// Forgets the pipeline for `key` and returns it (the caller stops it).
    func remove(_ key: String) -> Entry? {
        state.withLock { $0.running.removeValue(forKey: key) }
    }

    /// The running pipeline for `key`.
    subscript(key: String) -> Entry? { state.withLock { $0.running[key] } }

    /// Keys of the running pipelines, sorted.
    var keys: [String] { state.withLock { Array($0.running.keys) }.sorted() }

    /// How many pipelines run.
    var count: Int { state.withLock { $0.running.count } }

    /// Stops the pipeline for `key`.
    /// - Throws: `ServiceError.notFound(message)` when none runs under `key`.
    func stop(_ key: String, notFound message: String) async throws {
        guard let pipeline = self[key] else { throw ServiceError.notFound(message) }
        await pipeline.stop()
    }

    /// Stops every running pipeline (server shutdown), one after the other.
    func stopAll() async {
        for key in keys { await self[key]?.stop() }  // ended meanwhile: nothing to stop
    }
}
