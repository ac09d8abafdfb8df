import Core
import NIOCore

/// Re-encodes decoded audio of any layout into AAC-LC hub packets in one `AudioFormat`
/// (48 kHz stereo unless told): used for sources the hub cannot carry as they are (Opus from
/// RTSP), sound files and silence.
struct AACEncoding {
    /// AAC bitrate in bits per second (for stereo; mono gets half).
    static let bitrate = 128_000

    /// The output's rate and channels.
    let format: AudioFormat
    private let encoder: Encoder
    private let resampler: Resampler
    private let fifo: AudioFIFO
    /// The AudioSpecificConfig packet to send before the first media packet.
    let configPacket: MediaPacket

    /// - Parameter format: output rate and channels; 48 kHz stereo (Opus's native rate) by default.
    /// - Throws: `MediaError` when FFmpeg's AAC encoder cannot be opened (e.g. an unusual rate).
    init(format: AudioFormat = .standard) throws(MediaError) {
        self.format = format
        encoder = try Encoder(audio: AudioEncoderOptions(
            codecName: "aac", sampleRate: format.sampleRate, channels: format.channels,
            bitrate: Self.bitrate * min(format.channels, 2) / 2))
        resampler = try Resampler(sampleRate: format.sampleRate, channels: format.channels, format: .fltp)
        fifo = try AudioFIFO(format: .fltp, channels: format.channels, sampleRate: format.sampleRate)
        configPacket = MediaPacket(kind: .audio, codec: .aac, dts: 0, timebase: 1000, isKeyframe: true,
                                   isConfig: true, payload: ByteBuffer(bytes: encoder.parameters.extradata))
    }

    /// Length of one AAC frame (1024 samples) in milliseconds, rounded down.
    var frameMilliseconds: Int64 { Int64(1024 * 1000 / format.sampleRate) }

    /// AAC packets (milliseconds) for one decoded frame whose pts is in `timeBase`; nil flushes.
    /// Output timestamps continue from the first frame's pts.
    /// - Throws: `MediaError` when conversion or encoding fails.
    func encode(_ frame: Frame?, timeBase: Rational) throws(MediaError) -> [MediaPacket] {
        if let converted = try resampler.convert(frame, inputTimeBase: timeBase) { try fifo.write(converted) }
        var packets: [Packet] = []
        while let chunk = try fifo.read(samples: encoder.frameSize) { packets += try encoder.encode(chunk) }
        if frame == nil { packets += try encoder.encode(nil) }
        // Undo the encoder's priming offset so output times match input times (and never go below 0).
        let padding = Int64(encoder.initialPadding)
        return packets.map { packet in
            let dts = packet.timeBase.rescale((packet.dts ?? packet.pts ?? 0) + padding, to: .milliseconds)
            return MediaPacket(kind: .audio, codec: .aac, dts: dts, timebase: 1000, isKeyframe: true,
                               payload: ByteBuffer(bytes: packet.bytes))
        }
    }

    /// AAC packets of `milliseconds` of silence starting at `startMilliseconds` (for mute: the
    /// receiver keeps an audio track that carries nothing).
    /// - Throws: `MediaError` when encoding fails.
    func silence(startMilliseconds: Int64, milliseconds: Int) throws(MediaError) -> [MediaPacket] {
        let rate = format.sampleRate
        let samples = max(milliseconds * rate / 1000, 1)
        let frame = try Frame(samples: samples, format: .fltp, sampleRate: rate, channels: format.channels)
        for channel in 0..<format.channels {
            _ = frame.withPlane(channel) { data, _ in
                data?.initializeMemory(as: Float.self, repeating: 0, count: samples)
            }
        }
        frame.pts = Rational.milliseconds.rescale(startMilliseconds, to: Rational(1, Int32(rate)))
        return try encode(frame, timeBase: Rational(1, Int32(rate)))
    }
}

/// AAC encodings belong to the one pipeline thread that uses them.
@available(*, unavailable) extension AACEncoding: Sendable {}
