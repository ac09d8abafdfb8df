import Core
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// `GET /rest-api/events`: Server-Sent Events. A snapshot of every object set and the recent log
/// tail, then one event per change and per log record (format in docs/events.md).
struct EventStream: Sendable {
    /// Time between keep-alive comments, so proxies and clients see a live connection (15 s).
    static let keepAliveInterval: Duration = .seconds(15)
    /// Most log records a snapshot carries.
    static let maxSnapshotLogs = 10_000

    let registry: Registry
    let logs: LogRing
    let info: RuntimeInfo
    /// `keepAliveInterval`, except in tests that must not see a keep-alive.
    var keepAlive: Duration = Self.keepAliveInterval

    func response(for request: Request) -> Response {
        let query = request.uri.queryParameters
        let minimum = query["level"].flatMap { Logger.Level(name: String($0)) } ?? .info
        let tail = query["logs"].flatMap { Int(String($0)) }.map { max(0, min($0, Self.maxSnapshotLogs)) } ?? 200
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        return Response(status: .ok, headers: headers, body: body(minimum: minimum, tail: tail))
    }

    /// The snapshot, then events and keep-alives until the client goes away or the bus ends.
    ///
    /// A client that reads slower than events happen loses the oldest unsent ones (the bus and
    /// the frame queue are both bounded, so the server never waits for it). Before the next
    /// frame it gets a `dropped` message with how many it lost, so it can take a new snapshot
    /// instead of showing stale state.
    func body(minimum: Logger.Level, tail: Int) -> ResponseBody {
        let dropped = DropCounter()
        let (objects, recentLogs, events) = registry.snapshotAndSubscribe(logs: logs, countingDropsIn: dropped)

        var byKind: [String: [any APIObject]] = [:]
        for kind in ObjectKind.allCases { byKind[kind.rawValue] = objects[kind] ?? [] }
        let snapshot = Snapshot(server: info.body, objects: byKind,
                                logs: Array(recentLogs.filter { $0.logLevel >= minimum }.suffix(tail)))
        let first = Self.frame(event: "snapshot", json: Self.encode(snapshot))

        // Events and keep-alives merge into one queue of frames; when the client goes away the
        // queue is dropped, which cancels both producers and so ends the bus subscription.
        let (frames, queue) = AsyncStream<ByteBuffer>.makeStream(
            bufferingPolicy: .bufferingNewest(EventBus.subscriberBuffer))
        let pump = Task {
            for await event in events {
                if case .log(let record) = event, record.logLevel < minimum { continue }
                if case .dropped = queue.yield(Self.frame(for: event)) { dropped.add() }
            }
            queue.finish()  // the bus ended (shutdown): complete the response
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: keepAlive)  // cancellation ends the loop
                if case .dropped = queue.yield(ByteBuffer(string: ": keep-alive\n\n")) { dropped.add() }
            }
        }
        queue.onTermination = { _ in
            pump.cancel()
            ticker.cancel()
        }
        return ResponseBody { writer in
            try await writer.write(first)  // written, not queued: a flood of events cannot push it out
            for await frame in frames {
                // The lost events came before this frame (or, from the bus, just after it):
                // either way the client's state is stale from here on.
                let lost = dropped.take()
                if lost > 0 { try await writer.write(Self.droppedFrame(lost)) }
                try await writer.write(frame)
            }
            let lost = dropped.take()
            if lost > 0 { try await writer.write(Self.droppedFrame(lost)) }
            try await writer.finish(nil)
        }
    }

    /// `event: dropped` with `{"count": n}`: n events were lost for this client.
    static func droppedFrame(_ count: Int) -> ByteBuffer {
        frame(event: "dropped", json: Data("{\"count\":\(count)}".utf8))
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
