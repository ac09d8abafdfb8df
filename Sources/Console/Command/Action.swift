import Core
import Foundation

/// A server-changing action on a resolved object, and the REST call that performs it.
public enum Action: Sendable {
    case terminate(LiveObject)
    case mute(LiveObject, Bool)
    case record(LiveObject, start: Bool)
    case soundOn(LiveObject, file: String, loop: Bool)
    case soundOff(LiveObject)
    case push(streamName: String, rtmpURL: String)
    case snapshot(streamName: String, file: String)

    /// Whether it destroys something (asks y/n in the UI).
    public var isDangerous: Bool {
        if case .terminate = self { return true }
        return false
    }

    /// The question the confirmation shows.
    public var question: String {
        switch self {
        case .terminate(let o): "Terminate \(o.kind.rawValue) \(o.name)?"
        default: "Proceed?"
        }
    }

    /// Why `m` does nothing on a call: the WCS REST API has no call mute method, and the
    /// console uses only the public API.
    public static let noCallMute =
        "calls cannot be muted: the WCS REST API has no call mute method (m works on transponders)"

    /// The REST method and body.
    /// - Throws: `ConsoleError.usage` when the object kind does not support the action.
    public func request() throws -> (path: String, body: [String: JSONValue]) {
        switch self {
        case .terminate(let o):
            let r = o.raw
            func s(_ key: String) -> JSONValue { r[key] ?? .null }
            switch o.kind {
            case .stream: return ("stream/terminate", ["mediaSessionId": .string(o.id)])
            case .transponder: return ("push/terminate", ["mediaSessionId": .string(o.id)])
            case .call: return ("call/terminate", ["callId": .string(o.id)])
            case .connection: return ("connection/terminate", ["sessionId": .string(o.id)])
            case .transcoder: return ("transcoder/terminate", ["uri": s("uri")])
            case .mixer: return ("mixer/terminate", ["uri": s("uri")])
            case .rtspAgent: return ("rtsp/terminate", ["uri": s("uri")])
            case .rtmpAgent: return ("pull/rtmp/terminate", ["uri": s("uri")])
            case .pullAgent:
                return ("pull/terminate", ["uri": s("uri"), "localStreamName": s("localStreamName"),
                                           "remoteStreamName": s("remoteStreamName")])
            case .vod: return ("vod/terminate", ["uri": s("uri"), "localStreamName": s("localStreamName")])
            }
        case .mute(let o, let on):
            switch o.kind {
            case .transponder: return (on ? "push/mute" : "push/unmute", ["mediaSessionId": .string(o.id)])
            case .call: throw ConsoleError.usage(Self.noCallMute)
            default: throw ConsoleError.usage("mute works on transponders")
            }
        case .record(let o, let start):
            guard o.kind == .stream else { throw ConsoleError.usage("recording works on streams") }
            return (start ? "stream/startRecording" : "stream/stopRecording", ["mediaSessionId": .string(o.id)])
        case .soundOn(let o, let file, let loop):
            guard o.kind == .transponder else { throw ConsoleError.usage("sound injection works on transponders") }
            return ("push/sound_on", ["mediaSessionId": .string(o.id), "soundFile": .string(file), "loop": .bool(loop)])
        case .soundOff(let o):
            guard o.kind == .transponder else { throw ConsoleError.usage("sound injection works on transponders") }
            return ("push/sound_off", ["mediaSessionId": .string(o.id)])
        case .push(let name, let url):
            return ("push/startup", ["streamName": .string(name), "rtmpUrl": .string(url)])
        case .snapshot(let name, _):
            return ("stream/snapshot", ["streamName": .string(name)])
        }
    }

    /// Performs the action over REST.
    /// - Returns: a one-line result for the status line.
    /// - Throws: `ConsoleError.api` with the server's message, or transport errors.
    public func perform(_ rest: RESTClient) async throws -> String {
        let (path, body) = try request()
        let response = try await rest.post(path, body)
        switch self {
        case .terminate(let o): return "terminated \(o.kind.rawValue) \(o.name)"
        case .mute(let o, let on): return "\(on ? "muted" : "unmuted") \(o.name)"
        case .record(let o, let start): return "\(start ? "recording started" : "recording stopped"): \(o.name)"
        case .soundOn(let o, let file, let loop): return "sound \(file) on \(o.name)\(loop ? " (loop)" : "")"
        case .soundOff(let o): return "sound off: \(o.name)"
        case .push(let name, let url): return "pushing \(name) to \(url)"
        case .snapshot(_, let file):
            struct Snapshot: Decodable { var data: String }
            guard let snap = try? JSONDecoder().decode(Snapshot.self, from: Data(response.body)),
                let png = Data(base64Encoded: snap.data)
            else { throw ConsoleError.badResponse("snapshot without base64 data") }
            try png.write(to: URL(fileURLWithPath: file))
            return "snapshot saved: \(file) (\(png.count) bytes)"
        }
    }

    /// The default snapshot file name: `<stream>-<UTC time>.png` in the current directory.
    public static func snapshotFileName(_ stream: String, now: Date = Date()) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        let safe = stream.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        return String(safe) + "-" + f.string(from: now) + ".png"
    }
}
