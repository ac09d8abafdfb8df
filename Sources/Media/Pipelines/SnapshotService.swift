import Core
import Logging

/// PNG snapshots of streams (`/stream/snapshot`): decodes from the stream's cached keyframe
/// to its newest picture, on a thread of its own, at the stream's size.
public final class SnapshotService: SnapshotControl {
    /// How long to wait for a keyframe when the stream has none cached yet.
    public static let keyframeWait = 5.0

    private let hub: StreamHub
    private let logger: Logger

    /// - Parameters:
    ///   - hub: where the streams are read from.
    ///   - registry: unused today; kept so every media service is wired the same way.
    ///   - logger: parent logger.
    public init(hub: StreamHub, registry: Registry, logger: Logger) {
        self.hub = hub
        self.logger = logger.component("snapshot")
    }

    /// The newest decodable picture of the stream, as PNG bytes.
    /// - Throws: `ServiceError.notFound` for an unknown stream, `.unsupported` for one without
    ///   H.264 or H.265 video, `.failed` when no picture could be decoded in time.
    public func snapshot(streamName: String) async throws -> [UInt8] {
        guard let config = hub.codecConfig(of: streamName) else { throw ServiceError.notFound("Stream not found") }
        guard let video = config.video else { throw ServiceError.unsupported("Stream has no video to snapshot") }
        guard video.codec == .h264 || video.codec == .h265 else {
            throw ServiceError.unsupported("Snapshot needs H.264 or H.265 video")
        }
        let subscription: Subscription
        do {
            subscription = try hub.subscribe(name: streamName)
        } catch {
            throw ServiceError.notFound("Stream not found")
        }
        defer { subscription.cancel() }
        let logger = self.logger
        do {
            return try await PipelineThread.run(name: "snapshot \(streamName)") {
                try Self.decodeNewest(subscription: subscription, video: video)
            }
        } catch let error as MediaError {
            logger.warning("snapshot failed", metadata: [LogKey.stream: "\(streamName)", "error": "\(error)"])
            throw ServiceError.failed("Snapshot failed: \(error)")
        }
    }

    /// Decodes the replayed GOP (waiting for a keyframe when none is cached) and encodes the
    /// last picture.
    private static func decodeNewest(subscription: Subscription, video: CodecConfig.Video) throws -> [UInt8] {
        let codec = try HubCodec(video: video)
        let decoder = try Decoder(parameters: codec.parameters, timeBase: .milliseconds)
        var reader = SubscriptionReader(subscription)
        var newest: Frame?
        var hasKeyframe = false
        for packet in reader.takeQueued() where packet.kind == .video && !packet.isConfig {
            hasKeyframe = hasKeyframe || packet.isKeyframe
            guard hasKeyframe else { continue }
            newest = try decoder.decode(try codec.packet(packet)).last ?? newest
        }
        // Flushing gives the newest picture even from a decoder that holds frames back.
        newest = try decoder.decode(nil).last ?? newest
        decoder.reset()
        let deadline = ContinuousClock.now + .seconds(keyframeWait)
        while newest == nil, ContinuousClock.now < deadline {
            guard case .packet(let packet) = reader.next(timeout: 0.5) else { continue }
            guard packet.kind == .video, !packet.isConfig else { continue }
            hasKeyframe = hasKeyframe || packet.isKeyframe
            guard hasKeyframe else { continue }
            newest = try decoder.decode(try codec.packet(packet)).last
        }
        guard let newest else { throw MediaError.streamNotFound("decodable video") }
        return try PNGWriter().encode(newest)
    }
}
