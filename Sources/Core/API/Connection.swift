/// A connected client session (WCS §3.11): WebSocket signalling clients and RTMP connections.
/// SIP credentials are never part of it: they would leak through find_all.
public struct Connection: APIObject, Equatable {
    public static let kind = ObjectKind.connection
    public var objectID: String { sessionId }

    /// `/<client-ip>:<port>/<server-ip>:<port>`, as WCS formats it.
    public var sessionId: String
    public var appKey: String
    public var clientVersion: String?
    public var clientOSVersion: String?
    public var clientBrowserVersion: String?
    /// "WebSocket" or "RTMP".
    public var mediaProvider: String
    public var status: String
    public var custom: [String: JSONValue]
    public var createDate: Int64

    public init(sessionId: String, appKey: String, mediaProvider: String, createDate: Int64) {
        self.sessionId = sessionId
        self.appKey = appKey
        self.clientVersion = nil
        self.clientOSVersion = nil
        self.clientBrowserVersion = nil
        self.mediaProvider = mediaProvider
        self.status = "ESTABLISHED"
        self.custom = [:]
        self.createDate = createDate
    }
}
