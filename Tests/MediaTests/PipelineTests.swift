import Core
import Foundation
import Logging
import Testing
@testable import Media

/// The pipelines end to end inside one process: a VOD publishes a file into a real hub, and
/// the recorder, snapshotter and transcoder read it; ffprobe checks the files they write.
@Suite(.serialized) struct PipelineTests {
    /// A data folder with media/ and records/, a hub, a registry and the services.
    struct World {
        let fixtures: Fixtures
        let registry = Registry(bus: EventBus())
        let hub: StreamHub
        let vod: VODService
        let recording: RecordingService
        let snapshot: SnapshotService
        let transcoder: TranscoderService
        var media: String { fixtures.folder + "/media" }
        var records: String { fixtures.folder + "/records" }

        init() throws {
            fixtures = try Fixtures()
            let logger = Logger(label: "test")
            hub = StreamHub(registry: registry, logger: logger)
            try FileManager.default.createDirectory(atPath: fixtures.folder + "/media", withIntermediateDirectories: true)
            vod = VODService(hub: hub, registry: registry, mediaDirectory: fixtures.folder + "/media", logger: logger)
            recording = RecordingService(hub: hub, registry: registry, recordsDirectory: fixtures.folder + "/records",
                                         logger: logger)
            snapshot = SnapshotService(hub: hub, registry: registry, logger: logger)
            transcoder = TranscoderService(hub: hub, registry: registry, logger: logger)
        }

        /// A 3 s 320x240 H.264 + AAC clip in media/.
        func clip(_ name: String = "clip.mp4", seconds: Double = 3) throws {
            let path = try fixtures.make(name, seconds: seconds, arguments: [
                "-c:v", "libx264", "-g", "25", "-pix_fmt", "yuv420p", "-c:a", "aac"])
            try FileManager.default.moveItem(atPath: path, toPath: media + "/" + name)
        }

        func publisher(_ name: String) -> Core.Stream? {
            registry.all(Core.Stream.self).first { $0.name == name && $0.published }
        }

        /// Waits up to `seconds` for `condition`.
        func wait(_ seconds: Double, _ condition: () -> Bool) async throws -> Bool {
            try await waitUntil(.seconds(seconds), every: .milliseconds(100), condition)
        }
    }

