import Core
import Foundation
import Logging

/// Pulls one RTSP URL into a hub stream on its own thread, reconnecting with backoff and
/// keeping the `RtspAgent` status current.
final class RTSPPuller: Pipeline {
    /// Waits between reconnects: doubling from 1 s up to this many seconds.
    static let maxBackoff = 30.0
    /// Socket timeout for connect and reads (FFmpeg's rtsp `timeout`, µs): a silent camera
    /// counts as lost after this long.
    static let socketTimeoutMicroseconds = "5000000"

    private let stopFlag = InterruptFlag()
    private let thread: PipelineThread

    /// Starts pulling.
    /// - Parameters:
    ///   - uri: the `rtsp://` URL (credentials may be in it; they never reach a log line).
    ///   - transport: "tcp" or "udp".
    ///   - output: the stream's publication, ended on stop.
    ///   - registry: holds the `RtspAgent` (key `uri`) whose status this updates.
    ///   - logger: carries the agent's metadata.
    ///   - onEnd: called on the puller's thread after the output ended.
    init(uri: String, transport: String, output: Publication, registry: Registry, logger: Logger,
         onEnd: @escaping @Sendable () -> Void) {
        let stopFlag = self.stopFlag
        output.setTerminationHandler { _ in stopFlag.interrupt() }
        thread = PipelineThread(name: "rtsp \(output.streamName)") {
            func status(_ value: String, _ info: String? = nil) {
                registry.update(RtspAgent.self, id: uri) {
                    $0.status = value
                    $0.info = info
                }
            }
            var backoff = 1.0
            var offset: Int64 = 0
            while !stopFlag.isInterrupted {
                do {
                    let demuxer = try Demuxer(
                        url: uri, whitelist: .rtsp,
                        options: ["rtsp_transport": transport, "timeout": RTSPPuller.socketTimeoutMicroseconds],
                        interrupt: stopFlag)
                    var session = RTSPSession(demuxer: demuxer, offset: offset, logger: logger)
                    guard session.hasTracks else {
                        status("FAILED", "no H.264, H.265, AAC, G.711 or Opus track")
                        logger.error("rtsp source has no usable track")
                        break
                    }
                    status("PLAYING")
                    logger.info("rtsp connected")
                    backoff = 1
                    for packet in session.configPackets { output.send(packet) }
                    while !stopFlag.isInterrupted, let packet = try demuxer.read() {
                        for out in session.convert(packet) { output.send(out) }
                    }
                    offset = session.lastMilliseconds + 40
                    if !stopFlag.isInterrupted { status("RECONNECTING", "end of stream") }
                } catch {
                    offset += 40
                    guard !stopFlag.isInterrupted else { break }
                    status("RECONNECTING", "\(error)")
                    logger.warning("rtsp connection lost", metadata: ["error": "\(error)", "retry": "\(backoff)"])
                }
                let resume = Date().addingTimeInterval(backoff)
                while !stopFlag.isInterrupted, Date() < resume { Thread.sleep(forTimeInterval: 0.2) }
                backoff = min(backoff * 2, RTSPPuller.maxBackoff)
            }
            output.end(reason: stopFlag.isInterrupted ? "Stopped by rest /terminate" : "rtsp source failed")
            status(stopFlag.isInterrupted ? "STOPPED" : "FAILED")
            onEnd()
        }
    }

    /// Stops pulling (aborting a blocked connect or read) and waits until the stream ended.
    func stop() async {
        stopFlag.interrupt()
        await thread.join()
    }
}
