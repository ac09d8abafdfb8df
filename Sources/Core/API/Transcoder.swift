/// Output settings of a transcoder: the WCS `Encoder` object (§3.8), renamed so it does not shadow `Swift.Encoder`.
public struct EncoderSettings: Codable, Sendable, Equatable {
    /// Output width; 0 keeps the aspect ratio from `height`.
    public var width: Int?
    /// Output height; 0 keeps the aspect ratio from `width`.
    public var height: Int?
    /// GOP length in frames.
    public var keyFrameInterval: Int?
    public var fps: Int?
    /// Video bitrate in kbps.
    public var bitrate: Int?
    /// Video codec ("H264").
    public var codec: String?
    /// Audio handling: "copy" (default) or an encoder name ("AAC").
    public var audioCodec: String?

    public init(width: Int? = nil, height: Int? = nil, keyFrameInterval: Int? = nil, fps: Int? = nil,
                bitrate: Int? = nil, codec: String? = nil, audioCodec: String? = nil) {
        self.width = width
        self.height = height
        self.keyFrameInterval = keyFrameInterval
        self.fps = fps
        self.bitrate = bitrate
        self.codec = codec
        self.audioCodec = audioCodec
    }
}

/// A transcoder from one stream to another (WCS §3.8).
public struct Transcoder: APIObject, Equatable {
    public static let kind = ObjectKind.transcoder
    public var objectID: String { uri }

    public var uri: String
    public var remoteStreamName: String
    public var localStreamName: String
    public var localMediaSessionId: String?
    public var status: String
    public var hasAudio: Bool
    public var hasVideo: Bool
    public var record: Bool
    public var encoder: EncoderSettings
    public var info: String?
    public var createDate: Int64

    public init(uri: String, remoteStreamName: String, localStreamName: String, encoder: EncoderSettings, createDate: Int64) {
        self.uri = uri
        self.remoteStreamName = remoteStreamName
        self.localStreamName = localStreamName
        self.localMediaSessionId = nil
        self.status = "PENDING"
        self.hasAudio = true
        self.hasVideo = true
        self.record = false
        self.encoder = encoder
        self.info = nil
        self.createDate = createDate
    }
}
