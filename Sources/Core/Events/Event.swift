/// One message of the event stream (`GET /rest-api/events`).
public enum Event: Sendable {
    /// An object appeared.
    case created(any APIObject)
    /// An object changed; carries the whole new object.
    case updated(any APIObject)
    /// An object went away; carries its last state.
    case removed(any APIObject)
    /// A log record.
    case log(LogRecord)

    /// The SSE event name: created, updated, removed or log.
    public var name: String {
        switch self {
        case .created: "created"
        case .updated: "updated"
        case .removed: "removed"
        case .log: "log"
        }
    }
}

/// The payload of a created/updated/removed event: `{"type": "stream", "id": "...", "object": {...}}`.
public struct ObjectEventBody: Encodable {
    public let type: String
    public let id: String
    public let object: any APIObject

    public init(_ object: any APIObject) {
        self.type = Swift.type(of: object).kind.rawValue
        self.id = object.objectID
        self.object = object
    }

    enum CodingKeys: String, CodingKey { case type, id, object }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(id, forKey: .id)
        try c.encode(object, forKey: .object)
    }
}
