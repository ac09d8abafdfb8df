import Core
import Foundation
import Logging
import NIOCore
import NIOPosix
import RTMP
import Testing
@testable import Media

/// The media services on streams that arrive over RTMP from the ffmpeg CLI, with results
/// played back over RTMP: the same path the server takes, minus REST.
@Suite(.serialized) struct RTMPEndToEndTests {
    @Test("an RTMP publish is recorded, snapshotted and transcoded; ffprobe reads the results")
    func recordSnapshotTranscode() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let bed = try await RTMPTestbed()
        let (registry, logger, hub, port) = (bed.registry, bed.logger, bed.hub, bed.port)
        let recording = bed.recordingService(into: fixtures.folder + "/records")
        let transcoder = TranscoderService(hub: hub, registry: registry, logger: logger)
        // Longer than the test needs: on a loaded machine the steps below take their time, and a
        // publisher that ends also ends the transcoder the test terminates.
        let publisher = try bed.publish("cam", size: "640x360", seconds: 40, gop: 12)
        defer { publisher.terminate() }
        let published = try #require(try await bed.published("cam"))
        try await Task.sleep(for: .seconds(1))

        let name = try await recording.startRecording(mediaSessionId: published.mediaSessionId, fileTemplate: nil)
        let started = Date()
        let png = try await SnapshotService(hub: hub, registry: registry, logger: logger).snapshot(streamName: "cam")
        #expect(png[16..<20].reduce(0) { $0 << 8 | Int($1) } == 640)
        #expect(png[20..<24].reduce(0) { $0 << 8 | Int($1) } == 360)

        _ = try await transcoder.startup(TranscoderStartupRequest(
            uri: "transcoder://small", remoteStreamName: "cam", localStreamName: "small",
            encoder: EncoderSettings(width: 320, height: 0, keyFrameInterval: 20, fps: 10, bitrate: 300)))
        try await Task.sleep(for: .seconds(2))
        let video = try Fixtures.probe("rtmp://127.0.0.1:\(port)/live/small",
                                       "stream=codec_name,width,height,r_frame_rate", streams: "v")
        #expect(video == ["h264", "320", "180", "10/1"])
        try await transcoder.terminate(uri: "transcoder://small")
        #expect(!hub.isPublished("small"))

        try await Task.sleep(for: .seconds(2))
        try await recording.stopRecording(mediaSessionId: published.mediaSessionId)
        // The file starts at the cached keyframe, up to one GOP (0.5 s here) before the request.
        let recorded = Date().timeIntervalSince(started)
        let path = fixtures.folder + "/records/" + name
        #expect(try Fixtures.probe(path, "stream=codec_name") == ["h264", "aac"])
        let duration = try #require(Double(try Fixtures.probe(path, "format=duration").first ?? ""))
        #expect(abs(duration - recorded) <= 0.1 * recorded, "recorded \(recorded) s, file \(duration) s")
        #expect(registry.get(Core.Stream.self, id: published.mediaSessionId)?.record == false)
        try await bed.shutdown()
    }

    @Test("an RTMP stream with G.711 audio is recorded to MKV with both tracks")
    func recordsG711ToMatroska() async throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let bed = try await RTMPTestbed()
        let (registry, logger, hub, port) = (bed.registry, bed.logger, bed.hub, bed.port)
        let recording = bed.recordingService(into: fixtures.folder + "/records")
        let publisher = try bed.publish("g711", seconds: 12, gop: 25,
                                        audio: ["-c:a", "pcm_mulaw", "-ar", "8000", "-ac", "1"])
        defer { publisher.terminate() }
        let published = try #require(try await bed.published("g711"))
        try await Task.sleep(for: .seconds(1.5))
        let name = try await recording.startRecording(mediaSessionId: published.mediaSessionId, fileTemplate: nil)
        #expect(name.hasSuffix(".mkv"))
        try await Task.sleep(for: .seconds(3))
        try await recording.stopRecording(mediaSessionId: published.mediaSessionId)
        #expect(try Fixtures.probe(fixtures.folder + "/records/" + name, "stream=codec_name") == ["h264", "pcm_mulaw"])

        // A transcoder asked for AAC audio turns the G.711 into AAC (video re-encoded as usual).
        let transcoder = TranscoderService(hub: hub, registry: registry, logger: logger)
        _ = try await transcoder.startup(TranscoderStartupRequest(
            uri: "transcoder://aac", remoteStreamName: "g711", localStreamName: "g711aac",
            encoder: EncoderSettings(width: 160, height: 0, fps: 10, audioCodec: "AAC")))
        try await Task.sleep(for: .seconds(1.5))
        let audio = try Fixtures.probe("rtmp://127.0.0.1:\(port)/live/g711aac", "stream=codec_name,sample_rate",
                                       streams: "a")
        #expect(audio == ["aac", "48000"])
        await transcoder.stopAll()
        try await bed.shutdown()
    }
}
