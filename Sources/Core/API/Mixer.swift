/// A stream mixer (WCS §3.7, 5.2 shape).
public struct Mixer: APIObject, Equatable {
    public static let kind = ObjectKind.mixer
    public var objectID: String { uri }

    /// One input of a mixer.
    public struct Input: Codable, Sendable, Equatable {
        public var localMediaSessionId: String?
        public var localStreamName: String
        /// Audio level 0–100.
        public var audioLevel: Int
        public var videoMuted: Bool
        public init(localStreamName: String, localMediaSessionId: String? = nil) {
            self.localStreamName = localStreamName
            self.localMediaSessionId = localMediaSessionId
            self.audioLevel = 0
            self.videoMuted = false
        }
    }

    public var uri: String
    public var localStreamName: String
    public var localMediaSessionId: String?
    public var status: String
    public var hasAudio: Bool
    public var hasVideo: Bool
    public var record: Bool
    public var mediaSessions: [Input]
    public var info: String?
    public var createDate: Int64

    public init(uri: String, localStreamName: String, createDate: Int64) {
        self.uri = uri
        self.localStreamName = localStreamName
        self.localMediaSessionId = nil
        self.status = "PROCESSED_LOCAL"
        self.hasAudio = true
        self.hasVideo = true
        self.record = false
        self.mediaSessions = []
        self.info = nil
        self.createDate = createDate
    }
}

/// The body of `/mixer/test/start` and the answer of `/mixer/test/get_start_example` (WCS §3.10).
public struct MixerTest: Codable, Sendable, Equatable {
    public var feedingStreams: [String]
    public var mixerCount: Int
    public var streamsInMixer: Int
    public var intervalInSeconds: Int

    public init(feedingStreams: [String], mixerCount: Int, streamsInMixer: Int, intervalInSeconds: Int) {
        self.feedingStreams = feedingStreams
        self.mixerCount = mixerCount
        self.streamsInMixer = streamsInMixer
        self.intervalInSeconds = intervalInSeconds
    }
}
