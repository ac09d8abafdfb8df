/// A file published as a stream (WCS §3.9): `vod-live://` shared, `vod://` for one subscriber.
public struct VOD: APIObject, Equatable {
    public static let kind = ObjectKind.vod
    public var objectID: String { uri + "|" + localStreamName }

    public var uri: String
    public var localStreamName: String
    public var localMediaSessionId: String?
    public var status: String
    public var hasAudio: Bool
    public var hasVideo: Bool
    public var record: Bool
    public var loop: Bool
    public var info: String?
    public var createDate: Int64

    public init(uri: String, localStreamName: String, loop: Bool, createDate: Int64) {
        self.uri = uri
        self.localStreamName = localStreamName
        self.localMediaSessionId = nil
        self.status = "PENDING"
        self.hasAudio = false
        self.hasVideo = false
        self.record = false
        self.loop = loop
        self.info = nil
        self.createDate = createDate
    }
}
