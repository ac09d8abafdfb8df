import Core

/// The audio track of a file in the media folder, opened with the checks and errors that
/// `/push/sound_on` and `/call/inject_sound` share: the name stays inside the folder, the file
/// exists, has audio and is at most `SoundFile.maxSeconds` long.
struct AudioFileInput {
    /// The opened file.
    let demuxer: Demuxer
    /// Its best audio track.
    let audio: InputStream

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
    }
}
