import Core
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `GET /rest-api/events`: Server-Sent Events. A snapshot of every object set and the recent log
/// tail, then one event per change and per log record (format in docs/events.md).
struct EventStream: Sendable {
    /// Seconds between keep-alive comments, so proxies and clients see a live connection.
    static let keepAliveSeconds = 15
    /// Most log records a snapshot carries.
    static let maxSnapshotLogs = 10_000

    let registry: Registry
    let logs: LogRing
    let info: RuntimeInfo

    func response(for request: Request) -> Response {
        let query = request.uri.queryParameters
        let minimum = query["level"].flatMap { Logger.Level(name: String($0)) } ?? .info
        let tail = query["logs"].flatMap { Int(String($0)) }.map { max(0, min($0, Self.maxSnapshotLogs)) } ?? 200
        let (objects, recentLogs, events) = registry.snapshotAndSubscribe(logs: logs)

        var byKind: [String: [any APIObject]] = [:]
        for kind in ObjectKind.allCases { byKind[kind.rawValue] = objects[kind] ?? [] }
        let snapshot = Snapshot(server: info.body, objects: byKind,
                                logs: Array(recentLogs.filter { $0.logLevel >= minimum }.suffix(tail)))
        let first = Self.frame(event: "snapshot", json: Self.encode(snapshot))

        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        // Events and keep-alives merge into one queue of frames; when the client goes away the
        // queue is dropped, which cancels both producers and so ends the bus subscription.
        let (frames, queue) = AsyncStream<ByteBuffer>.makeStream(
            bufferingPolicy: .bufferingNewest(EventBus.subscriberBuffer))
        queue.yield(first)
        let pump = Task {
            for await event in events {
                if case .log(let record) = event, record.logLevel < minimum { continue }
                queue.yield(Self.frame(for: event))
            }
            queue.finish()  // the bus ended (shutdown): complete the response
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(Self.keepAliveSeconds))  // cancellation ends the loop
                queue.yield(ByteBuffer(string: ": keep-alive\n\n"))
            }
        }
        queue.onTermination = { _ in
            pump.cancel()
            ticker.cancel()
        }
        let body = ResponseBody { writer in
            for await frame in frames { try await writer.write(frame) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func frame(for event: Event) -> ByteBuffer {
        switch event {
        case .created(let o), .updated(let o), .removed(let o):
            frame(event: event.name, json: encode(ObjectEventBody(o)))
        case .log(let record):
            frame(event: "log", json: encode(record))
        }
    }

    static func frame(event: String, json: Data) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("event: \(event)\ndata: ")
        buffer.writeBytes(json)
        buffer.writeString("\n\n")
        return buffer
    }

    static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Our event types always encode; a failure would be a programming error worth seeing.
        do { return try encoder.encode(value) } catch { return Data("{\"encodingError\":\"\(error)\"}".utf8) }
    }

    /// The first message of a stream.
    struct Snapshot: Encodable {
        let server: RuntimeInfo.Body
        let objects: [String: [any APIObject]]
        let logs: [LogRecord]

        enum CodingKeys: String, CodingKey { case server, objects, logs }
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ s: String) { stringValue = s }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(server, forKey: .server)
            var o = c.nestedContainer(keyedBy: Key.self, forKey: .objects)
            for (kind, list) in objects {
                var a = o.nestedUnkeyedContainer(forKey: Key(kind))
                for item in list { try a.encode(item) }
            }
            try c.encode(logs, forKey: .logs)
        }
    }
}
