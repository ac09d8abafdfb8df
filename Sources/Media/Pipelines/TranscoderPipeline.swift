import Core
import Logging

/// One transcoding session: reads the input stream, publishes the output stream, on its own thread.
final class TranscoderPipeline: Pipeline {
    private let input: Subscription
    private let thread: PipelineThread
    /// Set when the input stream ended by itself (not cancelled).
    private let inputEnded = InterruptFlag()

    /// Starts transcoding `input` into `output`.
    /// - Parameters:
    ///   - input: the remote stream's subscription; the pipeline owns and ends it.
    ///   - output: the local stream's publication; ended when the input ends or on `stop()`.
    ///   - settings: the requested encoder settings.
    ///   - logger: carries the transcoder's metadata.
    init(input: Subscription, output: Publication, settings: EncoderSettings, logger: Logger) {
        self.input = input
        output.setTerminationHandler { _ in input.cancel() }
        let inputEnded = self.inputEnded
        thread = PipelineThread(name: "transcode \(input.streamName)") {
            var video = VideoTranscoding(settings: settings, logger: logger)
            var audio = AudioTranscoding(settings: settings, logger: logger)
            var reader = SubscriptionReader(input)
            var reason = "input ended"
            loop: while true {
                switch reader.next(timeout: 1) {
                case .packet(let packet):
                    switch packet.kind {
                    case .video: for out in video.process(packet) { output.send(out) }
                    case .audio: for out in audio.process(packet) { output.send(out) }
                    case .data: continue  // the input's metadata describes the input's size
                    }
                case .timedOut: continue
                case .ended(let why):
                    reason = why == "cancelled" ? "Stopped by rest /terminate" : why
                    if why != "cancelled" { inputEnded.interrupt() }
                    break loop
                }
            }
            for out in video.finish() { output.send(out) }
            output.end(reason: reason)
            logger.info("transcoding ended", metadata: ["reason": "\(reason)"])
        }
    }

    /// Waits until the session ends; true when it ended because the input stream ended
    /// (false: stopped, or its output was terminated).
    func wait() async -> Bool {
        await thread.join()
        return inputEnded.isInterrupted
    }

    /// Stops reading the input and waits until the output ended.
    func stop() async {
        input.cancel()
        await thread.join()
    }
}
