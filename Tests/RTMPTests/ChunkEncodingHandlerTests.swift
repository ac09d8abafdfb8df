import NIOCore
import NIOEmbedded
import Testing

@testable import RTMP

@Suite("chunk encoding handler")
struct ChunkEncodingHandlerTests {
    static func status(ts: UInt32) -> RTMPMessage {
        RTMPMessage(chunkStreamID: 5, type: .dataAMF0, streamID: 1, timestamp: ts, payload: ByteBuffer(bytes: [1, 2, 3]))
    }

    @Test("shared chunks reach the socket as the same bytes, not a copy, and the next message gets a full header")
    func sharedChunksPassThrough() throws {
        let handler = ChunkEncodingHandler()
        let channel = EmbeddedChannel(handler: handler)
        try channel.writeOutbound(Self.status(ts: 0))
        let first = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(first.getInteger(at: 0, as: UInt8.self) == 0x05)  // format 0
        try channel.writeOutbound(Self.status(ts: 10))
        let compressed = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(compressed.getInteger(at: 0, as: UInt8.self).map { $0 >> 6 } == 2)  // same length and type

        let shared = ChunkEncoder.standalone(Self.status(ts: 20), chunkSize: 4096)
        handler.writeChunks(shared, chunkStreamID: 5)
        channel.flush()
        let passed = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(passed == shared)
        let sameMemory = passed.withUnsafeReadableBytes { a in shared.withUnsafeReadableBytes { b in a.baseAddress == b.baseAddress } }
        #expect(sameMemory)

        try channel.writeOutbound(Self.status(ts: 30))
        let after = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(after.getInteger(at: 0, as: UInt8.self) == 0x05)  // format 0 again: the peer saw the shared header
        #expect(try channel.finish().isClean)
    }

    @Test("delta chunks shared by players give each player its own timestamp")
    func deltaChunksFollowEachPlayersTimeline() throws {
        let frame = RTMPMessage(chunkStreamID: 6, type: .video, streamID: 1, timestamp: 40,
                                payload: ByteBuffer(repeating: 9, count: 300))
        let shared = ChunkEncoder.standaloneDelta(frame, chunkSize: 128)
        #expect(shared.getInteger(at: 0, as: UInt8.self) == 0x46)  // format 1, chunk stream 6
        for start: UInt32 in [0, 5_000] {
            let encoder = ChunkEncoder()
            var wire = ByteBuffer()
            encoder.write(RTMPMessage(chunkStreamID: 6, type: .video, streamID: 1, timestamp: start,
                                      payload: ByteBuffer(bytes: [1])), to: &wire)
            var chunks = shared
            wire.writeBuffer(&chunks)
            var decoder = ChunkDecoder()
            _ = try decoder.nextMessage(&wire)
            let decoded = try #require(try decoder.nextMessage(&wire))
            #expect(decoded.timestamp == start + 40)
            #expect(decoded.payload == frame.payload)
        }
    }
}
