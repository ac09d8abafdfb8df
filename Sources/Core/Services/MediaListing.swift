/// Lists the media folder (`/media/find_all`, a Switchboard extension).
public protocol MediaListing: Sendable {
    /// The files a sound, call or VOD method can be given, sorted by name.
    func files() -> [MediaFile]
}
