import Core
import Synchronization

/// Where a pull's packets go: the local publication, created on the first packet and kept
/// across reconnects (so players stay), with timestamps kept monotonic.
final class PullSink: Sendable {
    private let hub: StreamHub
    private let name: String
    private let hasAudio: Bool
    private let hasVideo: Bool
    private let timestamps = TimestampStore()

    private struct State {
        var publication: Publication?
        var failure: String?
        var onPublished: (@Sendable (String) -> Void)?
    }

    private let state = Mutex(State())

    init(hub: StreamHub, name: String, hasAudio: Bool, hasVideo: Bool) {
        self.hub = hub
        self.name = name
        self.hasAudio = hasAudio
        self.hasVideo = hasVideo
    }

    /// Called with the local mediaSessionId once the local stream is published.
    var onPublished: (@Sendable (String) -> Void)? {
        get { state.withLock { $0.onPublished } }
        set { state.withLock { $0.onPublished = newValue } }
    }

    /// true once the local stream is published.
    var isPublished: Bool { state.withLock { $0.publication != nil } }

    /// Why the local stream could not be published, if it could not.
    var failure: String? { state.withLock { $0.failure } }

    /// Publishes one packet (on the connection's loop).
    func send(_ packet: MediaPacket) {
        if packet.kind == .audio, !hasAudio { return }
        if packet.kind == .video, !hasVideo { return }
        var packet = packet
        let dts = timestamps.map(dts: packet.dtsMilliseconds, isEssential: packet.isEssential)
        packet.pts = dts + (packet.ptsMilliseconds - packet.dtsMilliseconds)
        packet.dts = dts
        packet.timebase = 1000
        let (publication, announce) = state.withLock { s -> (Publication?, (@Sendable (String) -> Void)?) in
            if let p = s.publication { return (p, nil) }
            guard s.failure == nil else { return (nil, nil) }
            do {
                let p = try hub.publish(name: name, mediaProvider: "RTMP")
                s.publication = p
                return (p, s.onPublished)
            } catch {
                s.failure = "\(error)"
                return (nil, nil)
            }
        }
        if let publication, let announce { announce(publication.mediaSessionId) }
        publication?.send(packet)
    }

    /// Starts a new timestamp segment (after a reconnect).
    func startSegment() {
        timestamps.startSegment()
    }

    /// Ends the local stream.
    func end(reason: String) {
        let publication = state.withLock { s -> Publication? in
            defer { s.publication = nil }
            return s.publication
        }
        publication?.end(reason: reason)
    }
}
