import Core
import Foundation
import Logging
import Synchronization

/// Transcoders (`/transcoder/*`): `transcoder://name` turns a published stream into a new
/// local stream with the requested size, frame rate, GOP and bitrate (libx264, audio copied).
public final class TranscoderService: TranscoderControl {
    private let hub: StreamHub
    private let registry: Registry
    private let logger: Logger
    private let running = Mutex<[String: TranscoderPipeline]>([:])
    /// URIs being started, so two concurrent startups of one URI cannot both succeed.
    private let starting = Mutex<Set<String>>([])

    /// - Parameters:
    ///   - hub: where the input is read and the output published.
    ///   - registry: holds the `Transcoder` objects.
    ///   - logger: parent logger.
    public init(hub: StreamHub, registry: Registry, logger: Logger) {
        self.hub = hub
        self.registry = registry
        var logger = logger
        logger[metadataKey: "component"] = "transcoder"
        self.logger = logger
    }

    /// Starts a transcoder.
    /// - Throws: `ServiceError.invalid` for a bad URI or settings, `.conflict` for a URI in use
    ///   or a local name already published, `.notFound` when the remote stream is not published.
    public func startup(_ request: TranscoderStartupRequest) async throws -> Transcoder {
        guard request.uri.hasPrefix("transcoder://"), request.uri.count > "transcoder://".count else {
            throw ServiceError.invalid("uri must be transcoder://<name>", field: "uri")
        }
        let codec = request.encoder.codec?.uppercased() ?? "H264"
        guard codec == "H264" else { throw ServiceError.invalid("encoder.codec \(codec) is not supported; use H264", field: "encoder.codec") }
        for (value, field) in [(request.encoder.width, "width"), (request.encoder.height, "height"),
                               (request.encoder.fps, "fps"), (request.encoder.bitrate, "bitrate"),
                               (request.encoder.keyFrameInterval, "keyFrameInterval")] where (value ?? 0) < 0 {
            throw ServiceError.invalid("encoder.\(field) must not be negative", field: "encoder.\(field)")
        }
        guard registry.get(Transcoder.self, id: request.uri) == nil,
              starting.withLock({ $0.insert(request.uri).inserted }) else {
            throw ServiceError.conflict("Transcoder already exists")
        }
        defer { starting.withLock { _ = $0.remove(request.uri) } }

        let input: Subscription
        do {
            input = try hub.subscribe(name: request.remoteStreamName)
        } catch {
            throw ServiceError.notFound("Stream not found")
        }
        let output: Publication
        do {
            output = try hub.publish(name: request.localStreamName, mediaProvider: "Transcoder")
        } catch HubError.alreadyPublished {
            input.cancel()
            throw ServiceError.conflict("Stream \(request.localStreamName) already exists")
        } catch {
            input.cancel()
            throw ServiceError.invalid("\(error)", field: "localStreamName")
        }
        var object = Transcoder(uri: request.uri, remoteStreamName: request.remoteStreamName,
                                localStreamName: request.localStreamName, encoder: request.encoder,
                                createDate: Int64(Date().timeIntervalSince1970 * 1000))
        object.status = "PROCESSED_LOCAL"
        object.localMediaSessionId = output.mediaSessionId
        let config = hub.codecConfig(of: request.remoteStreamName)
        object.hasVideo = config?.video != nil
        object.hasAudio = config?.audio != nil
        registry.upsert(object)

        var pipelineLogger = logger
        pipelineLogger[metadataKey: "uri"] = "\(request.uri)"
        pipelineLogger[metadataKey: LogKey.stream] = "\(request.localStreamName)"
        let uri = request.uri
        let pipeline = TranscoderPipeline(input: input, output: output, settings: request.encoder,
                                          logger: pipelineLogger) { [weak self] in
            self?.running.withLock { _ = $0.removeValue(forKey: uri) }
            self?.registry.remove(Transcoder.self, id: uri)
        }
        running.withLock { $0[uri] = pipeline }
        pipelineLogger.info("transcoder started")
        return object
    }

    /// Stops a transcoder and ends its output stream.
    /// - Throws: `ServiceError.notFound` for an unknown URI.
    public func terminate(uri: String) async throws {
        guard let pipeline = running.withLock({ $0[uri] }) else { throw ServiceError.notFound("Transcoder not found") }
        await pipeline.stop()
    }
}
