import Core
import Foundation

/// A decoded event-stream message (docs/events.md).
public enum ServerEvent: Sendable {
    /// The first message: every object set, the server info and recent logs.
    case snapshot(server: ServerInfo?, objects: [LiveObject], logs: [LogRecord])
    /// An object appeared.
    case created(LiveObject)
    /// An object changed (the whole new object).
    case updated(LiveObject)
    /// An object went away (its last state).
    case removed(LiveObject)
    /// A log record.
    case log(LogRecord)

    /// Decodes one SSE message; nil for event names the console does not know (forward compatible).
    /// - Throws: a `DecodingError` when a known event's data is malformed.
    public static func decode(_ message: SSEMessage) throws -> ServerEvent? {
        let data = Data(message.data.utf8)
        let decoder = JSONDecoder()
        switch message.event {
        case "snapshot":
            let s = try decoder.decode(SnapshotBody.self, from: data)
            return .snapshot(server: s.server, objects: s.objects, logs: s.logs)
        case "created": return .created(try decoder.decode(ObjectEventBody.self, from: data).object)
        case "updated": return .updated(try decoder.decode(ObjectEventBody.self, from: data).object)
        case "removed": return .removed(try decoder.decode(ObjectEventBody.self, from: data).object)
        case "log": return .log(try decoder.decode(LogRecord.self, from: data))
        default: return nil
        }
    }
}

/// Decodes one object element: as its Core type, else as raw fields.
private func decodeObject(_ kind: ObjectKind, id: String?, from decoder: any Decoder) throws -> LiveObject {
    do {
        let typed = try LiveObject.decodeTyped(kind, from: decoder)
        return LiveObject(kind: kind, id: id ?? typed.objectID, typed: typed, fallback: nil)
    } catch {
        // A field the Core type lacks or types differently must not hide the object.
        let raw = try [String: JSONValue](from: decoder)
        return LiveObject(kind: kind, id: id ?? LiveObject.rawID(kind, raw) ?? "", typed: nil, fallback: raw)
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// `{"server": {...}, "objects": {"stream": [...], ...}, "logs": [...]}`
private struct SnapshotBody: Decodable {
    var server: ServerInfo?
    var objects: [LiveObject] = []
    var logs: [LogRecord]

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        server = try c.decodeIfPresent(ServerInfo.self, forKey: AnyKey("server"))
        logs = try c.decodeIfPresent([LogRecord].self, forKey: AnyKey("logs")) ?? []
        guard c.contains(AnyKey("objects")) else { return }
        let sets = try c.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("objects"))
        for key in sets.allKeys {
            guard let kind = ObjectKind(rawValue: key.stringValue) else { continue }  // a newer server's set
            var list = try sets.nestedUnkeyedContainer(forKey: key)
            while !list.isAtEnd {
                objects.append(try decodeObject(kind, id: nil, from: try list.superDecoder()))
            }
        }
    }
}

/// `{"type": "stream", "id": "...", "object": {...}}`
private struct ObjectEventBody: Decodable {
    var object: LiveObject

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        let type = try c.decode(String.self, forKey: AnyKey("type"))
        guard let kind = ObjectKind(rawValue: type) else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyKey("type"), in: c, debugDescription: "unknown object type \(type)")
        }
        let id = try c.decodeIfPresent(String.self, forKey: AnyKey("id"))
        object = try decodeObject(kind, id: id, from: try c.superDecoder(forKey: AnyKey("object")))
    }
}

extension JSONValue {
    /// The fields of an encodable object as JSON values.
    /// - Throws: encoding errors, or `ConsoleError.badResponse` when it is not a JSON object.
    static func encodeObject(_ value: some Encodable) throws -> [String: JSONValue] {
        let data = try JSONEncoder().encode(value)
        return try JSONDecoder().decode([String: JSONValue].self, from: data)
    }
}
