import Core
import Foundation
import Logging
import Synchronization

/// File playback as live streams (`/vod/*`): `vod-live://file.mp4` publishes a file from the
/// media folder, paced by its timestamps, optionally looping.
public final class VODService: VODControl {
    private let hub: StreamHub
    private let registry: Registry
    private let mediaDirectory: String
    private let logger: Logger
    private let players = Mutex<[String: VODPlayer]>([:])

    /// - Parameters:
    ///   - hub: where the files are published.
    ///   - registry: holds the `VOD` objects.
    ///   - mediaDirectory: the only folder files are read from.
    ///   - logger: parent logger.
    public init(hub: StreamHub, registry: Registry, mediaDirectory: String, logger: Logger) {
        self.hub = hub
        self.registry = registry
        self.mediaDirectory = mediaDirectory
        var logger = logger
        logger[metadataKey: "component"] = "vod"
        self.logger = logger
    }

    /// Starts publishing a file.
    /// - Throws: `ServiceError.invalid` for a bad URI, a name outside the media folder or a
    ///   file that is not H.264/AAC media; `.notFound` for a missing file; `.conflict` when
    ///   the stream name is taken.
    public func startup(_ request: VODStartupRequest) async throws -> VOD {
        let name = try Self.fileName(of: request.uri)
        let path: String
        do {
            path = try SafePath.resolve(name, in: mediaDirectory, mustExist: true)
        } catch {
            if case .notFound = error { throw ServiceError.notFound("No such file: \(name)") }
            throw ServiceError.invalid(error.description, field: "uri")
        }
        let tracks = try await Self.probe(path: path, name: name)
        let streamName = request.localStreamName.flatMap { $0.isEmpty ? nil : $0 } ?? name
        let output: Publication
        do {
            output = try hub.publish(name: streamName, mediaProvider: "VOD") {
                $0.hasVideo = tracks.hasVideo
                $0.hasAudio = tracks.hasAudio
            }
        } catch HubError.alreadyPublished {
            throw ServiceError.conflict("Stream \(streamName) already exists")
        } catch {
            throw ServiceError.invalid("\(error)", field: "localStreamName")
        }
        var object = VOD(uri: request.uri, localStreamName: streamName, loop: request.loop ?? false,
                         createDate: Int64(Date().timeIntervalSince1970 * 1000))
        object.status = "PROCESSED_LOCAL"
        object.localMediaSessionId = output.mediaSessionId
        object.hasVideo = tracks.hasVideo
        object.hasAudio = tracks.hasAudio
        registry.upsert(object)
        let id = object.objectID
        var playerLogger = logger
        playerLogger[metadataKey: LogKey.stream] = "\(streamName)"
        let player = VODPlayer(path: path, output: output, loop: request.loop ?? false, logger: playerLogger) {
            [weak self] in
            self?.players.withLock { _ = $0.removeValue(forKey: id) }
            self?.registry.remove(VOD.self, id: id)
        }
        players.withLock { $0[id] = player }
        playerLogger.info("vod started", metadata: ["file": "\(name)"])
        return object
    }

    /// Stops the VOD with this registry key (`VOD.objectID`).
    /// - Throws: `ServiceError.notFound` for an unknown key.
    public func terminate(objectID: String) async throws {
        guard let player = players.withLock({ $0[objectID] }) else { throw ServiceError.notFound("VOD not found") }
        await player.stop()
    }

    /// The file name inside the media folder named by a `vod-live://` or `vod://` URI.
    static func fileName(of uri: String) throws -> String {
        for scheme in ["vod-live://", "vod://"] where uri.hasPrefix(scheme) {
            let name = String(uri.dropFirst(scheme.count))
            guard !name.isEmpty else { break }
            return name
        }
        throw ServiceError.invalid("uri must be vod-live://<file> or vod://<file>", field: "uri")
    }

    /// Opens the file once to check it is media the hub can carry (H.264 and/or AAC).
    private static func probe(path: String, name: String) async throws -> (hasVideo: Bool, hasAudio: Bool) {
        do {
            return try await PipelineThread.run(name: "vod probe") {
                let demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(path), whitelist: .file)
                let hasVideo = demuxer.bestStream(.video)?.parameters.codecName == "h264"
                let hasAudio = demuxer.bestStream(.audio)?.parameters.codecName == "aac"
                guard hasVideo || hasAudio else {
                    throw ServiceError.invalid("\(name) has no H.264 video or AAC audio", field: "uri")
                }
                return (hasVideo, hasAudio)
            }
        } catch let error as MediaError {
            throw ServiceError.invalid("\(name) is not a playable media file: \(error)", field: "uri")
        }
    }
}
