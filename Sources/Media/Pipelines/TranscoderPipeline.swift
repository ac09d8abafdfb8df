import Core
import Logging

/// One running transcoder: reads the input stream, publishes the output stream, on its own thread.
final class TranscoderPipeline: Sendable {
    private let input: Subscription
    private let thread: PipelineThread

    /// Starts transcoding `input` into `output`.
    /// - Parameters:
    ///   - input: the remote stream's subscription; the pipeline owns and ends it.
    ///   - output: the local stream's publication; ended when the input ends or on `stop()`.
    ///   - settings: the requested encoder settings.
    ///   - logger: carries the transcoder's metadata.
    ///   - onEnd: called on the pipeline's thread after the output ended.
    init(input: Subscription, output: Publication, settings: EncoderSettings, logger: Logger,
         onEnd: @escaping @Sendable () -> Void) {
        self.input = input
        output.setTerminationHandler { _ in input.cancel() }
        thread = PipelineThread(name: "transcode \(input.streamName)") {
            var video = VideoTranscoding(settings: settings, logger: logger)
            var reader = SubscriptionReader(input)
            var reason = "input ended"
            loop: while true {
                switch reader.next(timeout: 1) {
                case .packet(let packet):
                    switch packet.kind {
                    case .video: for out in video.process(packet) { output.send(out) }
                    case .audio: output.send(packet)  // audio passes through
                    case .data: continue  // the input's metadata describes the input's size
                    }
                case .timedOut: continue
                case .ended(let why):
                    reason = why == "cancelled" ? "Stopped by rest /terminate" : why
                    break loop
                }
            }
            for out in video.finish() { output.send(out) }
            output.end(reason: reason)
            logger.info("transcoder ended", metadata: ["reason": "\(reason)"])
            onEnd()
        }
    }

    /// Stops reading the input and waits until the output ended.
    func stop() async {
        input.cancel()
        await thread.join()
    }
}
