import Synchronization

/// A publisher's handle on its stream: it sends packets through it and ends it when it leaves.
/// Ending (or dropping the last reference without ending) is the publisher's job; `/stream/terminate`
/// asks the publisher to leave through the termination handler.
public final class Publication: Sendable {
    /// The publish's media session (`Stream.mediaSessionId`).
    public let mediaSessionId: String
    /// The stream name.
    public let streamName: String

    let stream: HubStream
    private let onTerminate = Mutex<(@Sendable (String) -> Void)?>(nil)

    init(mediaSessionId: String, streamName: String, stream: HubStream) {
        self.mediaSessionId = mediaSessionId
        self.streamName = streamName
        self.stream = stream
    }

    /// Sends a packet to every subscriber; configuration and metadata packets are also kept
    /// for subscribers that join later.
    public func send(_ packet: MediaPacket) {
        stream.send(packet)
    }

    /// Ends the stream: subscribers get `.ended(reason:)` after their queued packets and the
    /// `Stream` object goes away. Calling it again does nothing.
    public func end(reason: String) {
        stream.hub?.unpublish(self, reason: reason)
    }

    /// Sets what to do when the stream is terminated from outside (REST): typically close the
    /// connection and then call `end(reason:)`. Without a handler, a terminate ends the stream directly.
    public func setTerminationHandler(_ handler: @escaping @Sendable (String) -> Void) {
        onTerminate.withLock { $0 = handler }
    }

    /// Asks the publisher to stop.
    func terminate(reason: String) {
        if let handler = onTerminate.withLock({ $0 }) {
            handler(reason)
        } else {
            end(reason: reason)
        }
    }

    /// The current codec configuration of the stream.
    public var codecConfig: CodecConfig { stream.codecConfig }
}
