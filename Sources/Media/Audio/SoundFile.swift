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
        let demuxer = input.demuxer
        let audio = input.audio
        do {
            let decoder = try Decoder(parameters: audio.parameters, timeBase: audio.timeBase)
            let aac = try AACEncoding(format: format)
            var packets: [MediaPacket] = []
            var isFirst = true
            while let packet = try demuxer.read() {
                guard packet.streamIndex == audio.index else { continue }
                if isFirst { packet.pts = 0; packet.dts = 0; isFirst = false }
                for frame in try decoder.decode(packet) { packets += try aac.encode(frame, timeBase: audio.timeBase) }
            }
            for frame in try decoder.decode(nil) { packets += try aac.encode(frame, timeBase: audio.timeBase) }
            packets += try aac.encode(nil, timeBase: audio.timeBase)
            configPacket = aac.configPacket
            self.packets = packets
            durationMilliseconds = (packets.last?.dts ?? 0) + aac.frameMilliseconds
        } catch {
            // Only FFmpeg errors reach here: AudioFileInput has already checked the name and audio.
            throw ServiceError.invalid("\(name) is not a readable sound file: \(error)", field: "soundFile")
        }
    }
}
