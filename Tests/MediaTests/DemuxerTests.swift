import Foundation
import Testing
@testable import Media

@Suite struct DemuxerTests {
    @Test("demuxer lists the video and audio streams of an MP4 and reads all its packets")
    func readsStreamsAndPackets() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let path = try fixtures.make("in.mp4", arguments: ["-c:v", "libx264", "-c:a", "aac"])
        let demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(path), whitelist: .file)
        let video = try #require(demuxer.bestStream(.video))
        let audio = try #require(demuxer.bestStream(.audio))
        #expect(video.parameters.codecName == "h264")
        #expect(video.parameters.width == 320 && video.parameters.height == 240)
        #expect(audio.parameters.codecName == "aac")
        #expect(abs((demuxer.duration ?? 0) - 2) < 0.2)
        var videoPackets = 0
        while let packet = try demuxer.read() {
            if packet.streamIndex == video.index { videoPackets += 1 }
            #expect(packet.timeBase == demuxer.streams[packet.streamIndex].timeBase)
        }
        #expect(videoPackets == 50)
    }

    @Test("demuxer refuses URLs outside its protocol whitelist before FFmpeg opens them")
    func refusesOtherProtocols() throws {
        #expect(throws: MediaError.protocolNotAllowed("http://example.com/x.mp4")) {
            _ = try Demuxer(url: "http://example.com/x.mp4", whitelist: .file)
        }
        #expect(throws: MediaError.protocolNotAllowed("/etc/passwd")) {
            _ = try Demuxer(url: "/etc/passwd", whitelist: .rtsp)
        }
        #expect(throws: MediaError.protocolNotAllowed("file:/etc/hosts")) {
            _ = try Demuxer(url: "file:/etc/hosts", whitelist: .rtsp)
        }
    }

    @Test("a file that is not media fails with FFmpeg's code and text")
    func nonMediaFails() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let path = fixtures.folder + "/notes.mp4"
        try "hello, not a movie".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Demuxer(url: ProtocolWhitelist.fileURL(path), whitelist: .file)
            Issue.record("opened a text file")
        } catch {
            #expect(error.code == cff_invaliddata)
            #expect(error.description.contains("Invalid data"))
        }
    }

    @Test("a missing file fails with ENOENT's text")
    func missingFileFails() throws {
        do {
            _ = try Demuxer(url: "file:/nonexistent/file.mp4", whitelist: .file)
            Issue.record("opened a missing file")
        } catch {
            #expect(error.description.contains("No such file"))
        }
    }
}

/// AVERROR_INVALIDDATA as the shim computes it.
let cff_invaliddata: Int32 = MediaError.invalidDataCode
