/// A short piece of AAC audio, encoded once, that a transponder plays in place of its
/// stream's audio (silence for mute, a sound file for sound_on).
public struct AudioClip: Sendable {
    /// The AudioSpecificConfig packet to send before the clip's packets.
    public var config: MediaPacket
    /// AAC packets with timestamps in milliseconds from 0, in order.
    public var packets: [MediaPacket]
    /// Length in milliseconds: where a loop starts over. Always at least 1.
    public var durationMilliseconds: Int64

    /// Makes a clip; a duration below 1 ms is raised to 1 ms so that looping always advances.
    public init(config: MediaPacket, packets: [MediaPacket], durationMilliseconds: Int64) {
        self.config = config
        self.packets = packets
        self.durationMilliseconds = max(durationMilliseconds, 1)
    }
}

/// Sample rate and channel count of AAC audio: the format a transponder's clips are made in,
/// so that the receiver's audio keeps the stream's rate and channels at every switch.
public struct AudioFormat: Sendable, Hashable, CustomStringConvertible {
    /// Samples per second.
    public var sampleRate: Int
    /// Channel count (1...8).
    public var channels: Int

    /// 48 kHz stereo: for streams whose audio format is unknown (not published yet, not AAC).
    public static let standard = AudioFormat(sampleRate: 48_000, channels: 2)

    public init(sampleRate: Int, channels: Int) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// The format of a stream's AAC audio; nil without audio, for other codecs, or when the
    /// AudioSpecificConfig does not say (rate or channels 0).
    public init?(_ audio: CodecConfig.Audio?) {
        guard let audio, audio.codec == .aac, audio.sampleRate > 0, (1...8).contains(audio.channels) else { return nil }
        self.init(sampleRate: audio.sampleRate, channels: audio.channels)
    }

    public var description: String { "\(sampleRate) Hz, \(channels) ch" }
}

/// Makes the clips transponders play (`/push/mute`, `/push/sound_on`). Implemented where the
/// codecs are (Media), used where the pushes are (RTMP). Both methods do their encoding off the
/// event loops.
public protocol TransponderAudioFactory: Sendable {
    /// A block of AAC silence in `format` that loops seamlessly.
    /// - Throws: when the encoder cannot be opened.
    func silence(format: AudioFormat) async throws -> AudioClip
    /// The sound file `file` from the media folder, encoded once to AAC in `format`.
    /// - Throws: `ServiceError.notFound("No such file")` for a missing file, `ServiceError.invalid`
    ///   for a name outside the folder or a file that is not audio.
    func sound(file: String, format: AudioFormat) async throws -> AudioClip
}
