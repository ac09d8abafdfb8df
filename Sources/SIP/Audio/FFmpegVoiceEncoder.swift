import Media

/// An FFmpeg audio encoder (G.722) fed 16-bit mono frames of a fixed size.
final class FFmpegVoiceEncoder: CallAudioEncoder {
    /// G.722's one rate (FFmpeg's g722 encoder has no other mode).
    static let bitrate = 64_000

    private let encoder: Encoder
    private let sampleRate: Int
    private var nextPTS: Int64 = 0
    /// Packets beyond the first of one encode call, sent with the next frames.
    private var pending: [[UInt8]] = []

    /// - Throws: `MediaError` when FFmpeg has no such encoder or it wants another frame size.
    init(codecName: String, sampleRate: Int, frameSamples: Int) throws(MediaError) {
        var options = AudioEncoderOptions(codecName: codecName, sampleRate: sampleRate, channels: 1,
                                          bitrate: Self.bitrate)
        options.sampleFormat = .s16  // g722 takes it, so no conversion
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
