/// Metadata keys for log lines, so every subsystem tags its owner the same way.
public enum LogKey {
    public static let stream = "stream"
    public static let mediaSession = "media_session"
    public static let connection = "conn"
    public static let call = "call"
    public static let uri = "uri"
    public static let listener = "listener"
    public static let address = "address"
    public static let error = "error"
    public static let file = "file"
}

extension LogKey {
    /// The part of a subsystem a line comes from: "recorder", "vod", "rtsp", …
    public static let component = "component"
}
