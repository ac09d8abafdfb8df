import Core

/// The audio track of a file in the media folder, opened with the checks and errors that
/// `/push/sound_on` and `/call/inject_sound` share: the name stays inside the folder, the file
/// exists, has audio and is at most `SoundFile.maxSeconds` long.
struct AudioFileInput {
    /// The opened file.
    let demuxer: Demuxer
    /// Its best audio track.
    let audio: InputStream
    /// The name asked for and the request field that errors name.
    let name: String
    let field: String

    /// Opens `name` in `mediaDirectory`. Blocking: call it off the event loops.
    /// - Parameter field: the request field the errors name.
    /// - Throws: `ServiceError.notFound("No such file")` for a missing file, `.invalid` for a
    ///   name outside the folder, a file without audio, one that is too long or unreadable.
    init(name: String, mediaDirectory: String, field: String) throws {
        let path: String
        do {
            path = try SafePath.resolve(name, in: mediaDirectory, mustExist: true)
        } catch {
            if case .notFound = error { throw ServiceError.notFound("No such file") }
            throw ServiceError.invalid(error.description, field: field)
        }
        do {
            demuxer = try Demuxer(url: ProtocolWhitelist.fileURL(path), whitelist: .file)
        } catch {
            throw ServiceError.invalid("\(name) is not a readable sound file: \(error)", field: field)
        }
        guard let audio = demuxer.bestStream(.audio) else { throw ServiceError.invalid("\(name) has no audio", field: field) }
        if let duration = demuxer.duration, duration > SoundFile.maxSeconds {
            throw ServiceError.invalid("\(name) is longer than \(Int(SoundFile.maxSeconds)) s", field: field)
        }
        self.audio = audio
        self.name = name
        self.field = field
    }

    /// Decodes the whole audio track: every frame of every audio packet, then the frames the
    /// decoder held back, then `nil` so `consume` can flush what it holds too.
    /// - Parameters:
    ///   - startAtZero: stamp the first audio packet 0, so the frames' timestamps count from
    ///     the start of the sound rather than from wherever the file's clock starts.
    ///   - consume: gets the frames, in `audio.timeBase`.
    /// - Throws: `.invalid("<name> is not a readable sound file: …")` for any failure, of the
    ///   decoder or of `consume`.
    func decodeFrames(startAtZero: Bool, _ consume: (Frame?) throws -> Void) throws {
        try readable {
            let decoder = try Decoder(parameters: audio.parameters, timeBase: audio.timeBase)
            var isFirst = startAtZero
            while let packet = try demuxer.read() {
                guard packet.streamIndex == audio.index else { continue }
                if isFirst { packet.pts = 0; packet.dts = 0; isFirst = false }
                for frame in try decoder.decode(packet) { try consume(frame) }
            }
            for frame in try decoder.decode(nil) { try consume(frame) }
            try consume(nil)
        }
    }

    /// Runs `body`, turning any error into "not a readable sound file", naming the request field.
    /// Only FFmpeg errors get here: the initializer has already checked the name and the audio.
    func readable<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw ServiceError.invalid("\(name) is not a readable sound file: \(error)", field: field)
        }
    }
}
