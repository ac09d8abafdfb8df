import Foundation
import Logging
import NIOCore
import Synchronization

/// Where every source publishes and every sink subscribes, by stream name (DESIGN.md "One
/// media path"). Each publish and each player gets a mediaSessionId and a `Stream` object in
/// the registry, which the hub keeps up to date. Packets flow synchronously on the
/// publisher's thread into each subscriber's bounded queue; nothing here blocks or awaits.
public final class StreamHub: Sendable {
    private let registry: Registry
    private let logger: Logger
    private let defaultCapacity: Int
    /// How long wake-ups of event-loop subscribers (RTMP players) are gathered: 30 ms, under one
    /// frame at 30 fps, so a player writes a video frame and the audio around it with one
    /// `writev`. Each write costs a syscall and a TCP segment whatever its size, and at 10 ms a
    /// player wrote about twice as often (bench/RESULTS.md, rtmp-fanout); players buffer seconds,
    /// so the added latency (at most the window) does not show.
    public static let defaultWakeWindow = TimeAmount.milliseconds(30)

    /// Gathers event-loop wake-ups of subscribers (see `WakeCoalescer`).
    let coalescer: WakeCoalescer

    private struct State {
        var streams: [String: HubStream] = [:]
        var publications: [String: Publication] = [:]
        var subscriptions: [String: Subscription] = [:]
        /// Names whose players each get a private stream (`offer(name:start:)`).
        var offers: [String: @Sendable (Publication) -> Void] = [:]
        /// The private stream's publication of each player of an offered name, by player id.
        var privateSources: [String: Publication] = [:]
        var waiters: [String: [UUID: CheckedContinuation<Void, any Error>]] = [:]
    }

    private let state = Mutex(State())

    /// Makes a hub that keeps `Stream` objects in `registry`.
    /// - Parameters:
    ///   - registry: where publisher and player `Stream` objects live.
    ///   - logger: parent logger; lines carry the stream name.
    ///   - subscriberCapacity: default queue length of a subscription (see `Subscription.defaultCapacity`).
    ///   - wakeWindow: how long wake-ups of event-loop subscribers are gathered so that each writes
    ///     several packets at once (see `defaultWakeWindow`).
    public init(registry: Registry, logger: Logger, subscriberCapacity: Int = Subscription.defaultCapacity,
                wakeWindow: TimeAmount = StreamHub.defaultWakeWindow) {
        self.registry = registry
        self.logger = logger
        self.defaultCapacity = subscriberCapacity
        self.coalescer = WakeCoalescer(window: wakeWindow)
    }

    /// Starts publishing `name`; the returned handle carries the packets.
    /// - Parameters:
    ///   - name: the stream name; checked with `StreamName.validate`.
    ///   - mediaProvider: shown in the `Stream` object ("RTMP", "RTSP"...).
    ///   - describe: fills further fields of the new `Stream` object (rtmpUrl, sessionId...).
    /// - Throws: `HubError.invalidName`, or `HubError.alreadyPublished` when someone publishes `name`.
    public func publish(name: String, mediaProvider: String,
                        describe: (inout Stream) -> Void = { _ in }) throws(HubError) -> Publication {
        try Self.check(name)
        var object = Stream(name: name, published: true, mediaProvider: mediaProvider, status: .PUBLISHING)
        describe(&object)
        let id = object.mediaSessionId
        let stream = HubStream(name: name, publisherID: id, hub: self, registry: registry)
        let publication = Publication(mediaSessionId: id, streamName: name, stream: stream)
        let waiters = try state.withLock { s throws(HubError) -> [CheckedContinuation<Void, any Error>] in
            guard s.streams[name] == nil, s.offers[name] == nil else { throw .alreadyPublished(name) }
            s.streams[name] = stream
            s.publications[id] = publication
            return Array((s.waiters.removeValue(forKey: name) ?? [:]).values)
        }
        registry.upsert(object)
        logger.info("publish started", metadata: [LogKey.stream: "\(name)", LogKey.mediaSession: "\(id)"])
        for waiter in waiters { waiter.resume() }
        return publication
    }

