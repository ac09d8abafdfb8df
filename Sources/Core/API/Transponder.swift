/// An RTMP republisher of a stream (WCS §3.3), made by `/push/startup`.
public struct Transponder: APIObject, Equatable {
    public static let kind = ObjectKind.transponder
    public var objectID: String { mediaSessionId }

    public var mediaSessionId: String
    /// The stream being republished.
    public var localStreamName: String
    /// The name published at the far end (`rtmp_<name>` unless the URL is full).
    public var streamName: String
    public var rtmpUrl: String
    public var width: Int
    public var height: Int
    public var muted: Bool
    public var soundEnabled: Bool
    public var options: [String: JSONValue]
    /// Agent status: PENDING (waiting for the stream), CONNECTING, PROCESSED_LOCAL (pushing), RECONNECTING, FAILED, STOPPED.
    public var status: String
    public var info: String?
    public var createDate: Int64

    public init(mediaSessionId: String, localStreamName: String, streamName: String, rtmpUrl: String, createDate: Int64) {
        self.mediaSessionId = mediaSessionId
        self.localStreamName = localStreamName
        self.streamName = streamName
        self.rtmpUrl = rtmpUrl
        self.width = 0
        self.height = 0
        self.muted = false
        self.soundEnabled = false
        self.options = [:]
        self.status = "PENDING"
        self.info = nil
        self.createDate = createDate
    }
}
