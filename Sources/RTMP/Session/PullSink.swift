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
        var isTerminated = false
        var onPublished: (@Sendable (String) -> Void)?
        var onTerminated: (@Sendable () -> Void)?
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

    /// Called when the local stream is ended from outside (`/stream/terminate`), so the pull
    /// can close its connection instead of publishing again.
    var onTerminated: (@Sendable () -> Void)? {
        get { state.withLock { $0.onTerminated } }
        set { state.withLock { $0.onTerminated = newValue } }
    }

    /// true once the local stream is published.
    var isPublished: Bool { state.withLock { $0.publication != nil } }

    /// true when the local stream was ended from outside.
    var isTerminated: Bool { state.withLock { $0.isTerminated } }

    /// Why the local stream could not be published or was terminated.
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
        packet.wireCache = WireCache()
        typealias Outcome = (publication: Publication?, announce: (@Sendable (String) -> Void)?, giveUp: (@Sendable () -> Void)?)
        let outcome = state.withLock { s -> Outcome in
            if let p = s.publication { return (p, nil, nil) }
            guard s.failure == nil else { return (nil, nil, nil) }
            do {
                let p = try hub.publish(name: name, mediaProvider: "RTMP")
                p.setTerminationHandler { [weak self] reason in self?.terminate(reason: reason) }
                s.publication = p
                return (p, s.onPublished, nil)
            } catch {
                s.failure = "\(error)"
                return (nil, nil, s.onTerminated)
            }
        }
        if let publication = outcome.publication, let announce = outcome.announce { announce(publication.mediaSessionId) }
        outcome.giveUp?()
        outcome.publication?.send(packet)
    }

    /// Starts a new timestamp segment (after a reconnect).
    func startSegment() {
        timestamps.startSegment()
    }

    /// Ends the local stream for good: later packets are dropped and `failure` says why.
    func terminate(reason: String) {
        let onTerminated = state.withLock { s -> (@Sendable () -> Void)? in
            s.failure = reason
            s.isTerminated = true
            return s.onTerminated
        }
        end(reason: reason)
        onTerminated?()
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
