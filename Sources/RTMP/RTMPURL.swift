import Foundation

/// A parsed `rtmp://[user:pass@]host[:port]/app[/name]` URL.
public struct RTMPURL: Sendable, Equatable {
    /// Port used when the URL names none (RTMP's registered port).
    public static let defaultPort = 1935

    /// Host name or address.
    public var host: String
    /// TCP port.
    public var port: Int
    /// Application ("live").
    public var app: String
    /// Stream name, when the URL has one.
    public var streamName: String?
    /// User name from the URL, if any.
    public var user: String?
    /// Password from the URL, if any.
    public var password: String?

    /// Parses a URL.
    /// - Parameters:
    ///   - string: the URL; only `rtmp://` is accepted (rtmps needs TLS, not built in yet).
    ///   - hasStreamName: true when the last path component is the stream name; false when
    ///     the whole path is the app (a `/push/startup` URL without `rtmpTransponderFullUrl`).
    /// - Throws: `RTMPError.invalidURL`.
    public init(_ string: String, hasStreamName: Bool) throws(RTMPError) {
        guard let components = URLComponents(string: string), let scheme = components.scheme?.lowercased() else {
            throw .invalidURL("not a URL")
        }
        guard scheme == "rtmp" else { throw .invalidURL("scheme \(scheme) is not supported; use rtmp://") }
        guard let host = components.host, !host.isEmpty else { throw .invalidURL("no host") }
        self.host = host
        self.port = components.port ?? Self.defaultPort
        self.user = components.user
        self.password = components.password
        var parts = components.path.split(separator: "/").map(String.init)
        if hasStreamName {
            guard parts.count >= 2, let last = parts.popLast() else { throw .invalidURL("URL has no app and stream name") }
            self.streamName = last + (components.query.map { "?\($0)" } ?? "")
        } else {
            self.streamName = nil
        }
        guard !parts.isEmpty else { throw .invalidURL("URL has no app") }
        self.app = parts.joined(separator: "/")
    }

    /// The `tcUrl` sent in `connect`: the URL without credentials and stream name.
    public var tcUrl: String {
        "rtmp://\(host):\(port)/\(app)"
    }

    /// The app as sent in `connect`: with `?user=…&pass=…` when the URL carries credentials
    /// (the form nginx-rtmp `on_connect`/`on_publish` hooks and most servers read).
    var connectApp: String {
        guard let user else { return app }
        let encoded = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        return "\(app)?user=\(encoded(user))&pass=\(encoded(password ?? ""))"
    }
}
