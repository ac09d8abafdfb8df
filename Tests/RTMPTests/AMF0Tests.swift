import NIOCore
import Testing

@testable import RTMP

@Suite("AMF0")
struct AMF0Tests {
    static let table: [(String, AMF0Value, [UInt8])] = [
        ("number", .number(1.5), [0x00, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0]),
        ("true", .boolean(true), [0x01, 0x01]),
        ("string", .string("ab"), [0x02, 0x00, 0x02, 0x61, 0x62]),
        ("null", .null, [0x05]),
        ("undefined", .undefined, [0x06]),
        ("object", .object([("a", .number(0))]), [0x03, 0x00, 0x01, 0x61, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x09]),
        ("ecma array", .ecmaArray([("k", .boolean(false))]), [0x08, 0, 0, 0, 1, 0x00, 0x01, 0x6B, 0x01, 0x00, 0x00, 0x00, 0x09]),
        ("strict array", .strictArray([.null, .string("")]), [0x0A, 0, 0, 0, 2, 0x05, 0x02, 0x00, 0x00]),
    ]

    @Test("values encode to the expected bytes and decode back", arguments: 0..<table.count)
    func roundTrip(index: Int) throws {
        let (_, value, bytes) = Self.table[index]
        var out = ByteBuffer()
        out.writeAMF0(value)
        #expect(Array(out.readableBytesView) == bytes)
        var input = ByteBuffer(bytes: bytes)
        #expect(try input.readAMF0() == value)
        #expect(input.readableBytes == 0)
    }

    @Test("nested connect object round-trips")
    func nested() throws {
        let value = AMF0Value.object([
            ("app", .string("live")), ("tcUrl", .string("rtmp://x/live")),
            ("list", .strictArray([.number(1), .object([("deep", .ecmaArray([("x", .null)]))])])),
            ("when", .date(1_700_000_000_000)),
        ])
        var out = ByteBuffer()
        out.writeAMF0(value)
        #expect(try out.readAMF0() == value)
    }

    @Test("malformed input throws a typed error, never crashes", arguments: [
        [UInt8](), [0x00, 0x01], [0x02, 0x00, 0x05, 0x61], [0x03, 0x00, 0x01, 0x61], [0x0A, 0xFF, 0xFF, 0xFF, 0xFF],
        [0x07, 0x00, 0x01], [0x11], [0x03, 0x00, 0x00], [0x08, 0, 0, 0],
    ])
    func malformed(bytes: [UInt8]) {
        var input = ByteBuffer(bytes: bytes)
        #expect(throws: RTMPError.self) { try input.readAMF0() }
        #expect(input.readerIndex == 0)
    }

    @Test("deep nesting is refused")
    func tooDeep() {
        var input = ByteBuffer(bytes: Array(repeating: 0x0A, count: 1) + [0, 0, 0, 1]
            + Array(repeating: [0x0A, 0, 0, 0, 1], count: 100).flatMap { $0 } + [0x05])
        #expect(throws: RTMPError.amf0TooDeep(limit: ByteBuffer.amf0MaxDepth)) { try input.readAMF0() }
    }

    @Test("random bytes never crash the decoder")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<40, using: &generator)
            var input = ByteBuffer(bytes: (0..<count).map { _ in UInt8.random(in: 0...0x12, using: &generator) })
            _ = try? input.readAMF0All()  // only crashing matters here
        }
    }
}
