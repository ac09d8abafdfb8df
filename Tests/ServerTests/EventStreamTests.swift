import Core
import Foundation
import Hummingbird
import Logging
import HTTPTypes
import NIOCore
import Synchronization
import Testing

@testable import Server

/// What an event-stream response wrote.
private final class Collected: Sendable {
    let bytes = Mutex<[UInt8]>([])
    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
}

/// Collects what an event-stream response writes.
private struct CollectingWriter: ResponseBodyWriter {
    let out: Collected
    mutating func write(_ buffer: ByteBuffer) async throws { out.bytes.withLock { $0 += buffer.readableBytesView } }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

@Suite("event stream")
struct EventStreamTests {
    /// SSE messages as (event, data) pairs.
    static func messages(_ text: String) -> [(String, String)] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var event = "", data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            return event.isEmpty ? nil : (event, data)
        }
    }

    /// Opens an event stream, publishes `count` stream updates (ids cycling over `distinct`) with
    /// nobody reading, ends the bus, then reads everything the response writes.
    static func publishUnread(_ count: Int, distinct: Int) async throws -> [(String, String)] {
        let bus = EventBus()
        let registry = Registry(bus: bus)
        let stream = EventStream(registry: registry, logs: LogRing(capacity: 10, bus: bus),
                                 info: RuntimeInfo(version: "t", dataDir: "/tmp"), keepAlive: .seconds(3600))
        let body = stream.body(minimum: .info, tail: 0)
        for i in 0..<count {
            registry.upsert(Stream(name: "s\(i % distinct)", mediaSessionId: "\(i % distinct)", published: true,
                                   mediaProvider: "RTMP", createDate: 0))
        }
        bus.finishAll()  // ends the response once everything queued is written
        let out = Collected()
        try await body.write(CollectingWriter(out: out))
        return messages(out.text)
    }

    @Test("a client that does not read loses the oldest events, and is told how many before the next one")
    func droppedEventsAreCounted() async throws {
        // More events than the bus buffer and the frame queue hold together.
        let total = EventBus.subscriberBuffer * 2 + 5_000
        let messages = try await Self.publishUnread(total, distinct: 10)
        #expect(messages.first?.0 == "snapshot")
        let objectEvents = messages.filter { $0.0 == "created" || $0.0 == "updated" }.count
        let drops = messages.filter { $0.0 == "dropped" }
        #expect(!drops.isEmpty)
        struct Dropped: Decodable { var count: Int }
        var lost = 0
        for (_, data) in drops { lost += try JSONDecoder().decode(Dropped.self, from: Data(data.utf8)).count }
        #expect(objectEvents + lost == total)
        // The newest events are the ones kept: the last one sent is the last one published.
        #expect(messages.last?.0 == "updated")
    }

    @Test("a client less far behind than the buffers hold gets every event and no dropped message")
    func noDropsWithinTheBuffer() async throws {
        let messages = try await Self.publishUnread(100, distinct: 100)
        #expect(messages.filter { $0.0 == "created" }.count == 100)
        #expect(!messages.contains { $0.0 == "dropped" })
    }
}
