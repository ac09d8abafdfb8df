import Media

/// Turns one 20 ms frame of mono PCM into an RTP payload. Lives on one call's codec queue.
protocol CallAudioEncoder {
    /// The payload for `samples` (one frame at the codec's rate); nil while the encoder has
    /// nothing to give yet.
    /// - Throws: `MediaError` when FFmpeg rejects the frame.
    func encode(_ samples: [Int16]) throws -> [UInt8]?
}

/// Turns one RTP payload into mono PCM at the codec's rate. Lives on one call's codec queue.
protocol CallAudioDecoder {
    /// The samples of `payload`.
    /// - Throws: `MediaError` when FFmpeg rejects the payload.
    func decode(_ payload: [UInt8]) throws -> [Int16]
}

/// G.711 both ways, by table: cheap enough for any thread.
struct G711Coder: CallAudioEncoder, CallAudioDecoder {
    /// µ-law or A-law.
    let law: G711.Law

    func encode(_ samples: [Int16]) -> [UInt8]? { samples.map { G711.encode($0, law: law) } }

    func decode(_ payload: [UInt8]) -> [Int16] { G711.decode(payload, law: law) }
}

/// An FFmpeg audio encoder (G.722, libopus) fed 16-bit mono frames of a fixed size.
final class FFmpegVoiceEncoder: CallAudioEncoder {
    /// Opus bitrate: wideband speech quality at a third of G.711's.
    static let bitrate = 24_000

    private let encoder: Encoder
    private let sampleRate: Int
    private var nextPTS: Int64 = 0
    /// Packets beyond the first of one encode call, sent with the next frames.
    private var pending: [[UInt8]] = []

    /// - Throws: `MediaError` when FFmpeg has no such encoder or it wants another frame size.
    init(codecName: String, sampleRate: Int, frameSamples: Int) throws(MediaError) {
        var options = AudioEncoderOptions(codecName: codecName, sampleRate: sampleRate, channels: 1,
                                          bitrate: Self.bitrate)
        options.sampleFormat = .s16  // both g722 and libopus take it, so no conversion
        options.hasGlobalHeader = false  // RTP carries no codec config
        encoder = try Encoder(audio: options)
        self.sampleRate = sampleRate
        guard encoder.frameSize == 0 || encoder.frameSize == frameSamples else {
            throw .invalidArgument("\(codecName) wants \(encoder.frameSize)-sample frames, not \(frameSamples)")
        }
    }

    func encode(_ samples: [Int16]) throws -> [UInt8]? {
        let frame = try Frame.mono16(samples, sampleRate: sampleRate, pts: nextPTS)
        nextPTS += Int64(samples.count)
        pending += try encoder.encode(frame).map(\.bytes)
        return pending.isEmpty ? nil : pending.removeFirst()
    }
}

/// An FFmpeg audio decoder (G.722, Opus) giving mono 16-bit samples at the codec's rate.
final class FFmpegVoiceDecoder: CallAudioDecoder {
    private let decoder: Decoder
    private let converter: PCMConverter
    private let timeBase: Rational

    /// - Parameter channels: what the stream may carry (the converter mixes it down to mono).
    /// - Throws: `MediaError` when FFmpeg has no such decoder.
    init(codecName: String, sampleRate: Int, channels: Int) throws(MediaError) {
        timeBase = Rational(1, Int32(sampleRate))
        let parameters = try CodecParameters(audioCodec: codecName, sampleRate: sampleRate, channels: channels,
                                             extradata: [])
        decoder = try Decoder(parameters: parameters, timeBase: timeBase)
        converter = try PCMConverter(sampleRate: sampleRate)
    }

    func decode(_ payload: [UInt8]) throws -> [Int16] {
        let packet = try Packet(bytes: payload, pts: nil, dts: nil, isKeyframe: true, timeBase: timeBase)
        var samples: [Int16] = []
        for frame in try decoder.decode(packet) { samples += try converter.convert(frame, timeBase: timeBase) }
        return samples
    }
}

/// Converts mono 16-bit PCM from one rate to another (after a re-INVITE changed the codec's
/// rate, the call keeps its first one). Lives on one call's codec queue.
final class PCMRateConverter {
    /// The input rate.
    let inputRate: Int
    /// The output rate.
    let outputRate: Int
    private let converter: PCMConverter
    private var nextPTS: Int64 = 0

    /// - Throws: `MediaError` for a non-positive rate.
    init(from inputRate: Int, to outputRate: Int) throws(MediaError) {
        self.inputRate = inputRate
        self.outputRate = outputRate
        converter = try PCMConverter(sampleRate: outputRate)
    }

    /// The samples at the output rate (the resampler's delay makes the first call give fewer).
    /// - Throws: `MediaError` when resampling fails.
    func convert(_ samples: [Int16]) throws -> [Int16] {
        guard !samples.isEmpty else { return [] }
        let frame = try Frame.mono16(samples, sampleRate: inputRate, pts: nextPTS)
        nextPTS += Int64(samples.count)
        return try converter.convert(frame, timeBase: Rational(1, Int32(inputRate)))
    }
}

extension Frame {
    /// A mono 16-bit frame holding a copy of `samples`.
    /// - Throws: `MediaError` for an empty frame or an allocation failure.
    static func mono16(_ samples: [Int16], sampleRate: Int, pts: Int64) throws(MediaError) -> Frame {
        let frame = try Frame(samples: samples.count, format: .s16, sampleRate: sampleRate, channels: 1)
        frame.withPlane(0) { data, _ in
            samples.withUnsafeBytes { UnsafeMutableRawBufferPointer(start: data, count: $0.count).copyMemory(from: $0) }
        }
        frame.pts = pts
        return frame
    }
}
