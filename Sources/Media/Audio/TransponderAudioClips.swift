import Core

/// Media's `TransponderAudioFactory`: silence and sound files from the media folder, encoded
/// once to AAC in the stream's rate and channels, each on a thread of its own so no event loop
/// waits on FFmpeg.
public struct TransponderAudioClips: TransponderAudioFactory {
    /// About how long the silence clip lasts, in milliseconds; it is a whole number of AAC
    /// frames (at 48 kHz exactly 45 frames, 960 ms) so that it loops on a frame boundary.
    public static let silenceMilliseconds = 960

    private let mediaDirectory: String

    /// - Parameter mediaDirectory: where `sound(file:format:)` looks for files.
    public init(mediaDirectory: String) {
        self.mediaDirectory = mediaDirectory
    }

    /// A loopable block of AAC silence in `format`: whole AAC frames, lasting about
    /// `silenceMilliseconds` (the clip's duration is that of its frames, rounded to the millisecond).
    /// - Throws: `MediaError` when the encoder cannot be opened or fails.
    public func silence(format: AudioFormat = .standard) async throws -> AudioClip {
        try await PipelineThread.run(name: "silence") {
            let encoding = try AACEncoding(format: format)
            let frames = (Self.silenceMilliseconds * format.sampleRate + 512_000) / 1_024_000
            let duration = Int64((frames * 1024 * 1000 + format.sampleRate / 2) / format.sampleRate)
            var packets = try encoding.silence(startMilliseconds: 0, milliseconds: Int(duration) + 50)
            packets += try encoding.encode(nil, timeBase: Rational(1, Int32(format.sampleRate)))
            packets = Array(packets.prefix(frames))
            return AudioClip(config: encoding.configPacket, packets: packets, durationMilliseconds: duration)
        }
    }

    /// `file` from the media folder, encoded once to AAC in `format`.
    /// - Throws: see `SoundFile.init`.
    public func sound(file: String, format: AudioFormat = .standard) async throws -> AudioClip {
        let directory = mediaDirectory
        return try await PipelineThread.run(name: "sound-file") {
            let sound = try SoundFile(name: file, mediaDirectory: directory, format: format)
            return AudioClip(config: sound.configPacket, packets: sound.packets,
                             durationMilliseconds: sound.durationMilliseconds)
        }
    }
}