    @Test("a VOD stream snapshot is a PNG of the stream's size")
    func snapshotOfVOD() async throws {
        let world = try World()
        defer { world.fixtures.remove() }
        try world.clip()
        _ = try await world.vod.startup(VODStartupRequest(uri: "vod-live://clip.mp4", localStreamName: "v1"))
        try await Task.sleep(for: .milliseconds(600))
        let png = try await world.snapshot.snapshot(streamName: "v1")
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 320 && height == 240)
        await #expect(throws: ServiceError.notFound("Stream not found")) {
            _ = try await world.snapshot.snapshot(streamName: "nobody")
        }
    }

    @Test("recording a VOD stream to its end gives an MP4 with H.264, AAC and the clip's duration")
    func recordsUntilStreamEnds() async throws {
        let world = try World()
        defer { world.fixtures.remove() }
        try world.clip()
        _ = try await world.vod.startup(VODStartupRequest(uri: "vod-live://clip.mp4", localStreamName: "v2"))
        let stream = try #require(world.publisher("v2"))
        let name = try await world.recording.startRecording(mediaSessionId: stream.mediaSessionId, fileTemplate: nil)
        #expect(name.hasPrefix("v2-") && name.hasSuffix(".mp4"))
        #expect(world.registry.get(Core.Stream.self, id: stream.mediaSessionId)?.record == true)
        #expect(try await world.wait(10) { world.recording.recordingSessions.isEmpty })
        let path = world.records + "/" + name
        #expect(try Fixtures.probe(path, "stream=codec_name") == ["h264", "aac"])
        let duration = try #require(Double(try Fixtures.probe(path, "format=duration").first ?? ""))
        #expect(abs(duration - 3) < 0.5)
    }

    @Test("recording refuses unknown sessions and templates that leave the records folder")
    func recordingErrors() async throws {
        let world = try World()
        defer { world.fixtures.remove() }
        await #expect(throws: ServiceError.notFound("Stream not found")) {
            _ = try await world.recording.startRecording(mediaSessionId: "nope", fileTemplate: nil)
        }
        try world.clip()
        _ = try await world.vod.startup(VODStartupRequest(uri: "vod-live://clip.mp4", localStreamName: "v3"))
        let stream = try #require(world.publisher("v3"))
        await #expect(throws: ServiceError.self) {
            _ = try await world.recording.startRecording(mediaSessionId: stream.mediaSessionId,
                                                         fileTemplate: "../{streamName}")
        }
        await #expect(throws: ServiceError.notFound("Stream is not being recorded")) {
            try await world.recording.stopRecording(mediaSessionId: stream.mediaSessionId)
        }
    }

    @Test("the transcoder output has the requested size and frame rate")
    func transcodes() async throws {
        let world = try World()
        defer { world.fixtures.remove() }
        try world.clip()
        _ = try await world.vod.startup(VODStartupRequest(uri: "vod-live://clip.mp4", localStreamName: "in"))
        let request = TranscoderStartupRequest(
            uri: "transcoder://t", remoteStreamName: "in", localStreamName: "out",
            encoder: EncoderSettings(width: 160, height: 0, keyFrameInterval: 10, fps: 10, bitrate: 200))
        _ = try await world.transcoder.startup(request)
        await #expect(throws: ServiceError.conflict("Transcoder already exists")) {
            _ = try await world.transcoder.startup(request)
        }
        #expect(try await world.wait(5) { world.hub.codecConfig(of: "out")?.video != nil })
        let output = try #require(world.publisher("out"))
        let name = try await world.recording.startRecording(mediaSessionId: output.mediaSessionId, fileTemplate: nil)
        // The input ends after 3 s; that ends the output and the recording, and the transcoder waits again.
        #expect(try await world.wait(10) { world.recording.recordingSessions.isEmpty })
        #expect(try await world.wait(5) { world.registry.all(Transcoder.self).first?.status == "PENDING" })
        try await world.transcoder.terminate(uri: "transcoder://t")
        #expect(world.registry.all(Transcoder.self).isEmpty)
        let path = world.records + "/" + name
        let video = try Fixtures.probe(path, "stream=codec_name,width,height,r_frame_rate", streams: "v")
        #expect(video == ["h264", "160", "120", "10/1"])
        #expect(try Fixtures.probe(path, "stream=codec_name", streams: "a") == ["aac"])
    }

    @Test("a transcoder of a stream not published yet waits for it, then transcodes")
    func transcoderWaitsForInput() async throws {
        let world = try World()
        defer { world.fixtures.remove() }
        try world.clip()
        let transcoder = try await world.transcoder.startup(TranscoderStartupRequest(
            uri: "transcoder://later", remoteStreamName: "later", localStreamName: "later-small",
            encoder: EncoderSettings(width: 160, height: 0, fps: 10)))
        #expect(transcoder.status == "PENDING" && transcoder.info == "waiting for stream")
        try await Task.sleep(for: .milliseconds(300))
        #expect(world.registry.all(Transcoder.self).map(\.status) == ["PENDING"])
        #expect(world.publisher("later-small") == nil)
        _ = try await world.vod.startup(VODStartupRequest(uri: "vod-live://clip.mp4", localStreamName: "later"))
        #expect(try await world.wait(5) { world.hub.codecConfig(of: "later-small")?.video?.width == 160 })
        let shown = try #require(world.registry.all(Transcoder.self).first)
        #expect(shown.status == "PROCESSED_LOCAL" && shown.localMediaSessionId == world.publisher("later-small")?.mediaSessionId)
        await world.transcoder.stopAll()
        #expect(world.registry.all(Transcoder.self).isEmpty && world.publisher("later-small") == nil)
    }

    @Test("vod:// plays the file from its start to each player alone; vod-live:// is shared")
    func personalVOD() async throws {
        let world = try World()
        defer { world.fixtures.remove() }
        try world.clip(seconds: 2)
        let vod = try await world.vod.startup(VODStartupRequest(uri: "vod://clip.mp4", localStreamName: "mine"))
        #expect(vod.status == "PROCESSED_LOCAL" && vod.info == "waiting for a player")
        #expect(!world.hub.isPublished("mine"))
        #expect(throws: HubError.notPublished("mine")) { try world.hub.subscribe(name: "mine") }  // no recorders
        await #expect(throws: ServiceError.conflict("Stream mine already exists")) {
            _ = try await world.vod.startup(VODStartupRequest(uri: "vod-live://clip.mp4", localStreamName: "mine"))
        }
        /// The video timestamps one player reads until its stream ends.
        func play() async throws -> [Int64] {
            let subscription = try world.hub.subscribe(name: "mine", player: "test")
            var times: [Int64] = []
            while let item = await subscription.next() {
                guard case .packet(let packet) = item else { break }
                if packet.kind == .video, !packet.isConfig { times.append(packet.dts) }
            }
            return times
        }
        let first = Task { try await play() }
        try await Task.sleep(for: .milliseconds(800))
        #expect(try await world.wait(2) { world.registry.all(VOD.self).first?.info == "playing to 1 player" })
        let second = Task { try await play() }
        #expect(try await world.wait(2) { world.registry.all(VOD.self).first?.info == "playing to 2 players" })
        let (a, b) = (try await first.value, try await second.value)
        #expect(a.count == 50 && b.count == 50)   // 2 s at 25 fps, each from the first frame
        #expect(a.first == 0 && b.first == 0)
        #expect(try await world.wait(2) { world.registry.all(VOD.self).first?.info == "waiting for a player" })
        // A player that leaves ends its playback.
        let leaving = try world.hub.subscribe(name: "mine", player: "test")
        #expect(try await world.wait(2) { world.registry.all(VOD.self).first?.info == "playing to 1 player" })
        leaving.cancel()
        #expect(try await world.wait(2) { world.registry.all(VOD.self).first?.info == "waiting for a player" })
        try await world.vod.terminate(objectID: vod.objectID)
        #expect(world.registry.all(VOD.self).isEmpty && !world.hub.isOffered("mine"))
    }

    @Test("a VOD of an H.265 file publishes H.265 with the file's size, and it snapshots")
    func vodOfH265() async throws {
        let world = try World()
        defer { world.fixtures.remove() }
        let path = try world.fixtures.make("hevc.mkv", seconds: 1, size: "424x238", arguments: [
            "-c:v", "libx265", "-x265-params", "log-level=none", "-pix_fmt", "yuv420p", "-c:a", "aac"])
        try FileManager.default.moveItem(atPath: path, toPath: world.media + "/hevc.mkv")
        let vod = try await world.vod.startup(VODStartupRequest(uri: "vod-live://hevc.mkv", localStreamName: "hevc"))
        #expect(vod.hasVideo && vod.hasAudio)
        #expect(try await world.wait(5) { world.hub.codecConfig(of: "hevc")?.video != nil })
        let video = try #require(world.hub.codecConfig(of: "hevc")?.video)
        #expect(video.codec == .h265 && video.width == 424 && video.height == 238)
        let png = try await world.snapshot.snapshot(streamName: "hevc")   // the snapshot decodes H.265 too
        #expect(png[16..<24].map { Int($0) } == [0, 0, 0x01, 0xA8, 0, 0, 0, 0xEE])   // 424 x 238
        try await world.vod.terminate(objectID: vod.objectID)
    }

    @Test("a looping VOD keeps going past the end of its file with rising timestamps")
    func vodLoops() async throws {
        let world = try World()
        defer { world.fixtures.remove() }
        try world.clip(seconds: 1)
        _ = try await world.vod.startup(VODStartupRequest(uri: "vod-live://clip.mp4", localStreamName: "loop", loop: true))
        let subscription = try world.hub.subscribe(name: "loop")
        var last: Int64 = -1
        var isMonotonic = true
        let deadline = Date().addingTimeInterval(2.5)
        while Date() < deadline {
            guard case .packet(let packet) = await subscription.next() else { break }
            if packet.kind == .video, !packet.isConfig {
                isMonotonic = isMonotonic && packet.dts > last
                last = packet.dts
            }
        }
        subscription.cancel()
        #expect(isMonotonic)
        #expect(last > 1800)   // past the 1 s file twice over
        let vod = try #require(world.registry.all(VOD.self).first)
        try await world.vod.terminate(objectID: vod.objectID)
        #expect(world.publisher("loop") == nil)
    }

    @Test("VOD refuses missing files, escapes, symlinks out of media/ and non-media files")
    func vodErrors() async throws {
        let world = try World()
        defer { world.fixtures.remove() }
        try "not a movie".write(toFile: world.media + "/notes.mp4", atomically: true, encoding: .utf8)
        try "secret".write(toFile: world.fixtures.folder + "/secret.mp4", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: world.media + "/link.mp4",
                                                   withDestinationPath: world.fixtures.folder + "/secret.mp4")
        await #expect(throws: ServiceError.notFound("No such file: missing.mp4")) {
            _ = try await world.vod.startup(VODStartupRequest(uri: "vod-live://missing.mp4"))
        }
        for uri in ["vod-live://../secret.mp4", "vod-live:///etc/passwd", "vod-live://link.mp4",
                    "vod-live://notes.mp4", "file:///etc/passwd"] {
            do {
                _ = try await world.vod.startup(VODStartupRequest(uri: uri, localStreamName: "bad"))
                Issue.record("accepted \(uri)")
            } catch let error as ServiceError {
                guard case .invalid(_, let field) = error else { Issue.record("\(uri): \(error)"); continue }
                #expect(field == "uri")
            }
        }
        #expect(world.publisher("bad") == nil)
    }
}
