import Core
import Dispatch
import Logging
import Media
import NIOCore
import Synchronization

/// Turns a call's decoded audio into AAC packets on its hub stream, so RTMP players, pushes
/// and recorders get a codec they understand.
///
/// The encoder is AAC-LC mono at the call's own rate, 8, 16 or 48 kHz (no resampling; AAC
/// allows all three, ISO/IEC 14496-3 Table 1.18). FFmpeg work runs on a private serial queue,
/// never on an event loop; samples are handed over a whole AAC frame (1024 samples) at a
/// time, so the queue wakes a few times a second per call rather than once per 20 ms packet.
/// Invariant for `@unchecked Sendable`: `encoder`, `pending`, `samplesOut` and `isEnded` are
/// touched only on `queue`; `inbox` has its own lock.
final class AACPublisher: @unchecked Sendable {
    /// AAC bitrate: plenty for speech; 32 kbps at 8 kHz as before, 48 kbps for wideband.
    static func bitrate(sampleRate: Int) -> Int { min(48_000, sampleRate * 4) }

    private let publication: Publication
    private let queue: DispatchQueue
    private let logger: Logger
    private let encoder: Encoder
    /// The call's sample rate.
    private let sampleRate: Int
    private var pending: [Int16] = []
    private let inbox = Mutex<[Int16]>([])
    /// Samples per AAC frame, read once at init (the encoder itself stays on `queue`).
    private let frameSize: Int
    private var samplesOut: Int64 = 0
    private var isEnded = false

    /// Opens the encoder and sends the AudioSpecificConfig.
    /// - Throws: `MediaError` when FFmpeg's AAC encoder cannot be opened.
    init(publication: Publication, sampleRate: Int, logger: Logger) throws(MediaError) {
        self.publication = publication
        self.sampleRate = sampleRate
        self.logger = logger
        self.queue = DispatchQueue(label: "sip-aac-\(publication.streamName)")
        self.encoder = try Encoder(audio: AudioEncoderOptions(
            codecName: "aac", sampleRate: sampleRate, channels: 1, bitrate: Self.bitrate(sampleRate: sampleRate)))
        self.frameSize = max(encoder.frameSize, 1)
        publication.send(MediaPacket(kind: .audio, codec: .aac, dts: 0, timebase: 1000, isKeyframe: true,
                                     isConfig: true, payload: ByteBuffer(bytes: encoder.parameters.extradata)))
    }

    /// Queues decoded samples; whole AAC frames are encoded and published.
    func push(_ samples: [Int16]) {
        let batch = inbox.withLock { buffer -> [Int16]? in
            buffer += samples
            guard buffer.count >= frameSize else { return nil }
            defer { buffer = [] }
            return buffer
        }
        guard let batch else { return }
        queue.async { [self] in
            guard !isEnded else { return }
            pending += batch
            while pending.count >= frameSize {
                let chunk = Array(pending.prefix(frameSize))
                pending.removeFirst(frameSize)
                encode(chunk)
            }
        }
    }

    /// Stops taking samples (what is pending is dropped).
    func end() {
        queue.sync { isEnded = true }
    }

    private func encode(_ samples: [Int16]) {
        do {
            let frame = try Frame(samples: samples.count, format: .fltp, sampleRate: sampleRate, channels: 1)
            frame.withPlane(0) { data, _ in
                guard let floats = data?.bindMemory(to: Float.self, capacity: samples.count) else { return }
                for (index, sample) in samples.enumerated() { floats[index] = Float(sample) / 32_768 }
            }
            frame.pts = samplesOut
            samplesOut += Int64(samples.count)
            let timeBase = Rational(1, Int32(sampleRate))
            for packet in try encoder.encode(frame) {
                let dts = timeBase.rescale(packet.dts ?? packet.pts ?? 0, to: .milliseconds)
                publication.send(MediaPacket(kind: .audio, codec: .aac, dts: max(dts, 0), timebase: 1000,
                                             isKeyframe: true, payload: ByteBuffer(bytes: packet.bytes)))
            }
        } catch {
            logger.warning("aac encoding failed", metadata: [LogKey.error: "\(error)"])
        }
    }
}