    /// Subscribes to `name`.
    /// - Parameters:
    ///   - name: the stream to read.
    ///   - player: when set, the subscriber is a player and gets a `Stream` object
    ///     (`published: false`, PLAYING) with this mediaProvider; transponders and recorders pass nil.
    ///     A player of an offered name (`offer(name:start:)`) gets a private stream of its own.
    ///   - capacity: queue length; the hub's default when nil.
    ///   - describe: fills further fields of the player's `Stream` object.
    /// - Throws: `HubError.invalidName`, or `HubError.notPublished` when nobody publishes `name`.
    public func subscribe(name: String, player mediaProvider: String? = nil, capacity: Int? = nil,
                          describe: (inout Stream) -> Void = { _ in }) throws(HubError) -> Subscription {
        try Self.check(name)
        var object = Stream(name: name, published: false, mediaProvider: mediaProvider ?? "", status: .PLAYING)
        describe(&object)
        let id = object.mediaSessionId
        let (stream, source) = try state.withLock { s throws(HubError) -> (HubStream, PrivateSource?) in
            if let stream = s.streams[name] { return (stream, nil) }
            guard mediaProvider != nil, let start = s.offers[name] else { throw .notPublished(name) }
            let publisherID = UUID().uuidString.lowercased()
            let stream = HubStream(name: name, publisherID: publisherID, hub: self, registry: registry)
            let publication = Publication(mediaSessionId: publisherID, streamName: name, stream: stream)
            s.publications[publisherID] = publication
            s.privateSources[id] = publication
            return (stream, PrivateSource(publication: publication, start: start))
        }
        let config = stream.codecConfig
        object.width = config.video?.width ?? 0
        object.height = config.video?.height ?? 0
        object.videoCodec = config.video?.codec.apiName
        object.audioCodec = config.audio?.codec.apiName
        object.hasVideo = config.video != nil
        object.hasAudio = config.audio != nil
        let subscription = Subscription(mediaSessionId: id, streamName: name,
                                        capacity: capacity ?? defaultCapacity, isPlayer: mediaProvider != nil)
        subscription.setOnCancel { [weak self, weak stream] in
            guard let self, let stream else { return }
            self.unsubscribe(subscription, from: stream, reason: "cancelled")
        }
        state.withLock { $0.subscriptions[id] = subscription }
        if mediaProvider != nil { registry.upsert(object) }
        guard stream.add(subscription) else {
            unsubscribe(subscription, from: stream, reason: "stream ended")
            throw .notPublished(name)
        }
        if let source {
            source.start(source.publication)
            logger.info("private stream started", metadata: [LogKey.stream: "\(name)", LogKey.mediaSession: "\(id)"])
        }
        logger.debug("subscribed", metadata: [LogKey.stream: "\(name)", LogKey.mediaSession: "\(id)"])
        return subscription
    }

    /// Offers `name` to players one at a time: each player that subscribes gets a private stream
    /// of its own, and `start` is called with that stream's publication to fill it from the
    /// beginning (a `vod://` file). The private stream ends when its player leaves (its
    /// termination handler is called) and the player's subscription ends when the private
    /// stream ends. Other subscribers (recorders, transcoders, transponders) find nothing.
    /// - Throws: `HubError.invalidName`, or `HubError.alreadyPublished` when `name` is published or offered.
    public func offer(name: String, start: @escaping @Sendable (Publication) -> Void) throws(HubError) {
        try Self.check(name)
        try state.withLock { s throws(HubError) in
            guard s.streams[name] == nil, s.offers[name] == nil else { throw .alreadyPublished(name) }
            s.offers[name] = start
        }
        logger.info("offer started", metadata: [LogKey.stream: "\(name)"])
    }

    /// Stops offering `name` to new players; private streams already playing go on.
    public func withdraw(name: String) {
        guard state.withLock({ $0.offers.removeValue(forKey: name) }) != nil else { return }
        logger.info("offer ended", metadata: [LogKey.stream: "\(name)"])
    }

