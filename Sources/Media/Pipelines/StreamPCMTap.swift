import Core
import Logging

/// Decodes the audio of a hub stream into mono 16-bit samples at one rate, on a thread of its
/// own, and hands them to a closure: `/call/inject_stream` plays them into a SIP call.
///
/// It ends when the stream ends or `stop()` is called. Packets the decoder rejects are
/// skipped and counted (logged on the first and every hundredth).
public final class StreamPCMTap: Sendable {
    /// Receives each run of decoded samples, on the tap's thread; it must not block.
    public typealias SampleHandler = @Sendable (_ samples: [Int16]) -> Void

    private let subscription: Subscription
    private let thread: PipelineThread

    /// Subscribes to `streamName` and starts decoding.
    /// - Parameters:
    ///   - hub: where the stream is published.
    ///   - streamName: the stream to take audio from.
    ///   - sampleRate: output rate in Hz.
    ///   - logger: carries the owner's metadata.
    ///   - onSamples: receives the samples.
    ///   - onEnd: called once when the stream ends or the tap stops, with the reason.
    /// - Throws: `HubError.notPublished` when nobody publishes `streamName`.
    public init(hub: StreamHub, streamName: String, sampleRate: Int, logger: Logger,
                onSamples: @escaping SampleHandler, onEnd: @escaping @Sendable (String) -> Void = { _ in }) throws(HubError) {
        let subscription = try hub.subscribe(name: streamName)
        self.subscription = subscription
        let logger = logger.tagged([LogKey.stream: "\(streamName)"])
        thread = PipelineThread(name: "pcm-tap") {
            var reader = SubscriptionReader(subscription)
            var decoding = Decoding(hub: hub, streamName: streamName, sampleRate: sampleRate, logger: logger)
            for packet in reader.takeQueued() { decoding.process(packet, onSamples) }
            while true {
                switch reader.next(timeout: 1) {
                case .packet(let packet): decoding.process(packet, onSamples)
                case .timedOut: continue
                case .ended(let reason):
                    onEnd(reason)
                    return
                }
            }
        }
    }

    /// Stops taking the stream; the thread ends after the packets already queued.
    public func stop() { subscription.cancel() }

    /// Waits until the thread ended.
    public func join() async { await thread.join() }

    /// The decoder state of the tap's thread.
    private struct Decoding {
        let hub: StreamHub
        let streamName: String
        let sampleRate: Int
        let logger: Logger
        var codec: HubCodec?
        var decoder: Decoder?
        var converter: PCMConverter?
        var failures = 0

        init(hub: StreamHub, streamName: String, sampleRate: Int, logger: Logger) {
            self.hub = hub
            self.streamName = streamName
            self.sampleRate = sampleRate
            self.logger = logger
        }

        mutating func process(_ packet: MediaPacket, _ onSamples: SampleHandler) {
            guard packet.kind == .audio else { return }
            if packet.isConfig {
                // A new AudioSpecificConfig: the next media packet opens a decoder for it.
                decoder = nil
                return
            }
            do {
                if decoder == nil {
                    let codec = try HubCodec(audio: hub.codecConfig(of: streamName)?.audio, firstPacket: packet)
                    decoder = try Decoder(parameters: codec.parameters, timeBase: .milliseconds)
                    converter = try PCMConverter(sampleRate: sampleRate)
                    self.codec = codec
                }
                guard let codec, let decoder, let converter else { return }
                for frame in try decoder.decode(try codec.packet(packet)) {
                    let samples = try converter.convert(frame, timeBase: .milliseconds)
                    if !samples.isEmpty { onSamples(samples) }
                }
            } catch {
                failures += 1
                if failures == 1 || failures % 100 == 0 {
                    logger.warning("audio packet not decoded", metadata: [LogKey.error: "\(error)", "count": "\(failures)"])
                }
            }
        }
    }
}
