import Foundation
import Synchronization

/// Fans events out to subscribers (event-stream clients). Each subscriber has its own
/// bounded buffer: a client that stops reading loses its oldest events, never slows the server.
public final class EventBus: Sendable {
    /// Events a subscriber may fall behind by before the oldest are dropped.
    public static let subscriberBuffer = 20_000

    private let subscribers = Mutex<[UUID: AsyncStream<Event>.Continuation]>([:])

    public init() {}

    /// Sends an event to every subscriber.
    public func publish(_ event: Event) {
        subscribers.withLock { subs in
            for continuation in subs.values { continuation.yield(event) }
        }
    }

    /// A new subscription; it ends when the returned stream is dropped or cancelled.
    public func subscribe() -> AsyncStream<Event> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Event>.makeStream(
            bufferingPolicy: .bufferingNewest(EventBus.subscriberBuffer))
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { _ = $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// Ends every subscription (server shutdown), so long-lived event-stream responses complete.
    public func finishAll() {
        let all = subscribers.withLock { subs in
            defer { subs.removeAll() }
            return Array(subs.values)
        }
        for continuation in all { continuation.finish() }
    }

    /// How many clients are subscribed.
    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