    /// true when players of `name` get private streams.
    public func isOffered(_ name: String) -> Bool {
        state.withLock { $0.offers[name] != nil }
    }

    /// Waits until someone publishes `name` (returns at once when someone does).
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    public func waitUntilPublished(_ name: String) async throws {
        let token = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let isReady = state.withLock { s -> Bool in
                    if s.streams[name] != nil { return true }
                    if Task.isCancelled { return true }
                    s.waiters[name, default: [:]][token] = continuation
                    return false
                }
                if isReady { continuation.resume() }
            }
            try Task.checkCancellation()
        } onCancel: {
            let waiter = state.withLock { $0.waiters[name]?.removeValue(forKey: token) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// true when someone publishes `name`.
    public func isPublished(_ name: String) -> Bool {
        state.withLock { $0.streams[name] != nil }
    }

    /// The codec configuration of a published stream.
    public func codecConfig(of name: String) -> CodecConfig? {
        state.withLock { $0.streams[name] }?.codecConfig
    }

    /// Names of all published streams.
    public var publishedNames: [String] {
        state.withLock { Array($0.streams.keys) }.sorted()
    }

    // MARK: internal

    func unpublish(_ publication: Publication, reason: String) {
        let stream = state.withLock { s -> HubStream? in
            guard s.publications.removeValue(forKey: publication.mediaSessionId) != nil else { return nil }
            if s.streams[publication.streamName]?.publisherID == publication.mediaSessionId {
                s.streams[publication.streamName] = nil
            }
            return publication.stream
        }
        guard let stream else { return }
        registry.update(Stream.self, id: publication.mediaSessionId) {
            $0.status = .UNPUBLISHED
            $0.info = reason
        }
        registry.remove(Stream.self, id: publication.mediaSessionId)
        for subscriber in stream.end() {
            endPlayer(subscriber, reason: reason)
        }
        logger.info("publish ended", metadata: [LogKey.stream: "\(publication.streamName)",
                                                "reason": "\(reason)"])
    }

    func unsubscribe(_ subscription: Subscription, from stream: HubStream, reason: String) {
        stream.remove(subscription)
        endPlayer(subscription, reason: reason)
    }

    private func endPlayer(_ subscription: Subscription, reason: String) {
        subscription.finish(reason: reason)
        let (isKnown, source) = state.withLock { s in
            (s.subscriptions.removeValue(forKey: subscription.mediaSessionId) != nil,
             s.privateSources.removeValue(forKey: subscription.mediaSessionId))
        }
        source?.terminate(reason: reason)  // a private stream ends with its player
        guard isKnown, subscription.isPlayer else { return }
        registry.update(Stream.self, id: subscription.mediaSessionId) {
            $0.status = .STOPPED
            $0.info = reason
            $0.droppedPackets = subscription.droppedPackets
        }
        registry.remove(Stream.self, id: subscription.mediaSessionId)
    }

    private struct PrivateSource {
        var publication: Publication
        var start: @Sendable (Publication) -> Void
    }

    private static func check(_ name: String) throws(HubError) {
        do {
            try StreamName.validate(name)
        } catch {
            throw .invalidName(error.description)
        }
    }
}

extension StreamHub: StreamControl {
    /// Ends publishers (through their termination handler) and players with these ids.
    public func terminate(mediaSessionIds: [String], reason: String) async {
        let (publications, subscriptions) = state.withLock { s in
            (mediaSessionIds.compactMap { s.publications[$0] }, mediaSessionIds.compactMap { s.subscriptions[$0] })
        }
        for publication in publications { publication.terminate(reason: reason) }
        for subscription in subscriptions {
            let stream = state.withLock { s in
                s.streams[subscription.streamName] ?? s.privateSources[subscription.mediaSessionId]?.stream
            }
            guard let stream else {
                endPlayer(subscription, reason: reason)
                continue
            }
            unsubscribe(subscription, from: stream, reason: reason)
        }
    }
}
