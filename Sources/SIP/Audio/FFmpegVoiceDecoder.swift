import Media

/// An FFmpeg audio decoder (G.722) giving mono 16-bit samples at the codec's rate. Holes are
/// silence, as for G.711: G.722 has no concealment in FFmpeg (Opus has its own decoder for that).
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

    func conceal(samples: Int, before next: [UInt8]?) -> [Int16] { [Int16](repeating: 0, count: samples) }
}
