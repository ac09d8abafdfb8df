import Core
import Foundation
import Logging
import NIOCore
import Testing
@testable import Media

/// `bench/transcode`: runs the server's transcoding path (hub H.264 → decode → fps/scale →
/// libx264 veryfast → hub packets) over a file as fast as it goes, and prints frames per
/// second and CPU seconds. Enabled only when SWITCHBOARD_BENCH_INPUT names the input file.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SWITCHBOARD_BENCH_INPUT"] != nil))
struct TranscodeBench {
    @Test("bench: 720p30 to 360p30 through the transcoder path")
    func transcode() throws {
        let input = ProcessInfo.processInfo.environment["SWITCHBOARD_BENCH_INPUT"] ?? ""
        let demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(input), whitelist: .file)
        let video = try #require(demuxer.bestStream(.video))
        var packager = H264Packager(extradata: video.parameters.extradata)
        var transcoding = VideoTranscoding(
            settings: EncoderSettings(width: 640, height: 360, keyFrameInterval: 60, fps: 30, bitrate: 800),
            logger: Logger(label: "bench"))
        let record = try #require(packager.record)
        _ = transcoding.process(MediaPacket(kind: .video, codec: .h264, dts: 0, isKeyframe: true, isConfig: true,
                                            payload: ByteBuffer(bytes: record)))
        let cpuBefore = Self.cpuSeconds()
        let start = Date()
        var frames = 0
        while let packet = try demuxer.read() {
            guard packet.streamIndex == video.index else { continue }
            let (_, payload, isIDR) = packager.package(packet.bytes)
            let ms = packet.timeBase.rescale(packet.dts ?? 0, to: .milliseconds)
            let pts = packet.timeBase.rescale(packet.pts ?? 0, to: .milliseconds)
            let out = transcoding.process(MediaPacket(kind: .video, codec: .h264, dts: ms, pts: pts, isKeyframe: isIDR,
                                                      payload: ByteBuffer(bytes: payload)))
            frames += out.filter { !$0.isConfig }.count
        }
        frames += transcoding.finish().filter { !$0.isConfig }.count
        let wall = Date().timeIntervalSince(start)
        let cpu = Self.cpuSeconds() - cpuBefore
        let line = String(format: "switchboard frames=%d wall=%.2f fps=%.1f cpu=%.2f", frames, wall, Double(frames) / wall, cpu)
        FileHandle.standardError.write(Data((line + "\n").utf8))
        if let out = ProcessInfo.processInfo.environment["SWITCHBOARD_BENCH_OUTPUT"] {
            try line.write(toFile: out, atomically: true, encoding: .utf8)
        }
        #expect(frames > 0)
    }

    /// User + system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}
