/// The object sets the API exposes; the event stream names them with these raw values.
public enum ObjectKind: String, Sendable, Codable, CaseIterable {
    case stream, call, transponder, rtspAgent, rtmpAgent, pullAgent, mixer, transcoder, vod, connection
}

/// An object the API lists and the event stream reports: a WCS object with a stable key.
public protocol APIObject: Codable, Sendable {
    /// Which object set this belongs to.
    static var kind: ObjectKind { get }
    /// The key that identifies this object within its set (mediaSessionId, callId, uri...).
    var objectID: String { get }
}
