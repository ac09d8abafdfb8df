import Synchronization

/// The running pipelines of one service by key (URI, mediaSessionId), safe against a pipeline
/// that ends before its service has stored it: `finish` remembers such a key and `insert`
/// then declines to store the pipeline.
final class PipelineTable<Pipeline: Sendable>: Sendable {
    private struct State {
        var running: [String: Pipeline] = [:]
        var endedEarly: Set<String> = []
    }

    private let state = Mutex(State())

    /// Stores a started pipeline; returns false when it already ended (nothing is stored).
    @discardableResult
    func insert(_ pipeline: Pipeline, for key: String) -> Bool {
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

    /// The running pipeline for `key`.
    subscript(key: String) -> Pipeline? { state.withLock { $0.running[key] } }

    /// Keys of the running pipelines, sorted.
    var keys: [String] { state.withLock { Array($0.running.keys) }.sorted() }
}
