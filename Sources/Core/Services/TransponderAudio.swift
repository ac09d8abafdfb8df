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

/// Makes the clips transponders play (`/push/mute`, `/push/sound_on`). Implemented where the
/// codecs are (Media), used where the pushes are (RTMP). Both methods do their encoding off the
/// event loops.
public protocol TransponderAudioFactory: Sendable {
    /// A block of AAC silence that loops seamlessly.
    /// - Throws: when the encoder cannot be opened.
    func silence() async throws -> AudioClip
    /// The sound file `file` from the media folder, encoded once.
    /// - Throws: `ServiceError.notFound("No such file")` for a missing file, `ServiceError.invalid`
    ///   for a name outside the folder or a file that is not audio.
    func sound(file: String) async throws -> AudioClip
}
