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
        let converter = try input.readable { try PCMConverter(sampleRate: sampleRate) }
        var samples: [Int16] = []
        try input.decodeFrames(startAtZero: false) { frame in
            samples += try converter.convert(frame, timeBase: input.audio.timeBase)
        }
        self.samples = samples
        self.sampleRate = sampleRate
    }
}
