import Core
import Logging

/// Writes one hub stream into a file on its own thread until the stream ends or `stop()`.
///
/// The file starts at the first video keyframe (or the first audio packet of an audio-only
/// stream) with timestamps from 0. Fragmented MP4 and MKV with 1 s fragments keep it
/// playable up to about a second before a crash.
final class Recorder: Pipeline {
    /// Fragment (MP4) or cluster (MKV) length: the most a crash can lose.
    static let fragmentSeconds = 1.0
    /// Packets held while waiting to learn every track's codec before opening the file.
    static let maxHeldPackets = 200

    private let subscription: Subscription
    private let thread: PipelineThread

    /// Starts recording.
    /// - Parameters:
    ///   - reader: the stream's subscription reader; the recorder owns and ends the subscription.
    ///   - queued: packets already taken from the reader (the replayed GOP), recorded first.
    ///   - config: the stream's codec configuration when recording starts.
    ///   - expectsAudio: whether to wait for an audio track before opening the file.
    ///   - expectsVideo: whether to wait (about a second) for a video configuration.
    ///   - path: the file to write.
    ///   - container: fragmented MP4 or MKV.
    ///   - logger: carries the stream's metadata.
    ///   - onEnd: called on the recorder's thread after the file is finalized.
    init(reader: SubscriptionReader, queued: [MediaPacket], config: CodecConfig, expectsAudio: Bool,
         expectsVideo: Bool, path: String, container: Muxer.Container, logger: Logger,
         onEnd: @escaping @Sendable () -> Void) {
        self.subscription = reader.subscription
        thread = PipelineThread(name: "record \(reader.subscription.streamName)") {
            var writer = RecordingWriter(config: config, expectsAudio: expectsAudio, expectsVideo: expectsVideo, path: path,
                                         container: container, logger: logger)
            var reader = reader
            for packet in queued { writer.add(packet) }
            loop: while true {
                switch reader.next(timeout: 1) {
                case .packet(let packet): writer.add(packet)
                case .timedOut: continue
                case .ended: break loop
                }
            }
            writer.finish()
            onEnd()
        }
    }

    /// Ends the subscription and waits until the file is finalized.
    func stop() async {
        subscription.cancel()
        await thread.join()
    }
}
