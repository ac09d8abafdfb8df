/// The protocols FFmpeg may use for one open call (its `protocol_whitelist` option).
/// Every URL FFmpeg opens goes through one of these, so an API-given name can never make
/// FFmpeg read a local file, fetch over HTTP or follow a playlist somewhere else.
public struct ProtocolWhitelist: Sendable, Equatable {
    /// The comma-separated list given to FFmpeg.
    public let protocols: String
    /// URL prefixes the caller's URL must start with (checked before FFmpeg sees it).
    let prefixes: [String]

    /// Local files only ("file"); the URL must be `file:` + an absolute path.
    public static let file = ProtocolWhitelist(protocols: "file", prefixes: ["file:/"])
    /// RTSP with its transports ("rtsp,rtp,udp,tcp"); the URL must be `rtsp://`.
    public static let rtsp = ProtocolWhitelist(protocols: "rtsp,rtp,udp,tcp", prefixes: ["rtsp://"])

    /// true when `url` starts with a prefix this whitelist allows.
    public func allows(_ url: String) -> Bool {
        prefixes.contains { url.lowercased().hasPrefix($0) }
    }

    /// The URL FFmpeg gets for a local path: `file:` keeps a ':' in a name from reading as a protocol.
    public static func fileURL(_ path: String) -> String { "file:" + path }
}
