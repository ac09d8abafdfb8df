/// One file of the server's media folder, as `/media/find_all` lists it (a Switchboard
/// extension: WCS has no way to list media files).
public struct MediaFile: Codable, Sendable, Equatable {
    /// The path inside the media folder, `/`-separated (`beep.wav`, `jingles/intro.wav`): what
    /// `push/sound_on`, `call/inject_sound` and `vod/startup` take.
    public var fileName: String
    /// Size in bytes.
    public var size: Int64
    /// Last modification, ms since 1970.
    public var modified: Int64

    public init(fileName: String, size: Int64, modified: Int64) {
        self.fileName = fileName
        self.size = size
        self.modified = modified
    }
}
