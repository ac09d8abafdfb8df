import Core

/// A sound file from the media folder (WAV or any audio FFmpeg reads) decoded once into mono
/// 16-bit samples at one rate, for `/call/inject_sound` (a SIP call plays it as G.711).
public struct PCMSound: Sendable {
    /// The samples, mono, at `sampleRate`.
    public let samples: [Int16]
    /// Samples per second.
    public let sampleRate: Int

    /// Reads, decodes and resamples `name` from `mediaDirectory`. Blocking: call it off the
    /// event loops (e.g. inside `PipelineThread.run`). At most `SoundFile.maxSeconds` long.
    /// - Throws: `ServiceError.notFound("No such file")` for a missing file, `.invalid` for a
    ///   name outside the folder, a file without audio, one that is too long or unreadable.
    public init(name: String, mediaDirectory: String, sampleRate: Int) throws {
        let input = try AudioFileInput(name: name, mediaDirectory: mediaDirectory, field: "fileName")
        let demuxer = input.demuxer
        let audio = input.audio
        do {
            let decoder = try Decoder(parameters: audio.parameters, timeBase: audio.timeBase)
            let converter = try PCMConverter(sampleRate: sampleRate)
            var samples: [Int16] = []
            while let packet = try demuxer.read() {
                guard packet.streamIndex == audio.index else { continue }
                for frame in try decoder.decode(packet) { samples += try converter.convert(frame, timeBase: audio.timeBase) }
            }
            for frame in try decoder.decode(nil) { samples += try converter.convert(frame, timeBase: audio.timeBase) }
            samples += try converter.convert(nil, timeBase: audio.timeBase)
            self.samples = samples
            self.sampleRate = sampleRate
        } catch {
            throw ServiceError.invalid("\(name) is not a readable sound file: \(error)", field: "fileName")
        }
    }
}
