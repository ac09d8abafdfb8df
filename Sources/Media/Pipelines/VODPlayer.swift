import Core
import Foundation
import Logging
import NIOCore

/// Publishes a media file (H.264 or H.265 video, AAC audio) into the hub at its own pace (by its timestamps), on its own
/// thread, looping with continuous timestamps when asked.
final class VODPlayer: Pipeline {
    private let stopFlag = InterruptFlag()
    private let thread: PipelineThread

    /// Starts playback.
    /// - Parameters:
    ///   - path: the file (already resolved inside the media folder).
    ///   - output: the stream's publication; ended when playback ends.
    ///   - loop: start over at the end, continuing the timestamps.
    ///   - logger: carries the VOD's metadata.
    ///   - onEnd: called on the player's thread after the output ended.
    init(path: String, output: Publication, loop: Bool, logger: Logger, onEnd: @escaping @Sendable () -> Void) {
        let stopFlag = self.stopFlag
        output.setTerminationHandler { _ in stopFlag.interrupt() }
        thread = PipelineThread(name: "vod \(output.streamName)") {
            var reason = "end of file"
            do {
                try Self.play(path: path, output: output, loop: loop, stopFlag: stopFlag)
                if stopFlag.isInterrupted { reason = "Stopped by rest /terminate" }
            } catch {
                reason = stopFlag.isInterrupted ? "Stopped by rest /terminate" : "\(error)"
                if !stopFlag.isInterrupted { logger.warning("vod failed", metadata: ["error": "\(error)"]) }
            }
            output.end(reason: reason)
            logger.info("vod ended", metadata: ["reason": "\(reason)"])
            onEnd()
        }
    }

    /// Asks playback to stop without waiting.
    func interrupt() {
        stopFlag.interrupt()
    }

    /// Stops playback and waits until the stream ended.
    func stop() async {
        stopFlag.interrupt()
        await thread.join()
    }

    private static func play(path: String, output: Publication, loop: Bool, stopFlag: InterruptFlag) throws {
        let demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(path), whitelist: .file, interrupt: stopFlag)
        let track = demuxer.bestStream(.video)
        var packager = track.flatMap { videoPackager(codecName: $0.parameters.codecName, extradata: $0.parameters.extradata) }
        let video = packager == nil ? nil : track
        let audio = demuxer.bestStream(.audio).flatMap { $0.parameters.codecName == "aac" ? $0 : nil }
        if let packager, let record = packager.record { output.send(config(.video, packager.codec, record)) }
        if let audio { output.send(config(.audio, .aac, audio.parameters.extradata)) }

        let start = ContinuousClock.now
        var loopOffset: Int64 = 0   // ms added to every timestamp in the current pass
        var firstDTS: Int64?        // ms of the file's first packet
        var passEnd: Int64 = 0      // ms just after the last packet of the pass
        while !stopFlag.isInterrupted {
            guard let packet = try demuxer.read() else {
                guard loop, passEnd > 0 else { return }
                loopOffset += passEnd
                passEnd = 0
                try demuxer.seek(toSeconds: 0)
                continue
            }
            let isVideo = packet.streamIndex == video?.index
            guard isVideo || packet.streamIndex == audio?.index else { continue }
            let rawDTS = packet.timeBase.rescale(packet.dts ?? packet.pts ?? 0, to: .milliseconds)
            let rawPTS = packet.timeBase.rescale(packet.pts ?? packet.dts ?? 0, to: .milliseconds)
            let first = firstDTS ?? rawDTS
            firstDTS = first
            let dts = max(rawDTS - first, 0) + loopOffset
            let pts = max(rawPTS - first, 0) + loopOffset
            let duration = max(packet.timeBase.rescale(packet.duration, to: .milliseconds), 1)
            passEnd = max(passEnd, dts - loopOffset + duration)
            // Pace by the file's clock: never send a packet before its time.
            let due = start + .milliseconds(dts)
            while !stopFlag.isInterrupted, ContinuousClock.now < due {
                Thread.sleep(forTimeInterval: min((due - ContinuousClock.now) / .seconds(1), 0.2))
            }
            if isVideo, var videoPackager = packager {
                let (record, payload, isIDR) = videoPackager.package(packet.bytes)
                packager = videoPackager
                if let record { output.send(config(.video, videoPackager.codec, record)) }
                output.send(MediaPacket(kind: .video, codec: videoPackager.codec, dts: dts, pts: pts, timebase: 1000,
                                        isKeyframe: isIDR || packet.isKeyframe, payload: ByteBuffer(bytes: payload)))
            } else {
                output.send(MediaPacket(kind: .audio, codec: .aac, dts: dts, pts: pts, timebase: 1000,
                                        isKeyframe: true, payload: ByteBuffer(bytes: packet.bytes)))
            }
        }
    }

    private static func config(_ kind: MediaKind, _ codec: MediaCodec, _ bytes: [UInt8]) -> MediaPacket {
        MediaPacket(kind: kind, codec: codec, dts: 0, timebase: 1000, isKeyframe: true, isConfig: true,
                    payload: ByteBuffer(bytes: bytes))
    }
}
