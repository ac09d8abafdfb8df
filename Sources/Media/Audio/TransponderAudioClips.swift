import Core

/// Media's `TransponderAudioFactory`: silence and sound files from the media folder, encoded
/// to AAC (48 kHz stereo) once, each on a thread of its own so no event loop waits on FFmpeg.
public struct TransponderAudioClips: TransponderAudioFactory {
    /// Length of the silence clip in milliseconds: 45 AAC frames of 1024 samples at 48 kHz, so
    /// the clip loops on a frame boundary with a whole-millisecond duration.
    public static let silenceMilliseconds = 960

    private let mediaDirectory: String

    /// - Parameter mediaDirectory: where `sound(file:)` looks for files.
    public init(mediaDirectory: String) {
        self.mediaDirectory = mediaDirectory
    }

    /// A loopable block of AAC silence.
    /// - Throws: `MediaError` when the encoder cannot be opened or fails.
    public func silence() async throws -> AudioClip {
        try await PipelineThread.run(name: "silence") {
            let encoding = try AACEncoding()
            var packets = try encoding.silence(startMilliseconds: 0, milliseconds: Self.silenceMilliseconds)
            packets += try encoding.encode(nil, timeBase: Rational(1, Int32(AACEncoding.sampleRate)))
            packets = packets.filter { $0.dts < Int64(Self.silenceMilliseconds) }
            return AudioClip(config: encoding.configPacket, packets: packets,
                             durationMilliseconds: Int64(Self.silenceMilliseconds))
        }
    }

    /// `file` from the media folder, encoded once.
    /// - Throws: see `SoundFile.init`.
    public func sound(file: String) async throws -> AudioClip {
        let directory = mediaDirectory
        return try await PipelineThread.run(name: "sound-file") {
            let sound = try SoundFile(name: file, mediaDirectory: directory)
            return AudioClip(config: sound.configPacket, packets: sound.packets,
                             durationMilliseconds: sound.durationMilliseconds)
        }
    }
}
