import Core
import Foundation
import Logging

/// Records streams into `<data>/records/` (`/stream/startRecording`, `/stream/stopRecording`):
/// fragmented MP4 for H.264/AAC, MKV for other codecs.
public final class RecordingService: RecordingControl {
    private let hub: StreamHub
    private let registry: Registry
    private let recordsDirectory: String
    private let logger: Logger
    private let active = PipelineTable<Recorder>()

    /// - Parameters:
    ///   - hub: where recorded streams are read from.
    ///   - registry: holds the `Stream` objects whose `record`/`recordName` this service sets.
    ///   - recordsDirectory: the folder recordings go to (created when missing).
    ///   - logger: parent logger.
    public init(hub: StreamHub, registry: Registry, recordsDirectory: String, logger: Logger) {
        self.hub = hub
        self.registry = registry
        self.recordsDirectory = recordsDirectory
        self.logger = logger.component("recorder")
    }

    /// Starts recording a published stream; returns the file name inside the records folder.
    /// - Throws: `ServiceError.notFound` for an unknown session, `.conflict` when it is already
    ///   recorded, `.invalid` when the template leads outside the records folder.
    public func startRecording(mediaSessionId: String, fileTemplate: String?) async throws -> String {
        guard let stream = registry.get(Core.Stream.self, id: mediaSessionId), stream.published else {
            throw ServiceError.notFound("Stream not found")
        }
        guard let config = hub.codecConfig(of: stream.name) else { throw ServiceError.notFound("Stream not found") }
        guard active[mediaSessionId] == nil else { throw ServiceError.conflict("Stream is already being recorded") }
        let subscription: Subscription
        do {
            subscription = try hub.subscribe(name: stream.name, capacity: 2048)
        } catch {
            throw ServiceError.notFound("Stream not found")
        }
        // The replayed GOP shows the audio codec of streams without an audio configuration (G.711, MP3).
        var reader = SubscriptionReader(subscription)
        let queued = reader.takeQueued()
        let firstAudio = queued.first { $0.kind == .audio && !$0.isConfig }
        let fitsMP4 = (config.video == nil || config.video?.codec == .h264)
            && (firstAudio == nil || firstAudio?.codec == .aac)
        let container: Muxer.Container = fitsMP4
            ? .fragmentedMP4(fragmentSeconds: Recorder.fragmentSeconds) : .matroska(clusterSeconds: Recorder.fragmentSeconds)
        let template = fileTemplate.flatMap { $0.isEmpty ? nil : $0 } ?? RecordingName.defaultTemplate
        let startTime = Int64(Date().timeIntervalSince1970 * 1000)
        let base = RecordingName.render(template, streamName: stream.name, mediaSessionId: mediaSessionId,
                                        startTime: startTime, endTime: nil)
        let name = base + (fitsMP4 ? ".mp4" : ".mkv")
        let path: String
        do {
            path = try resolve(name)
        } catch {
            subscription.cancel()
            throw error
        }
        try FileManager.default.createDirectory(atPath: recordsDirectory, withIntermediateDirectories: true)

        let recordLogger = logger.tagged([LogKey.stream: "\(stream.name)", LogKey.mediaSession: "\(mediaSessionId)"])
        let recorder = Recorder(
            reader: reader, queued: queued, config: config,
            expectsAudio: stream.hasAudio || config.audio != nil || firstAudio != nil,
            expectsVideo: stream.hasVideo || config.video != nil, path: path,
            container: container, logger: recordLogger
        ) { [weak self] in
            self?.finished(mediaSessionId: mediaSessionId, name: name, template: template, startTime: startTime,
                           extension: fitsMP4 ? ".mp4" : ".mkv", stream: stream)
        }
        active.insert(recorder, for: mediaSessionId)
        registry.update(Core.Stream.self, id: mediaSessionId) {
            $0.record = true
            $0.recordName = name
        }
        return name
    }

    /// Stops and finalizes the recording of the session.
    /// - Throws: `ServiceError.notFound` when the session is not being recorded.
    public func stopRecording(mediaSessionId: String) async throws {
        guard let recorder = active[mediaSessionId] else {
            throw ServiceError.notFound(registry.get(Core.Stream.self, id: mediaSessionId) == nil
                                        ? "Stream not found" : "Stream is not being recorded")
        }
        await recorder.stop()
    }

    /// Stops and finalizes every recording (server shutdown).
    public func stopAll() async {
        await active.stopAll()
    }

    /// Names of the streams being recorded, by mediaSessionId (for tests and the console).
    public var recordingSessions: [String] { active.keys }

    private func resolve(_ name: String) throws -> String {
        guard !name.contains("/") else {
            throw ServiceError.invalid("file name '\(name)' must not contain '/'", field: "fileTemplate")
        }
        do {
            return try SafePath.resolve(name, in: recordsDirectory, mustExist: false)
        } catch {
            throw ServiceError.invalid(error.description, field: "fileTemplate")
        }
    }

    /// Runs on the recorder's thread once the file is final: gives `{endTime}` its value and
    /// clears `record` on the stream.
    private func finished(mediaSessionId: String, name: String, template: String, startTime: Int64,
                          extension ext: String, stream: Core.Stream) {
        defer { active.finish(mediaSessionId) }
        var finalName = name
        if template.contains("{endTime}") {
            let endTime = Int64(Date().timeIntervalSince1970 * 1000)
            finalName = RecordingName.render(template, streamName: stream.name, mediaSessionId: mediaSessionId,
                                             startTime: startTime, endTime: endTime) + ext
            do {
                try FileManager.default.moveItem(atPath: recordsDirectory + "/" + name,
                                                 toPath: recordsDirectory + "/" + finalName)
            } catch {
                logger.warning("recording not renamed", metadata: ["error": "\(error)"])
                finalName = name
            }
        }
        registry.update(Core.Stream.self, id: mediaSessionId) {
            $0.record = false
            $0.recordName = finalName
        }
    }
}
