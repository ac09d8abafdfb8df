import Testing
import Foundation
@testable import Media

@Suite struct CodecTests {
    @Test("decoder turns an H.264 file into pictures of the file's size")
    func decodesVideo() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let path = try fixtures.make("in.mp4", audio: false, arguments: ["-c:v", "libx264", "-pix_fmt", "yuv420p"])
        let demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(path), whitelist: .file)
        let video = try #require(demuxer.bestStream(.video))
        let decoder = try Decoder(parameters: video.parameters, timeBase: video.timeBase)
        var frames: [Frame] = []
        while let packet = try demuxer.read() {
            if packet.streamIndex == video.index { frames += try decoder.decode(packet) }
        }
        frames += try decoder.decode(nil)
        #expect(frames.count == 50)
        #expect(frames.allSatisfy { $0.width == 320 && $0.height == 240 && $0.pixelFormat == .yuv420p })
        #expect(frames.first?.isKeyframe == true)
    }

    @Test("scaler resizes a decoded picture and keeps its timestamp")
    func scales() throws {
        let frame = try Frame(width: 320, height: 240, format: .yuv420p)
        frame.pts = 42
        let scaled = try Scaler(width: 160, height: 90, format: .rgb24).scale(frame)
        #expect(scaled.width == 160 && scaled.height == 90 && scaled.pixelFormat == .rgb24)
        #expect(scaled.pts == 42)
    }

    @Test("PNG writer produces a PNG of the picture's size")
    func writesPNG() throws {
        let fixtures = try Fixtures()
        defer { fixtures.remove() }
        let path = try fixtures.make("in.mkv", seconds: 0.2, audio: false, arguments: ["-c:v", "libx264"])
        let demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(path), whitelist: .file)
        let video = try #require(demuxer.bestStream(.video))
        let decoder = try Decoder(parameters: video.parameters, timeBase: video.timeBase)
        var picture: Frame?
        while picture == nil, let packet = try demuxer.read() { picture = try decoder.decode(packet).first }
        if picture == nil { picture = try decoder.decode(nil).first }
        let png = try PNGWriter().encode(try #require(picture))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width and height are big-endian at bytes 16..<24.
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 320 && height == 240)
        let file = fixtures.folder + "/out.png"
        try Data(png).write(to: URL(fileURLWithPath: file))
        #expect(try Fixtures.probe(file, "stream=codec_name,width,height") == ["png", "320", "240"])
    }

    @Test("filter graph runs an fps and scale chain on pictures")
    func filters() throws {
        let graph = try FilterGraph(
            description: "scale=160:120,format=yuv420p",
            input: .video(width: 320, height: 240, format: .yuv420p, timeBase: Rational(1, 25)))
        var out: [Frame] = []
        for index in 0..<5 {
            let frame = try Frame(width: 320, height: 240, format: .yuv420p)
            frame.pts = Int64(index)
            try graph.push(frame)
            while let filtered = try graph.pull() { out.append(filtered) }
        }
        try graph.push(nil)
        while let filtered = try graph.pull() { out.append(filtered) }
        #expect(out.count == 5)
        #expect(out.allSatisfy { $0.width == 160 && $0.height == 120 })
    }

    @Test("a bad filter description fails with FFmpeg's text")
    func badFilterFails() throws {
        #expect(throws: MediaError.self) {
            _ = try FilterGraph(description: "nosuchfilter=1",
                                input: .video(width: 32, height: 32, format: .yuv420p, timeBase: Rational(1, 25)))
        }
    }

    @Test("resampler and FIFO feed the AAC encoder frames of its frame size")
    func encodesAAC() throws {
        let encoder = try Encoder(audio: AudioEncoderOptions(sampleRate: 48_000, channels: 2))
        #expect(encoder.frameSize == 1024)
        #expect(encoder.parameters.codecName == "aac")
        #expect(!encoder.parameters.extradata.isEmpty)
        let resampler = try Resampler(sampleRate: 48_000, channels: 2, format: .fltp)
        let fifo = try AudioFIFO(format: .fltp, channels: 2, sampleRate: 48_000)
        var packets: [Packet] = []
        for index in 0..<20 {
            let input = try Frame(samples: 441, format: .s16, sampleRate: 44_100, channels: 1)
            try input.makeWritable()
            _ = input.withPlane(0) { data, size in data?.initializeMemory(as: UInt8.self, repeating: 0, count: size) }
            input.pts = Int64(index * 441)
            if let converted = try resampler.convert(input, inputTimeBase: Rational(1, 44_100)) {
                #expect(converted.sampleRate == 48_000 && converted.channels == 2)
                try fifo.write(converted)
            }
            while let chunk = try fifo.read(samples: encoder.frameSize) { packets += try encoder.encode(chunk) }
        }
        packets += try encoder.encode(nil)
        #expect(packets.count >= 8)
        #expect(packets.allSatisfy { $0.timeBase == Rational(1, 48_000) })
    }

    @Test("an unknown encoder name is reported as such")
    func unknownEncoder() throws {
        #expect(throws: MediaError.codecNotFound("nonesuch")) {
            var options = VideoEncoderOptions(width: 64, height: 64, frameRate: 25)
            options.codecName = "nonesuch"
            _ = try Encoder(video: options)
        }
    }
}
