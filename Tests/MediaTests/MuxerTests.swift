import Foundation
import Testing
@testable import Media

@Suite struct MuxerTests {
    /// Decodes `input`'s video, scales it to 160x120, encodes it with libx264 and AAC, and
    /// writes `container` to `output`; returns the muxer so tests can stop before `finish`.
    private func transcode(_ input: String, to output: String, container: Muxer.Container,
                           finish: Bool, afterPackets: ((Int) throws -> Void)? = nil) throws -> Muxer {
        let demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(input), whitelist: .file)
        let video = try #require(demuxer.bestStream(.video))
        let audio = try #require(demuxer.bestStream(.audio))
        let decoder = try Decoder(parameters: video.parameters, timeBase: video.timeBase)
        let scaler = try Scaler(width: 160, height: 120)
        let encoder = try Encoder(video: VideoEncoderOptions(width: 160, height: 120, frameRate: 25, bitrate: 300_000))
        let muxer = try Muxer(path: output, container: container)
        let videoOut = try muxer.addStream(encoder.parameters, timeBase: encoder.timeBase)
        let audioOut = try muxer.addStream(audio.parameters, timeBase: audio.timeBase)
        try muxer.start()
        var written = 0
        func writeVideo(_ frames: [Frame]) throws {
            for frame in frames {
                let scaled = try scaler.scale(frame)
                scaled.pts = frame.pts.map { video.timeBase.rescale($0, to: encoder.timeBase) }
                for packet in try encoder.encode(scaled) { try muxer.write(packet, stream: videoOut); written += 1 }
            }
        }
        while let packet = try demuxer.read() {
            if packet.streamIndex == video.index {
                try writeVideo(try decoder.decode(packet))
            } else if packet.streamIndex == audio.index {
                try muxer.write(packet, stream: audioOut)
                written += 1
            }
            try afterPackets?(written)
        }
        if finish {
            try writeVideo(try decoder.decode(nil))
            for packet in try encoder.encode(nil) { try muxer.write(packet, stream: videoOut) }
            try muxer.finish()
        }
        return muxer
    }

    @Test("fragmented MP4 output has H.264 at the new size, AAC and the input's duration")
    func writesFragmentedMP4() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let input = try fixtures.make("in.mp4", arguments: ["-c:v", "libx264", "-c:a", "aac"])
        let output = fixtures.folder + "/out.mp4"
        _ = try transcode(input, to: output, container: .fragmentedMP4(fragmentSeconds: 1), finish: true)
        #expect(try Fixtures.probe(output, "stream=codec_name,width,height", streams: "v") == ["h264", "160", "120"])
        #expect(try Fixtures.probe(output, "stream=codec_name", streams: "a") == ["aac"])
        let duration = try #require(Double(try Fixtures.probe(output, "format=duration").first ?? ""))
        #expect(abs(duration - 2) < 0.2)
    }

    @Test("MKV output is readable with both tracks")
    func writesMatroska() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let input = try fixtures.make("in.mp4", arguments: ["-c:v", "libx264", "-c:a", "aac"])
        let output = fixtures.folder + "/out.mkv"
        _ = try transcode(input, to: output, container: .matroska(clusterSeconds: 1), finish: true)
        #expect(try Fixtures.probe(output, "stream=codec_name") == ["h264", "aac"])
    }

    @Test("a fragmented MP4 copied mid-write (as after SIGKILL) plays up to its last fragment")
    func fragmentedMP4SurvivesCrash() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let input = try fixtures.make("in.mp4", seconds: 4, arguments: ["-c:v", "libx264", "-g", "250", "-c:a", "aac"])
        let output = fixtures.folder + "/out.mp4"
        let snapshot = fixtures.folder + "/killed.mp4"
        var copied = false
        // Copy the file once about 3 s of packets are in: what a killed writer leaves behind.
        _ = try transcode(input, to: output, container: .fragmentedMP4(fragmentSeconds: 1), finish: false) { written in
            if !copied && written >= 3 * (25 + 43) {
                try FileManager.default.copyItem(atPath: output, toPath: snapshot)
                copied = true
            }
        }
        #expect(copied)
        let frames = try Fixtures.run("/usr/bin/ffprobe", [
            "-v", "error", "-count_frames", "-select_streams", "v", "-show_entries", "stream=nb_read_frames",
            "-of", "default=nokey=1:noprint_wrappers=1", snapshot,
        ]).trimmingCharacters(in: .whitespacesAndNewlines)
        // The GOP is 250 frames, so only the 1 s fragment limit makes anything playable here.
        #expect((Int(frames) ?? 0) >= 25)
    }
}
