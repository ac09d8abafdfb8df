import NIOCore
import Testing
@testable import SIP

@Suite("RTP header (RFC 3550 §5.1)")
struct RTPHeaderTests {
    static let table: [([UInt8], RTPHeader)] = [
        ([0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xA0, 0xDE, 0xAD, 0xBE, 0xEF],
         RTPHeader(marker: false, payloadType: 0, sequenceNumber: 1, timestamp: 160, ssrc: 0xDEAD_BEEF)),
        ([0x80, 0xE5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01],
         RTPHeader(marker: true, payloadType: 101, sequenceNumber: 0xFFFF, timestamp: 0xFFFF_FFFF, ssrc: 1)),
    ]

    @Test("headers encode to and decode from the table bytes")
    func table() throws {
        for (bytes, header) in Self.table {
            var written = ByteBuffer()
            header.write(to: &written)
            #expect(Array(written.readableBytesView) == bytes)
            let (parsed, payload) = try RTPHeader.parse(ByteBuffer(bytes: bytes + [1, 2, 3]))
            #expect(parsed == header)
            #expect(Array(payload.readableBytesView) == [1, 2, 3])
        }
    }

    @Test("CSRCs, a header extension and padding are skipped")
    func skipsOptionalParts() throws {
        let bytes: [UInt8] = [0xB1, 0x08, 0, 7, 0, 0, 0, 0, 0, 0, 0, 9] // V=2 P X CC=1, PCMA
            + [0, 0, 0, 5] // CSRC
            + [0xBE, 0xDE, 0, 1, 1, 2, 3, 4] // extension, one word
            + [0xAA, 0xBB] // payload
            + [0, 0, 3] // padding, 3 bytes
        let (header, payload) = try RTPHeader.parse(ByteBuffer(bytes: bytes))
        #expect(header.payloadType == 8)
        #expect(header.sequenceNumber == 7)
        #expect(Array(payload.readableBytesView) == [0xAA, 0xBB])
    }

    @Test("short packets, version 1 and oversized padding are rejected", arguments: [
        [UInt8](repeating: 0x80, count: 11),
        [0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1],
        [0xA0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 9],
    ])
    func rejects(bytes: [UInt8]) {
        #expect(throws: SIPError.self) { try RTPHeader.parse(ByteBuffer(bytes: bytes)) }
    }
}
