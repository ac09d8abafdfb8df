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
    /// The server lost `count` events for this client (it read too slowly): the state is stale.
    case dropped(count: Int)

    /// Decodes one SSE message; nil for event names the console does not know (forward compatible).
    /// - Throws: `JSONTape.ParseError` or `DecodingError` when a known event's data is malformed.
    public static func decode(_ message: SSEMessage) throws -> ServerEvent? {
        switch message.event {
        case "snapshot":
            let tape = try JSONTape(message.bytes)
            let s = try EventBody.snapshot(tape)
            return .snapshot(server: s.server, objects: s.objects, logs: s.logs)
        case "created", "updated", "removed":
            let ref = try ObjectEventRef(message.bytes)
            let object = try ref.decode()
            return message.event == "created" ? .created(object) : message.event == "updated" ? .updated(object) : .removed(object)
        case "log": return .log(try TapeDecoder.decode(LogRecord.self, from: message.bytes))
        case "dropped": return .dropped(count: try EventBody.droppedCount(message.bytes))
        default: return nil
        }
    }
}

/// A created/updated/removed event read only as far as its object's type and key
/// (`{"type": "stream", "id": "...", "object": {...}}`): enough to keep only the newest change
/// of each object. The object itself is decoded later, if it is still the newest.
struct ObjectEventRef: Sendable {
    /// The object set.
    let kind: ObjectKind
    /// The object's key.
    let id: String
    /// The parsed event.
    let tape: JSONTape
    /// The node of `object` in `tape`.
    let node: Int

    /// Reads the type and key of an event body.
    /// - Throws: `JSONTape.ParseError` for malformed JSON, `DecodingError` for a missing or unknown type or object.
    init(_ bytes: [UInt8]) throws {
        let tape = try JSONTape(bytes)
        guard tape.nodes.first?.kind == .object else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "event data is not an object"))
        }
        guard let typeNode = tape.member("type", of: 0), tape.nodes[typeNode].kind == .string,
            let kind = ObjectKind(rawValue: tape.string(at: typeNode))
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "missing or unknown object type"))
        }
        guard let node = tape.member("object", of: 0), tape.nodes[node].kind == .object else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "event without an object"))
        }
        self.kind = kind
        self.tape = tape
        self.node = node
        if let idNode = tape.member("id", of: 0), tape.nodes[idNode].kind == .string {
            id = tape.string(at: idNode)
        } else {
            id = try EventBody.object(kind, id: nil, tape, node).id  // a server without `id`: ask the object
        }
    }

    /// The object, decoded.
    /// - Throws: `DecodingError` when it is neither its Core type nor a JSON object.
    func decode() throws -> LiveObject { try EventBody.object(kind, id: id, tape, node) }
}

/// Decoding of event bodies from a parsed tape.
enum EventBody {
    /// One object: as its Core type, else as raw fields.
    static func object(_ kind: ObjectKind, id: String?, _ tape: JSONTape, _ node: Int) throws -> LiveObject {
        let decoder = TapeDecoder(tape, index: node)
        do {
            let typed = try LiveObject.decodeTyped(kind, from: decoder)
            return LiveObject(kind: kind, id: id ?? typed.objectID, typed: typed, fallback: nil)
        } catch {
            // A field the Core type lacks or types differently must not hide the object.
            let raw = try [String: JSONValue](from: decoder)
            return LiveObject(kind: kind, id: id ?? LiveObject.rawID(kind, raw) ?? "", typed: nil, fallback: raw)
        }
    }

    /// `{"server": {...}, "objects": {"stream": [...], ...}, "logs": [...]}`; object sets of
    /// kinds this console does not know (a newer server) are skipped.
    static func snapshot(_ tape: JSONTape) throws -> (server: ServerInfo?, objects: [LiveObject], logs: [LogRecord]) {
        guard tape.nodes.first?.kind == .object else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "snapshot is not an object"))
        }
        var server: ServerInfo?
        if let node = tape.member("server", of: 0), tape.nodes[node].kind != .null {
            server = try ServerInfo(from: TapeDecoder(tape, index: node))
        }
        var logs: [LogRecord] = []
        if let node = tape.member("logs", of: 0), tape.nodes[node].kind != .null {
            logs = try [LogRecord](from: TapeDecoder(tape, index: node))
        }
        var objects: [LiveObject] = []
        if let sets = tape.member("objects", of: 0), tape.nodes[sets].kind == .object {
            for (key, list) in tape.members(of: sets) {
                guard let kind = ObjectKind(rawValue: tape.string(at: key)), tape.nodes[list].kind == .array else { continue }
                for element in tape.elements(of: list) { objects.append(try object(kind, id: nil, tape, element)) }
            }
        }
        return (server, objects, logs)
    }

    /// The count of a `dropped` message (`{"count": n}`).
    static func droppedCount(_ bytes: [UInt8]) throws -> Int {
        struct Body: Decodable { var count: Int }
        return try TapeDecoder.decode(Body.self, from: bytes).count
    }
}

extension JSONValue {
    /// The fields of an encodable object as JSON values.
    /// - Throws: encoding errors, or `ConsoleError.badResponse` when it is not a JSON object.
    static func encodeObject(_ value: some Encodable) throws -> [String: JSONValue] {
        let data = try JSONEncoder().encode(value)
        return try TapeDecoder.decode([String: JSONValue].self, from: Array(data))
    }
}
