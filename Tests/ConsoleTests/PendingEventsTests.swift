@testable import Console
import Core
import Foundation
import NIOCore
import Synchronization
import Testing

@Suite("Queued events, coalescing and resync")
struct PendingEventsTests {
    static func event(_ name: String, _ s: Core.Stream) throws -> SSEMessage {
        let object = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        return SSEMessage(event: name, data: #"{"id":"\#(s.mediaSessionId)","object":\#(object),"type":"stream"}"#)
    }

    static func snapshot(_ streams: [Core.Stream]) throws -> SSEMessage {
        let list = try streams.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: ",")
        return SSEMessage(event: "snapshot",
                          data: #"{"server":{"version":"9","pid":3},"objects":{"stream":[\#(list)]},"logs":[]}"#)
    }

    static func queue(_ messages: [SSEMessage]) throws -> PendingEvents {
        var q = PendingEvents()
        for m in messages { q.add(try PendingEvents.item(m)) }
        return q
    }

    @Test("updates of one object between two applies are decoded once, the newest")
    func coalesces() throws {
        var s = Fixtures.stream("cam1")
        var messages: [SSEMessage] = []
        for rate in 1...50 {
            s.bitrate = rate
            messages.append(try Self.event("updated", s))
        }
        messages.append(try Self.event("created", Fixtures.stream("cam2")))
        let batch = try Self.queue(messages).decode()
        #expect(batch.upserts.count == 2)
        #expect(batch.received == 51)
        let cam1 = try #require(batch.upserts.first { $0.name == "cam1" })
        #expect((cam1.typed as? Core.Stream)?.bitrate == 50)
        var m = Fixtures.model([Fixtures.stream("cam1")])
        m.apply(batch)
        #expect(m.count(.stream) == 2)
        #expect(m.eventCount == 51)
    }

    @Test("a removal after updates wins, and a creation after a removal brings the object back")
    func removals() throws {
        let s = Fixtures.stream("cam1")
        let gone = try Self.queue([Self.event("updated", s), Self.event("removed", s)]).decode()
        #expect(gone.upserts.isEmpty && gone.removals.count == 1)
        let back = try Self.queue([Self.event("removed", s), Self.event("created", s)]).decode()
        #expect(back.upserts.count == 1 && back.removals.isEmpty)
    }

    @Test("a snapshot drops what was queued before it")
    func snapshotResets() throws {
        let q = try Self.queue([Self.event("created", Fixtures.stream("old")), Self.snapshot([Fixtures.stream("cam1")]),
                                Self.event("created", Fixtures.stream("cam2"))])
        let batch = try q.decode()
        #expect(batch.snapshot?.objects.map(\.name) == ["cam1"])
        #expect(batch.upserts.map(\.name) == ["cam2"])
        var m = LiveModel()
        m.apply(batch)
        #expect(Set(m.list(.stream).map(\.name)) == ["cam1", "cam2"])
    }

    @Test("a dropped message carries its count; a malformed object event or snapshot is an error for the reader")
    func droppedAndMalformed() throws {
        guard case .dropped(let n) = try PendingEvents.item(SSEMessage(event: "dropped", data: #"{"count":1234}"#)) else {
            Issue.record("not a dropped item")
            return
        }
        #expect(n == 1234)
        #expect(throws: (any Error).self) { try PendingEvents.item(SSEMessage(event: "updated", data: #"{"type":"stream"}"#)) }
        #expect(throws: (any Error).self) { try PendingEvents.item(SSEMessage(event: "updated", data: "{")) }
        #expect(throws: (any Error).self) { try PendingEvents.item(SSEMessage(event: "snapshot", data: #"{"objects":"#)) }
        #expect(throws: (any Error).self) { try PendingEvents.item(SSEMessage(event: "snapshot", data: "[]")) }
    }

    @Test("told that the server dropped events, the client re-takes the snapshot at once")
    func resyncsAfterDrop() async throws {
        final class Counter: Sendable { let value = Mutex(0) }
        let requests = Counter()
        func sse(_ messages: [SSEMessage]) -> String {
            messages.map { "event: \($0.event)\ndata: \($0.data)\n\n" }.joined()
        }
        let first = sse([try Self.snapshot([Fixtures.stream("stale")]), SSEMessage(event: "dropped", data: #"{"count":7}"#)])
        let second = sse([try Self.snapshot([Fixtures.stream("fresh")])])
        let (path, channel) = try await HTTPClientTests.serve { line in
            #expect(line.hasPrefix("GET /rest-api/events"))
            let n = requests.value.withLock { $0 += 1; return $0 }
            let body = n == 1 ? first : second
            return HTTPClientTests.response("200 OK", "text/event-stream", body, chunked: true)
        }
        defer { channel.close(promise: nil) }
        let client = EventClient(http: HTTPClient(endpoint: .unix(path: path)))
        let task = Task { await client.run() }
        defer { task.cancel() }
        var model = client.model
        for _ in 0..<200 where model.list(.stream).first?.name != "fresh" {
            try await Task.sleep(for: .milliseconds(50))
            model = client.model
        }
        #expect(model.list(.stream).map(\.name) == ["fresh"])
        #expect(model.resyncCount == 1)
        #expect(model.logs.contains { $0.message.contains("dropped 7 events") })
        #expect(requests.value.withLock { $0 } >= 2)
    }
}
