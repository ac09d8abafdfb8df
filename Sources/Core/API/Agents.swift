/// An RTSP pull (WCS §3.4).
public struct RtspAgent: APIObject, Equatable {
    public static let kind = ObjectKind.rtspAgent
    public var objectID: String { uri }

    public var uri: String
    /// PENDING, CONNECTED, PLAYING, RECONNECTING, STOPPED, FAILED.
    public var status: String
    public var localStreamName: String
    public var localMediaSessionId: String?
    public var transport: String
    public var info: String?
    public var createDate: Int64

    public init(uri: String, localStreamName: String, transport: String = "TCP", createDate: Int64) {
        self.uri = uri
        self.status = "PENDING"
        self.localStreamName = localStreamName
        self.localMediaSessionId = nil
        self.transport = transport
        self.info = nil
        self.createDate = createDate
    }
}

/// A pulled RTMP stream (WCS §3.5).
public struct RtmpAgent: APIObject, Equatable {
    public static let kind = ObjectKind.rtmpAgent
    public var objectID: String { uri }

    public var uri: String
    public var localStreamName: String
    public var localMediaSessionId: String?
    /// PENDING, CONNECTED, PROCESSED_REMOTE, RECONNECTING, STOPPED, FAILED.
    public var status: String
    public var hasAudio: Bool
    public var hasVideo: Bool
    public var record: Bool
    public var info: String?
    public var createDate: Int64

    public init(uri: String, localStreamName: String, createDate: Int64) {
        self.uri = uri
        self.localStreamName = localStreamName
        self.localMediaSessionId = nil
        self.status = "PENDING"
        self.hasAudio = true
        self.hasVideo = true
        self.record = false
        self.info = nil
        self.createDate = createDate
    }
}

/// A WebRTC pull from, or push to, another server (WCS §3.6).
public struct PullAgent: APIObject, Equatable {
    public static let kind = ObjectKind.pullAgent
    public var objectID: String { "\(uri)|\(localStreamName)|\(remoteStreamName)" }

    public var uri: String
    public var localStreamName: String
    public var remoteStreamName: String
    public var localMediaSessionId: String?
    public var remoteMediaSessionId: String?
    /// NEW, PENDING, CONNECTED, PROCESSED_REMOTE, STOPPED, FAILED.
    public var status: String
    public var info: String?
    public var createDate: Int64

    public init(uri: String, localStreamName: String, remoteStreamName: String, createDate: Int64) {
        self.uri = uri
        self.localStreamName = localStreamName
        self.remoteStreamName = remoteStreamName
        self.localMediaSessionId = nil
        self.remoteMediaSessionId = nil
        self.status = "NEW"
        self.info = nil
        self.createDate = createDate
    }
}
