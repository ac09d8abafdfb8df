@testable import Console
import Core
import Foundation
import Testing

@Suite("Event decoding and the live model")
struct LiveModelTests {
    func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    @Test("a snapshot fills every set and the server info")
    func snapshot() throws {
        let s = Fixtures.stream("cam1")
        let data = """
            {"server":{"version":"0.1","pid":7,"startTime":1000,"uptimeSeconds":3,"rest":"127.0.0.1:8081","dataDir":"var"},
             "objects":{"stream":[\(try json(s))],"call":[],"future":[{"x":1}]},"logs":[]}
            """
        let event = try #require(try ServerEvent.decode(SSEMessage(event: "snapshot", data: data)))
        var m = LiveModel()
        m.apply(event)
        #expect(m.server?.version == "0.1")
        #expect(m.server?.pid == 7)
        #expect(m.count(.stream) == 1)
        let o = try #require(m.list(.stream).first)
        #expect(o.id == s.mediaSessionId)
        #expect((o.typed as? Core.Stream) == s)
        #expect(o.raw["name"] == .string("cam1"))
    }

    @Test("created, updated and removed change the model; log records append")
    func events() throws {
        var m = Fixtures.model([])
        var s = Fixtures.stream("cam1")
        let body = { (o: Core.Stream) in "{\"type\":\"stream\",\"id\":\"\(o.mediaSessionId)\",\"object\":\(try json(o))}" }
        m.apply(try #require(try ServerEvent.decode(SSEMessage(event: "created", data: try body(s)))))
        s.bitrate = 4321
        m.apply(try #require(try ServerEvent.decode(SSEMessage(event: "updated", data: try body(s)))))
        #expect((m.list(.stream).first?.typed as? Core.Stream)?.bitrate == 4321)
        #expect(m.bitrate.inKbps == 4321)
        m.apply(try #require(try ServerEvent.decode(SSEMessage(event: "removed", data: try body(s)))))
        #expect(m.count(.stream) == 0)
        let log = #"{"time":"2026-11-27T07:00:00.123Z","level":"warning","label":"x","message":"m","metadata":{}}"#
        m.apply(try #require(try ServerEvent.decode(SSEMessage(event: "log", data: log))))
        #expect(m.logs.last?.level == "warning")
    }

    @Test("an object whose fields do not fit the Core type still shows, from its raw fields")
    func rawFallback() throws {
        let data = #"{"type":"stream","id":"abc","object":{"name":"odd","mediaSessionId":"abc","status":"WEIRD"}}"#
        let event = try #require(try ServerEvent.decode(SSEMessage(event: "created", data: data)))
        var m = LiveModel()
        m.apply(event)
        let o = try #require(m.list(.stream).first)
        #expect(o.typed == nil)
        #expect(o.name == "odd")
        let rows = Renderers.rows(.streams, model: m, now: Fixtures.now)
        #expect(rows.first?.cells.first?.text == "odd")
    }

    @Test("unknown event names are ignored")
    func unknownEvent() throws {
        #expect(try ServerEvent.decode(SSEMessage(event: "future", data: "{}")) == nil)
    }

    @Test("the log keeps at most its capacity, newest last")
    func logRing() {
        var m = LiveModel()
        for i in 0..<(LiveModel.logCapacity * 2) {
            m.appendLog(LogRecord(time: "", level: "info", label: "t", message: "\(i)", metadata: [:]))
        }
        #expect(m.logs.count <= LiveModel.logCapacity + LiveModel.logCapacity / 4)
        #expect(m.logs.last?.message == "\(LiveModel.logCapacity * 2 - 1)")
        #expect(m.logCount == LiveModel.logCapacity * 2)
    }
}
