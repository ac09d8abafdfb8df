import Foundation

/// A published stream or a player of one (WCS §3.1). Players are streams with `published: false`.
public struct Stream: APIObject, Equatable {
    public static let kind = ObjectKind.stream
    public var objectID: String { mediaSessionId }

    /// Stream status values WCS uses.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case NEW, PENDING, PUBLISHING, PLAYING, PAUSED, UNPUBLISHED, STOPPED, FAILED
    }

    /// Mute state of one media kind.
    public struct MediaState: Codable, Sendable, Equatable {
        public var muted: Bool
        public init(muted: Bool = false) { self.muted = muted }
    }

    public var name: String
    public var mediaSessionId: String
    /// true for a publisher, false for a player.
    public var published: Bool
    public var hasAudio: Bool
    public var hasVideo: Bool
    public var status: Status
    /// Why the stream is in its status ("Stopped by rest /terminate"), or nil.
    public var info: String?
    public var record: Bool
    public var recordName: String?
    public var width: Int
    public var height: Int
    /// Measured bitrate over the last seconds, in kbps.
    public var bitrate: Int
    public var quality: Int
    public var fps: Int
    public var audioCodec: String?
    public var videoCodec: String?
    /// How the media arrives or leaves: "RTMP", "RTSP", "SIP", "WebRTC", "VOD", "Mixer", "Transcoder".
    public var mediaProvider: String
    public var sessionId: String?
    public var appKey: String?
    public var nodeId: String?
    public var rtmpUrl: String?
    public var custom: [String: JSONValue]
    /// Creation time in milliseconds since 1970.
    public var createDate: Int64
    /// "publish" or "play".
    public var mediaType: String
    /// "TCP" or "UDP".
    public var transport: String?
    public var audioState: MediaState
    public var videoState: MediaState
    /// Packets a slow player dropped (players only; Switchboard extension).
    public var droppedPackets: Int

    public init(
        name: String, mediaSessionId: String = UUID().uuidString.lowercased(), published: Bool,
        mediaProvider: String, status: Status = .NEW, hasAudio: Bool = false, hasVideo: Bool = false,
        createDate: Int64 = Int64(Date().timeIntervalSince1970 * 1000)
    ) {
        self.name = name
        self.mediaSessionId = mediaSessionId
        self.published = published
        self.hasAudio = hasAudio
        self.hasVideo = hasVideo
        self.status = status
        self.info = nil
        self.record = false
        self.recordName = nil
        self.width = 0
        self.height = 0
        self.bitrate = 0
        self.quality = 0
        self.fps = 0
        self.audioCodec = nil
        self.videoCodec = nil
        self.mediaProvider = mediaProvider
        self.sessionId = nil
        self.appKey = nil
        self.nodeId = nil
        self.rtmpUrl = nil
        self.custom = [:]
        self.createDate = createDate
        self.mediaType = published ? "publish" : "play"
        self.transport = nil
        self.audioState = MediaState()
        self.videoState = MediaState()
        self.droppedPackets = 0
    }
}
