import Core

/// One object of the live model: its kind and key, and the Core type its fields decode as (for
/// the tables). When they do not decode as the Core type (a newer or older server), the raw
/// fields are kept instead, so the object still shows.
///
/// Raw fields are not decoded for objects that fit their type: decoding every field into
/// `JSONValue` cost more than the typed decode itself, and at thousands of updates a second
/// that decides whether the console keeps up. The detail pane re-encodes the typed object.
public struct LiveObject: Sendable {
    /// Which object set it belongs to.
    public var kind: ObjectKind
    /// Its key in that set.
    public var id: String
    /// The Core object, when the fields decoded as one.
    public var typed: (any APIObject)?
    /// The fields as sent, only when they did not decode as the Core type.
    public var fallback: [String: JSONValue]?

    /// An object from decoded parts.
    public init(kind: ObjectKind, id: String, typed: (any APIObject)?, fallback: [String: JSONValue]?) {
        self.kind = kind
        self.id = id
        self.typed = typed
        self.fallback = fallback
    }

    /// Builds one from a typed Core object.
    public init(_ object: any APIObject) {
        self.kind = type(of: object).kind
        self.id = object.objectID
        self.typed = object
        self.fallback = nil
    }

    /// Every field, by WCS name (for the detail pane and request bodies).
    public var raw: [String: JSONValue] {
        if let fallback { return fallback }
        guard let typed else { return [:] }
        return (try? JSONValue.encodeObject(typed)) ?? [:]  // Core types always encode; empty only hides the detail
    }

    /// The name an operator uses for this object (stream name, callee, local stream, uri).
    public var name: String {
        switch typed {
        case let s as Core.Stream: return s.name
        case let c as Call: return c.callee
        case let t as Transponder: return t.localStreamName
        case let a as RtspAgent: return a.localStreamName
        case let a as RtmpAgent: return a.localStreamName
        case let a as PullAgent: return a.localStreamName
        case let m as Mixer: return m.localStreamName
        case let t as Transcoder: return t.localStreamName
        case let v as VOD: return v.localStreamName
        case let c as Connection: return c.sessionId
        default:
            for key in ["name", "localStreamName", "callee", "uri", "sessionId"] {
                if let s = raw[key]?.stringValue { return s }
            }
            return id
        }
    }

    /// The key field of an object of `kind` in raw JSON, used when a snapshot entry does not decode.
    static func rawID(_ kind: ObjectKind, _ raw: [String: JSONValue]) -> String? {
        switch kind {
        case .stream, .transponder: raw["mediaSessionId"]?.stringValue
        case .call: raw["callId"]?.stringValue
        case .connection: raw["sessionId"]?.stringValue
        case .rtspAgent, .rtmpAgent, .mixer, .transcoder: raw["uri"]?.stringValue
        case .pullAgent:
            [raw["uri"], raw["localStreamName"], raw["remoteStreamName"]].map { $0?.stringValue ?? "" }
                .joined(separator: "|")
        case .vod: (raw["uri"]?.stringValue ?? "") + "|" + (raw["localStreamName"]?.stringValue ?? "")
        }
    }

    /// Decodes the Core type of `kind` from `decoder`.
    static func decodeTyped(_ kind: ObjectKind, from decoder: any Decoder) throws -> any APIObject {
        switch kind {
        case .stream: try Core.Stream(from: decoder)
        case .call: try Call(from: decoder)
        case .transponder: try Transponder(from: decoder)
        case .rtspAgent: try RtspAgent(from: decoder)
        case .rtmpAgent: try RtmpAgent(from: decoder)
        case .pullAgent: try PullAgent(from: decoder)
        case .mixer: try Mixer(from: decoder)
        case .transcoder: try Transcoder(from: decoder)
        case .vod: try VOD(from: decoder)
        case .connection: try Connection(from: decoder)
        }
    }
}
