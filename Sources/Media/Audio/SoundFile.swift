import Core

/// A sound file from the media folder (WAV or any audio FFmpeg reads) encoded once into AAC
/// hub packets, for `/push/sound_on` and `/call/inject_sound`. Timestamps start at 0 ms.
/// The AAC has the rate and channels asked for (those of the stream it replaces), whatever the file's are.
public struct SoundFile: Sendable {
    /// Longest file accepted, in seconds: sound effects and prompts, not programmes.
    public static let maxSeconds = 600.0

    /// The AudioSpecificConfig packet to send before `packets`.
    public let configPacket: MediaPacket
    /// The AAC packets, milliseconds from 0.
    public let packets: [MediaPacket]
    /// Length in milliseconds (where a loop starts over).
    public let durationMilliseconds: Int64

    /// Reads and encodes `name` from `mediaDirectory` to AAC in `format`. Blocking: call it off
    /// the event loops (e.g. inside `PipelineThread.run`).
    /// - Throws: `ServiceError.notFound("No such file")` for a missing file, `.invalid` for a
    ///   name outside the folder, a file without audio or one that is too long.
    public init(name: String, mediaDirectory: String, format: AudioFormat = .standard) throws {
        let input = try AudioFileInput(name: name, mediaDirectory: mediaDirectory, field: "soundFile")
        let aac = try input.readable { try AACEncoding(format: format) }
        var packets: [MediaPacket] = []
        try input.decodeFrames(startAtZero: true) { frame in
            packets += try aac.encode(frame, timeBase: input.audio.timeBase)
        }
        configPacket = aac.configPacket
        self.packets = packets
        durationMilliseconds = (packets.last?.dts ?? 0) + aac.frameMilliseconds
    }
}
