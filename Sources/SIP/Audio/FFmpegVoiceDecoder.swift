import Media

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
