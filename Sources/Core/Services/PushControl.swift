/// RTMP republishing (`/push/*`).
public protocol PushControl: Sendable {
    /// Creates a transponder; it waits for the stream when it is not published yet.
    func startup(_ request: PushStartupRequest) async throws -> Transponder
    /// Stops a transponder and removes it.
    func terminate(mediaSessionId: String) async throws
    /// Replaces the transponder's audio with silence (true) or restores it (false).
    func setMuted(mediaSessionId: String, _ muted: Bool) async throws
    /// Plays a WAV from the media folder into the transponder's audio.
    func soundOn(mediaSessionId: String, soundFile: String, loop: Bool) async throws
    /// Returns to the stream's own audio.
    func soundOff(mediaSessionId: String) async throws
}

/// Pulls of remote RTMP streams (`/pull/rtmp/*`).
public protocol RTMPPullControl: Sendable {
    /// Starts pulling `request.uri` into a local stream.
    func pull(_ request: RTMPPullRequest) async throws -> RtmpAgent
    /// Stops the pull of `uri` and ends its local stream.
    func terminate(uri: String) async throws
}
