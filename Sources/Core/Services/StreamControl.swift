/// Ends the sessions behind streams: a publisher's connection, a player's subscription.
public protocol StreamControl: Sendable {
    /// Stops each stream's session; `reason` becomes the stream's `info` ("Stopped by rest /terminate").
    func terminate(mediaSessionIds: [String], reason: String) async
}

/// Records streams to files (`/stream/startRecording`, `/stream/stopRecording`).
public protocol RecordingControl: Sendable {
    /// Starts recording the media session; returns the recording's file name.
    func startRecording(mediaSessionId: String, fileTemplate: String?) async throws -> String
    /// Stops and finalizes the recording of the media session.
    func stopRecording(mediaSessionId: String) async throws
}

/// Takes PNG snapshots of streams (`/stream/snapshot`).
public protocol SnapshotControl: Sendable {
    /// The newest decodable picture of the stream, as PNG bytes.
    func snapshot(streamName: String) async throws -> [UInt8]
}
