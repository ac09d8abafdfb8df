import Foundation
import Synchronization

/// What `/rest-api/server/info`, `server.json` and the event-stream snapshot say about this process.
final class RuntimeInfo: Sendable {
    struct Body: Codable, Sendable, Equatable {
        var version: String
        var pid: Int
        var startTime: Int64
        var uptimeSeconds: Int
        var rest: String?
        var ws: String?
        var rtmp: String?
        var sip: String?
        var socket: String?
        var dataDir: String
    }

    private let state: Mutex<Body>
    private let started = Date()

    init(version: String, dataDir: String) {
        state = Mutex(Body(version: version, pid: Int(getpid()), startTime: Int64(Date().timeIntervalSince1970 * 1000),
                           uptimeSeconds: 0, dataDir: dataDir))
    }

    /// Records a bound listener address ("127.0.0.1:8081").
    func set(_ listener: Listener, _ value: String?) {
        state.withLock { body in
            switch listener {
            case .rest: body.rest = value
            case .ws: body.ws = value
            case .rtmp: body.rtmp = value
            case .sip: body.sip = value
            case .socket: body.socket = value
            }
        }
    }

    /// The listeners the server reports.
    enum Listener: String, Sendable {
        case rest, ws, rtmp, sip, socket
    }

    /// The current information, with the uptime filled in.
    var body: Body {
        var b = state.withLock { $0 }
        b.uptimeSeconds = Int(Date().timeIntervalSince(started))
        return b
    }
}
