import Foundation
import Synchronization

/// Fans events out to subscribers (event-stream clients). Each subscriber has its own
/// bounded buffer: a client that stops reading loses its oldest events, never slows the server;
/// a subscriber that passes a `DropCounter` learns how many it lost.
public final class EventBus: Sendable {
    /// Events a subscriber may fall behind by before the oldest are dropped.
    public static let subscriberBuffer = 20_000

    private let subscribers = Mutex<[UUID: Subscriber]>([:])

    private struct Subscriber: Sendable {
        let continuation: AsyncStream<Event>.Continuation
        let dropped: DropCounter?
    }

    public init() {}

    /// Sends an event to every subscriber.
    ///
    /// Yields happen outside the lock: a yield may wait for the runtime's lock on the reading
    /// task, while cancelling that task runs `onTermination`, which takes this lock. Holding
    /// both in opposite orders deadlocked the server when an event-stream client went away.
    /// Callers that need ordering (the registry) serialize their own calls.
    public func publish(_ event: Event) {
        let targets = subscribers.withLock { Array($0.values) }
        for target in targets {
            if case .dropped = target.continuation.yield(event) { target.dropped?.add() }
        }
    }

    /// A new subscription; it ends when the returned stream is dropped or cancelled.
    /// - Parameter dropped: counts the events lost when the subscriber falls more than
    ///   `subscriberBuffer` events behind.
    public func subscribe(countingDropsIn dropped: DropCounter? = nil) -> AsyncStream<Event> {
        let id = UUID()
        let (stream, continuation) = AsyncStream<Event>.makeStream(
            bufferingPolicy: .bufferingNewest(EventBus.subscriberBuffer))
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { _ = $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = Subscriber(continuation: continuation, dropped: dropped) }
        return stream
    }

    /// Ends every subscription (server shutdown), so long-lived event-stream responses complete.
    public func finishAll() {
        let all = subscribers.withLock { subs in
            defer { subs.removeAll() }
            return Array(subs.values)
        }
        for subscriber in all { subscriber.continuation.finish() }
    }

    /// How many clients are subscribed.
    public var subscriberCount: Int { subscribers.withLock { $0.count } }
}
