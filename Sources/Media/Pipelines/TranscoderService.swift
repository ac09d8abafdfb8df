import Core
import Foundation
import Logging
import Synchronization

/// Transcoders (`/transcoder/*`): `transcoder://name` turns a published stream into a new
/// local stream with the requested size, frame rate, GOP and bitrate (libx264, audio copied),
/// waiting for the stream while it is not published (`TranscoderAgent`).
public final class TranscoderService: TranscoderControl {
    private let hub: StreamHub
    private let registry: Registry
    private let logger: Logger
    private let running = PipelineTable<TranscoderAgent>()
    /// URIs being started, so two concurrent startups of one URI cannot both succeed.
    private let starting = Mutex<Set<String>>([])

    /// - Parameters:
    ///   - hub: where the input is read and the output published.
    ///   - registry: holds the `Transcoder` objects.
    ///   - logger: parent logger.
    public init(hub: StreamHub, registry: Registry, logger: Logger) {
        self.hub = hub
        self.registry = registry
        self.logger = logger.component("transcoder")
    }

    /// Starts a transcoder; it waits (status PENDING, "waiting for stream") while the remote
    /// stream is not published, and again after it ends, like a transponder.
    /// - Throws: `ServiceError.invalid` for a bad URI, stream name or settings, `.conflict` for
    ///   a URI in use or a local name already published.
    public func startup(_ request: TranscoderStartupRequest) async throws -> Transcoder {
        guard request.uri.hasPrefix("transcoder://"), request.uri.count > "transcoder://".count else {
            throw ServiceError.invalid("uri must be transcoder://<name>", field: "uri")
        }
        let codec = request.encoder.codec?.uppercased() ?? "H264"
        guard codec == "H264" else { throw ServiceError.invalid("encoder.codec \(codec) is not supported; use H264", field: "encoder.codec") }
        let audioCodec = request.encoder.audioCodec?.uppercased() ?? "COPY"
        guard audioCodec == "COPY" || audioCodec == "AAC" else {
            throw ServiceError.invalid("encoder.audioCodec must be copy or AAC", field: "encoder.audioCodec")
        }
        for (value, field) in [(request.encoder.width, "width"), (request.encoder.height, "height"),
                               (request.encoder.fps, "fps"), (request.encoder.bitrate, "bitrate"),
                               (request.encoder.keyFrameInterval, "keyFrameInterval")] where (value ?? 0) < 0 {
            throw ServiceError.invalid("encoder.\(field) must not be negative", field: "encoder.\(field)")
        }
        for (name, field) in [(request.remoteStreamName, "remoteStreamName"), (request.localStreamName, "localStreamName")] {
            do {
                try StreamName.validate(name)
            } catch {
                throw ServiceError.invalid("\(field): \(error.description)", field: field)
            }
        }
        guard registry.get(Transcoder.self, id: request.uri) == nil,
              starting.withLock({ $0.insert(request.uri).inserted }) else {
            throw ServiceError.conflict("Transcoder already exists")
        }
        defer { starting.withLock { _ = $0.remove(request.uri) } }
        guard !hub.isPublished(request.localStreamName), !hub.isOffered(request.localStreamName) else {
            throw ServiceError.conflict("Stream \(request.localStreamName) already exists")
        }

        var object = Transcoder(uri: request.uri, remoteStreamName: request.remoteStreamName,
                                localStreamName: request.localStreamName, encoder: request.encoder,
                                createDate: Int64(Date().timeIntervalSince1970 * 1000))
        // PENDING until the agent has started transcoding (at once when the input is published).
        if !hub.isPublished(request.remoteStreamName) { object.info = "waiting for stream" }
        registry.upsert(object)
        let agentLogger = logger.tagged([LogKey.uri: "\(request.uri)", LogKey.stream: "\(request.localStreamName)"])
        let uri = request.uri
        let agent = TranscoderAgent(request: request, hub: hub, registry: registry, logger: agentLogger) {
            [weak self] in
            self?.running.finish(uri)
            self?.registry.remove(Transcoder.self, id: uri)
        }
        running.insert(agent, for: uri)
        agentLogger.info("transcoder started")
        return object
    }

    /// Stops every transcoder (server shutdown).
    public func stopAll() async {
        await running.stopAll()
    }

    /// Stops a transcoder and ends its output stream.
    /// - Throws: `ServiceError.notFound` for an unknown URI.
    public func terminate(uri: String) async throws {
        try await running.stop(uri, notFound: "Transcoder not found")
    }
}
