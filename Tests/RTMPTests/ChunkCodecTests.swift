import NIOCore
import Testing

@testable import RTMP

@Suite("chunk codec")
struct ChunkCodecTests {
    static func message(_ csid: UInt32 = 3, type: UInt8 = 20, stream: UInt32 = 0, ts: UInt32, bytes: [UInt8]) -> RTMPMessage {
        RTMPMessage(chunkStreamID: csid, typeID: type, streamID: stream, timestamp: ts, payload: ByteBuffer(bytes: bytes))
    }

    /// (name, messages, wire bytes) with the default 128-byte chunk size.
    static let table: [(String, [RTMPMessage], [UInt8])] = [
        ("format 0 with stream id", [message(ts: 1000, bytes: [1, 2])],
         [0x03, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x02, 0x14, 0x00, 0x00, 0x00, 0x00, 1, 2]),
        ("format 1 when the length changes, format 2 when only the time does, format 3 when the delta repeats",
         [message(6, type: 9, stream: 1, ts: 0, bytes: [9]), message(6, type: 9, stream: 1, ts: 40, bytes: [8, 8]),
          message(6, type: 9, stream: 1, ts: 100, bytes: [7, 7]), message(6, type: 9, stream: 1, ts: 160, bytes: [6, 6])],
         [0x06, 0, 0, 0, 0, 0, 1, 9, 1, 0, 0, 0, 9,
          0x46, 0, 0, 40, 0, 0, 2, 9, 8, 8,
          0x86, 0, 0, 60, 7, 7,
          0xC6, 6, 6]),
        ("extended timestamp", [message(4, type: 8, stream: 1, ts: 0x0100_0000, bytes: [5])],
         [0x04, 0xFF, 0xFF, 0xFF, 0, 0, 1, 8, 1, 0, 0, 0, 0x01, 0x00, 0x00, 0x00, 5]),
        ("two-byte chunk stream id", [message(100, ts: 0, bytes: [1])],
         [0x00, 36, 0, 0, 0, 0, 0, 1, 20, 0, 0, 0, 0, 1]),
        ("three-byte chunk stream id", [message(1000, ts: 0, bytes: [1])],
         [0x01, 0xA8, 0x03, 0, 0, 0, 0, 0, 1, 20, 0, 0, 0, 0, 1]),
    ]

    @Test("messages encode to the table's bytes and decode back", arguments: 0..<table.count)
    func tableRoundTrip(index: Int) throws {
        let (_, messages, wire) = Self.table[index]
        let encoder = ChunkEncoder()
        var out = ByteBuffer()
        for m in messages { encoder.write(m, to: &out) }
        #expect(Array(out.readableBytesView) == wire)
        var decoder = ChunkDecoder()
        var input = ByteBuffer(bytes: wire)
        var decoded: [RTMPMessage] = []
        while let m = try decoder.nextMessage(&input) { decoded.append(m) }
        #expect(decoded == messages)
    }

    @Test("a message longer than the chunk size is split with format-3 headers and joined again, byte by byte too")
    func splitAndJoin() throws {
        let big = Self.message(6, type: 9, stream: 1, ts: 0x0100_0001, bytes: (0..<300).map { UInt8($0 & 0xFF) })
        let encoder = ChunkEncoder()
        var out = ByteBuffer()
        encoder.write(big, to: &out)
        // 12 header + 4 ext + 128, then (1 + 4 + 128), then (1 + 4 + 44)
        #expect(out.readableBytes == 16 + 128 + 5 + 128 + 5 + 44)
        var decoder = ChunkDecoder()
        var whole = out
        #expect(try decoder.nextMessage(&whole) == big)
        var byteByByte = ChunkDecoder()
        var feed = ByteBuffer()
        var result: RTMPMessage?
        for byte in out.readableBytesView {
            feed.writeInteger(byte)
            if let m = try byteByByte.nextMessage(&feed) { result = m }
        }
        #expect(result == big)
    }

    @Test("set chunk size applies to later chunks in both directions")
    func setChunkSize() throws {
        let encoder = ChunkEncoder()
        var out = ByteBuffer()
        encoder.write(ControlMessages.setChunkSize(4096), to: &out)
        let big = Self.message(6, type: 9, stream: 1, ts: 0, bytes: Array(repeating: 7, count: 4000))
        encoder.write(big, to: &out)
        #expect(out.readableBytes == 12 + 4 + 12 + 4000)
        var decoder = ChunkDecoder()
        #expect(try decoder.nextMessage(&out)?.type == .setChunkSize)
        #expect(decoder.incomingChunkSize == 4096)
        #expect(try decoder.nextMessage(&out) == big)
    }

    @Test("absurd chunk sizes are refused", arguments: [0, 0x7FFF_FFFF, 0x0100_0000])
    func absurdChunkSize(size: UInt32) {
        var wire = ByteBuffer(bytes: [0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0])
        wire.writeInteger(size)
        var decoder = ChunkDecoder()
        #expect(throws: RTMPError.self) { try decoder.nextMessage(&wire) }
    }

    @Test("a continuation on an unknown chunk stream is a protocol violation")
    func unknownStream() {
        var wire = ByteBuffer(bytes: [0xC5, 1, 2, 3])
        var decoder = ChunkDecoder()
        #expect(throws: RTMPError.protocolViolation("chunk stream 5 starts with header format 3")) {
            try decoder.nextMessage(&wire)
        }
    }

    @Test("a message over the length limit is refused")
    func tooLong() {
        var wire = ByteBuffer(bytes: [0x06, 0, 0, 0, 0xFF, 0xFF, 0xFF, 9, 1, 0, 0, 0])
        var decoder = ChunkDecoder(maxMessageLength: 1 << 20)
        #expect(throws: RTMPError.messageTooLong(0xFF_FFFF, limit: 1 << 20)) { try decoder.nextMessage(&wire) }
    }

    @Test("abort drops the partial message of its chunk stream")
    func abort() throws {
        var wire = ByteBuffer(bytes: [0x06, 0, 0, 0, 0, 1, 0, 9, 1, 0, 0, 0] + Array(repeating: 1, count: 128))
        wire.writeBytes([0x02, 0, 0, 0, 0, 0, 4, 2, 0, 0, 0, 0, 0, 0, 0, 6])  // abort csid 6
        wire.writeBytes([0x06, 0, 0, 0, 0, 0, 1, 9, 1, 0, 0, 0, 42])
        var decoder = ChunkDecoder()
        #expect(try decoder.nextMessage(&wire)?.type == .abort)
        #expect(try decoder.nextMessage(&wire)?.payload == ByteBuffer(bytes: [42]))
    }

    @Test("truncated input waits for more bytes without consuming")
    func truncated() throws {
        let full: [UInt8] = [0x03, 0x00, 0x03, 0xE8, 0x00, 0x00, 0x02, 0x14, 0x00, 0x00, 0x00, 0x00, 1, 2]
        for cut in 0..<full.count {
            var decoder = ChunkDecoder()
            var wire = ByteBuffer(bytes: full.prefix(cut))
            #expect(try decoder.nextMessage(&wire) == nil)
            #expect(wire.readerIndex == 0)
        }
    }

    @Test("random bytes never crash the decoder")
    func fuzz() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var decoder = ChunkDecoder()
            let count = Int.random(in: 0..<200, using: &generator)
            var wire = ByteBuffer(bytes: (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
            while (try? decoder.nextMessage(&wire)) ?? nil != nil {}  // only crashing matters here
        }
    }
}
