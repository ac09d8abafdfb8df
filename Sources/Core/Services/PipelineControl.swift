/// RTSP pulls (`/rtsp/*`).
public protocol RTSPControl: Sendable {
    func startup(_ request: RTSPStartupRequest) async throws -> RtspAgent
    func terminate(uri: String) async throws
}

/// Transcoders (`/transcoder/*`).
public protocol TranscoderControl: Sendable {
    func startup(_ request: TranscoderStartupRequest) async throws -> Transcoder
    func terminate(uri: String) async throws
}

/// File playback as streams (`/vod/*`).
public protocol VODControl: Sendable {
    func startup(_ request: VODStartupRequest) async throws -> VOD
    /// Stops the VOD with this registry key (see `VOD.objectID`).
    func terminate(objectID: String) async throws
}

/// SIP calls (`/call/*`).
public protocol CallControl: Sendable {
    func startup(_ request: CallStartupRequest) async throws -> Call
    func terminate(callId: String) async throws
    func sendDTMF(callId: String, dtmf: String, type: String) async throws
    func injectStream(callId: String, streamName: String) async throws
    func injectSound(callId: String, fileName: String, loop: Bool) async throws
    /// Ends an injected stream or sound: the call hears silence again.
    func stopInjection(callId: String) async throws
}
