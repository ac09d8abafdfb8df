import Foundation

/// Where the server is: its control socket (no auth, mode 0600) or its REST port.
public enum Endpoint: Sendable, Equatable, CustomStringConvertible {
    /// `<data-dir>/run/switchboard.sock`, or any path given with `--socket`.
    case unix(path: String)
    /// `--url http://host:port`; `authorization` is a ready `Basic …` header value, or nil.
    case tcp(host: String, port: Int, authorization: String?)

    /// Builds a TCP endpoint from `http://host:port`, adding Basic auth when a user is given.
    /// - Throws: `ConsoleError.badURL` for anything but an `http://` URL with a host.
    public static func url(_ text: String, user: String?, password: String?) throws -> Endpoint {
        guard let comps = URLComponents(string: text), comps.scheme == "http", let host = comps.host, !host.isEmpty
        else { throw ConsoleError.badURL(text) }
        var auth: String? = nil
        if let user {
            let token = Data("\(user):\(password ?? "")".utf8).base64EncodedString()
            auth = "Basic \(token)"
        }
        return .tcp(host: host, port: comps.port ?? 8081, authorization: auth)
    }

    /// What the header shows: the socket path or `host:port`.
    public var description: String {
        switch self {
        case .unix(let path): path
        case .tcp(let host, let port, _): "\(host):\(port)"
        }
    }

    /// The value of the Host header.
    var hostHeader: String {
        switch self {
        case .unix: "localhost"
        case .tcp(let host, let port, _): "\(host):\(port)"
        }
    }
}

/// Errors of the console; each message is what the status line or stderr shows.
public enum ConsoleError: Error, Equatable, CustomStringConvertible {
    /// `--url` is not an `http://host[:port]` URL.
    case badURL(String)
    /// The server answered with something other than the expected content.
    case badResponse(String)
    /// The connection failed or closed early.
    case connection(String)
    /// A request took longer than its deadline.
    case timeout
    /// A command could not be parsed; the text says why.
    case usage(String)
    /// A command named an object that does not exist (or several).
    case notFound(String)
    /// The server refused: its `APIError` message.
    case api(status: Int, message: String)
    /// An action was refused because the console runs with `--readonly`.
    case readOnly
    /// A theme file could not be read or parsed.
    case theme(String)

    public var description: String {
        switch self {
        case .badURL(let u): "not an http://host:port URL: \(u)"
        case .badResponse(let m): "bad response: \(m)"
        case .connection(let m): m
        case .timeout: "request timed out"
        case .usage(let m): m
        case .notFound(let m): m
        case .api(let status, let message): "\(status): \(message)"
        case .readOnly: "read-only console: actions are disabled"
        case .theme(let m): m
        }
    }
}
