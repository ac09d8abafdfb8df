/// A SIP call (WCS §3.2).
public struct Call: APIObject, Equatable {
    public static let kind = ObjectKind.call
    public var objectID: String { callId }

    /// Call status values (WebSDK CALL_STATUS).
    public enum Status: String, Codable, Sendable, CaseIterable {
        case NEW, PENDING, TRYING, RING, RING_MEDIA, SESSION_PROGRESS, ESTABLISHED, HOLD, BUSY, FINISH, FAILED
    }

    public var callId: String
    /// true for a call the far end placed (an INVITE accepted with `--sip-incoming accept`).
    public var incoming: Bool
    public var status: Status
    /// The last SIP status code seen (180, 200, 486...).
    public var sipStatus: Int?
    public var info: String?
    public var caller: String?
    public var callee: String
    public var visibleName: String?
    public var rtmpUrl: String?
    public var rtmpStream: String?
    public var toStream: String?
    public var hasAudio: Bool
    public var hasVideo: Bool
    public var muted: Bool
    public var mediaProvider: String
    public var appKey: String?
    public var sessionId: String?
    public var nodeId: String?
    public var custom: [String: JSONValue]
    public var createDate: Int64

    public init(callId: String, callee: String, incoming: Bool = false, status: Status = .NEW, createDate: Int64) {
        self.callId = callId
        self.incoming = incoming
        self.status = status
        self.sipStatus = nil
        self.info = nil
        self.caller = nil
        self.callee = callee
        self.visibleName = nil
        self.rtmpUrl = nil
        self.rtmpStream = nil
        self.toStream = nil
        self.hasAudio = true
        self.hasVideo = false
        self.muted = false
        self.mediaProvider = "SIP"
        self.appKey = nil
        self.sessionId = nil
        self.nodeId = nil
        self.custom = [:]
        self.createDate = createDate
    }
}
