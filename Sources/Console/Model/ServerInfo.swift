import Core

/// `GET /rest-api/server/info` and the `server` part of the snapshot. Decoded leniently:
/// only what the header shows is typed; every field stays in `raw` for the detail view.
public struct ServerInfo: Decodable, Sendable, Equatable {
    /// The server version.
    public var version: String
    /// The server's process id.
    public var pid: Int
    /// Server start, ms since 1970.
    public var startTime: Int64?
    /// Uptime when the info was sent.
    public var uptimeSeconds: Double?
    /// Every field as sent.
    public var raw: [String: JSONValue]

    /// Info from parts (tests).
    public init(version: String, pid: Int, startTime: Int64? = nil, uptimeSeconds: Double? = nil,
                raw: [String: JSONValue] = [:]) {
        self.version = version
        self.pid = pid
        self.startTime = startTime
        self.uptimeSeconds = uptimeSeconds
        self.raw = raw
    }

    /// Decodes leniently: missing fields get defaults.
    public init(from decoder: any Decoder) throws {
        let raw = try [String: JSONValue](from: decoder)
        self.raw = raw
        version = raw["version"]?.stringValue ?? "?"
        pid = Int(raw["pid"]?.numberValue ?? 0)
        startTime = raw["startTime"]?.numberValue.map { Int64($0) }
        uptimeSeconds = raw["uptimeSeconds"]?.numberValue
    }

    /// Uptime at `now` (ms since 1970): from startTime when known, else the reported uptime.
    public func uptime(now: Int64) -> Double {
        if let startTime { return max(0, Double(now - startTime) / 1000) }
        return uptimeSeconds ?? 0
    }
}

extension JSONValue {
    /// The value as a number (numbers, and numeric strings as WCS clients send them).
    var numberValue: Double? {
        switch self {
        case .number(let n): n
        case .string(let s): Double(s)
        default: nil
        }
    }

    /// A short text form for tables and the detail pane.
    var displayText: String {
        switch self {
        case .null: "-"
        case .bool(let b): b ? "yes" : "no"
        case .number(let n): n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): s
        case .array(let a): "[" + a.map(\.displayText).joined(separator: ", ") + "]"
        case .object(let o):
            "{" + o.keys.sorted().map { "\($0): \(o[$0]?.displayText ?? "-")" }.joined(separator: ", ") + "}"
        }
    }
}
