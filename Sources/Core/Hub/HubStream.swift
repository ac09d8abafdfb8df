import Logging
import NIOCore
import Synchronization

/// One published stream inside the hub: its codec configuration, GOP cache, subscribers and
/// the figures shown in its `Stream` object. Packets arrive on the publisher's thread.
final class HubStream: Sendable {
    /// How often the publisher's and players' `Stream` objects are refreshed (bitrate, size,
    /// drops), in milliseconds; changes are announced at most this often per stream.
    static let statsIntervalMilliseconds: Int64 = 1_000

    let name: String
    let publisherID: String
    weak let hub: StreamHub?
    private let registry: Registry

    private struct State {
        var config = CodecConfig()
        var gop = GOPCache()
        var subscribers: [Subscription] = []
        var meter = BitrateMeter()
        var lastStats: Int64 = 0
        var reportedDrops: [String: Int] = [:]
        var isEnded = false
        /// The number of the last packet sent, and the number and decode time (ms) of the last
        /// packet of each kind (see `StreamPosition`).
        var sequence: Int64 = 0
        var lastOfKind: [MediaKind: (sequence: Int64, dts: Int64)] = [:]
    }

    private let state = Mutex(State())

    init(name: String, publisherID: String, hub: StreamHub, registry: Registry) {
        self.name = name
        self.publisherID = publisherID
        self.hub = hub
        self.registry = registry
    }

    var codecConfig: CodecConfig { state.withLock { $0.config } }

    var subscribers: [Subscription] { state.withLock { $0.subscribers } }

    /// Adds a subscriber and queues what it needs to start: configuration, metadata, cached GOP.
    /// Returns false when the stream has already ended.
    func add(_ subscription: Subscription) -> Bool {
        let (isAdded, wakers) = state.withLock { s -> (Bool, [SubscriptionWaker]) in
            guard !s.isEnded else { return (false, []) }
            let wakers = (s.config.replay + s.gop.packets).compactMap {
                subscription.enqueue($0, startsGOP: true, isReplay: true)
            }
            s.subscribers.append(subscription)
            return (true, wakers)
        }
        SubscriptionWaker.fire(wakers)
        return isAdded
    }

    func remove(_ subscription: Subscription) {
        state.withLock { s in
            s.subscribers.removeAll { $0 === subscription }
            s.reportedDrops[subscription.mediaSessionId] = nil
        }
    }

    /// Marks the stream ended and returns the subscribers to finish.
    func end() -> [Subscription] {
        state.withLock { s in
            s.isEnded = true
            defer { s.subscribers = [] }
            return s.subscribers
        }
    }

    func send(_ packet: MediaPacket) {
        let now = Int64(NIODeadline.now().uptimeNanoseconds / 1_000_000)
        var packet = packet
        let (subscribers, startsGOP, stats) = state.withLock { s -> ([Subscription], Bool, Stats?) in
            guard !s.isEnded else { return ([], false, nil) }
            s.sequence += 1
            let previous = s.lastOfKind[packet.kind]
            packet.position = StreamPosition(sequence: s.sequence, previousSequence: previous?.sequence ?? 0,
                                             previousDtsMilliseconds: previous?.dts ?? 0)
            s.lastOfKind[packet.kind] = (s.sequence, packet.dtsMilliseconds)
            if packet.isEssential {
                s.config.absorb(packet)
            } else {
                s.gop.add(packet)
                s.meter.add(bytes: packet.payload.readableBytes, isVideoFrame: packet.kind == .video, now: now)
            }
            let startsGOP = packet.kind == .video ? packet.isKeyframe : (packet.kind == .audio && s.config.video == nil)
            var stats: Stats?
            if now - s.lastStats >= Self.statsIntervalMilliseconds || packet.isConfig {
                s.lastStats = now
                stats = Stats(config: s.config, kbps: s.meter.kbps(now: now), fps: s.meter.fps(now: now))
            }
            return (s.subscribers, startsGOP, stats)
        }
        let wakers = subscribers.compactMap { $0.enqueue(packet, startsGOP: startsGOP) }
        if let hub { hub.coalescer.fire(wakers) } else { SubscriptionWaker.fire(wakers) }
        if let stats { report(stats, subscribers: subscribers) }
    }

    private struct Stats {
        var config: CodecConfig
        var kbps: Int
        var fps: Int
    }

    /// The figures publisher and players share: size, codecs, tracks and bitrate.
    private static func describe(_ stats: Stats, into stream: inout Stream) {
        let video = stats.config.video
        let audio = stats.config.audio
        stream.width = video?.width ?? 0
        stream.height = video?.height ?? 0
        stream.videoCodec = video?.codec.apiName
        stream.audioCodec = audio?.codec.apiName
        stream.hasVideo = video != nil
        stream.hasAudio = audio != nil
        stream.bitrate = stats.kbps
    }

    /// Writes the figures into the publisher's and players' `Stream` objects.
    private func report(_ stats: Stats, subscribers: [Subscription]) {
        registry.update(Stream.self, id: publisherID) { stream in
            Self.describe(stats, into: &stream)
            stream.fps = stats.fps
        }
        for subscriber in subscribers where subscriber.isPlayer {
            let drops = subscriber.droppedPackets
            let isChanged = state.withLock { s in
                defer { s.reportedDrops[subscriber.mediaSessionId] = drops }
                return s.reportedDrops[subscriber.mediaSessionId] != drops
            }
            guard isChanged else { continue }
            registry.update(Stream.self, id: subscriber.mediaSessionId) { stream in
                Self.describe(stats, into: &stream)
                stream.droppedPackets = drops
            }
        }
    }
}
