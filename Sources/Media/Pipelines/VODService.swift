import Core
import Foundation
import Logging

/// File playback (`/vod/*`): `vod-live://file.mp4` publishes a file from the media folder as
/// one shared live stream, paced by its timestamps, optionally looping; `vod://file.mp4` gives
/// each player of the stream name a private playback from the file's start (`PersonalVOD`).
public final class VODService: VODControl {
    private let hub: StreamHub
    private let registry: Registry
    private let mediaDirectory: String
    private let logger: Logger
    /// `vod-live://` playbacks by `VOD.objectID`.
    private let livePlayers = PipelineTable<VODPlayer>()
    /// `vod://` offers by `VOD.objectID`.
    private let personal = PipelineTable<PersonalVOD>()

    /// - Parameters:
    ///   - hub: where the files are published.
    ///   - registry: holds the `VOD` objects.
    ///   - mediaDirectory: the only folder files are read from.
    ///   - logger: parent logger.
    public init(hub: StreamHub, registry: Registry, mediaDirectory: String, logger: Logger) {
        self.hub = hub
        self.registry = registry
        self.mediaDirectory = mediaDirectory
        self.logger = logger.component("vod")
    }

    /// Starts publishing (`vod-live://`) or offering (`vod://`) a file.
    /// - Throws: `ServiceError.invalid` for a bad URI, a name outside the media folder or a
    ///   file that is not H.264/AAC media; `.notFound` for a missing file; `.conflict` when
    ///   the stream name is taken.
    public func startup(_ request: VODStartupRequest) async throws -> VOD {
        let (name, isPersonal) = try Self.fileName(of: request.uri)
        let path: String
        do {
            path = try SafePath.resolve(name, in: mediaDirectory, mustExist: true)
        } catch {
            if case .notFound = error { throw ServiceError.notFound("No such file: \(name)") }
            throw ServiceError.invalid(error.description, field: "uri")
        }
        let tracks = try await Self.probe(path: path, name: name)
        let streamName = request.localStreamName.flatMap { $0.isEmpty ? nil : $0 } ?? name
        let loop = request.loop ?? false
        var object = VOD(uri: request.uri, localStreamName: streamName, loop: loop,
                         createDate: Int64(Date().timeIntervalSince1970 * 1000))
        object.status = "PROCESSED_LOCAL"
        object.hasVideo = tracks.hasVideo
        object.hasAudio = tracks.hasAudio
        let id = object.objectID
        let playerLogger = logger.tagged([LogKey.stream: "\(streamName)"])
        if isPersonal {
            object.info = Self.playersInfo(0)
            let offer = try PersonalVOD(hub: hub, streamName: streamName, path: path, loop: loop,
                                        logger: playerLogger) { [registry] count in
                registry.update(VOD.self, id: id) { $0.info = Self.playersInfo(count) }
            }
            registry.upsert(object)
            personal.insert(offer, for: id)
            playerLogger.info("vod offered", metadata: ["file": "\(name)"])
            return object
        }
        let output = try hub.publishOutput(name: streamName, mediaProvider: "VOD") {
            $0.hasVideo = tracks.hasVideo
            $0.hasAudio = tracks.hasAudio
        }
        object.localMediaSessionId = output.mediaSessionId
        registry.upsert(object)
        let player = VODPlayer(path: path, output: output, loop: loop, logger: playerLogger) { [weak self] in
            self?.livePlayers.finish(id)
            self?.registry.remove(VOD.self, id: id)
        }
        livePlayers.insert(player, for: id)
        playerLogger.info("vod started", metadata: ["file": "\(name)"])
        return object
    }

    /// Stops every VOD (server shutdown).
    public func stopAll() async {
        await livePlayers.stopAll()
        for id in personal.keys { try? await terminate(objectID: id) }  // stopped meanwhile: nothing to stop
    }

    /// Stops the VOD with this registry key (`VOD.objectID`): a `vod-live://` stream ends, a
    /// `vod://` file is no longer offered and its private playbacks end.
    /// - Throws: `ServiceError.notFound` for an unknown key.
    public func terminate(objectID: String) async throws {
        if let offer = personal.remove(objectID) {
            await offer.stop()
            registry.remove(VOD.self, id: objectID)
            return
        }
        try await livePlayers.stop(objectID, notFound: "VOD not found")
    }

    /// The `info` of a `vod://` VOD: how many private playbacks run.
    static func playersInfo(_ count: Int) -> String {
        count == 0 ? "waiting for a player" : "playing to \(count) player\(count == 1 ? "" : "s")"
    }

    /// The file name inside the media folder named by a `vod-live://` or `vod://` URI, and
    /// whether the URI asks for private playbacks (`vod://`).
    static func fileName(of uri: String) throws -> (name: String, isPersonal: Bool) {
        for scheme in ["vod-live://", "vod://"] where uri.hasPrefix(scheme) {
            let name = String(uri.dropFirst(scheme.count))
            guard !name.isEmpty else { break }
            return (name, scheme == "vod://")
        }
        throw ServiceError.invalid("uri must be vod-live://<file> or vod://<file>", field: "uri")
    }

    /// Opens the file once to check it is media the hub can carry (H.264 or H.265, and/or AAC).
    private static func probe(path: String, name: String) async throws -> (hasVideo: Bool, hasAudio: Bool) {
        do {
            return try await PipelineThread.run(name: "vod probe") {
                let demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(path), whitelist: .file)
                let hasVideo = ["h264", "hevc"].contains(demuxer.bestStream(.video)?.parameters.codecName ?? "")
                let hasAudio = demuxer.bestStream(.audio)?.parameters.codecName == "aac"
                guard hasVideo || hasAudio else {
                    throw ServiceError.invalid("\(name) has no H.264/H.265 video or AAC audio", field: "uri")
                }
                return (hasVideo, hasAudio)
            }
        } catch let error as MediaError {
            throw ServiceError.invalid("\(name) is not a playable media file: \(error)", field: "uri")
        }
    }
}
