import NIOCore
import Testing

@testable import SIP

@Suite("RTCP receiver reports")
struct RTCPReportTests {
    @Test("loss, sequence wrap and the fraction lost of an interval (RFC 3550 §A.1, §A.3)")
    func stats() throws {
        var stats = ReceptionStats()
        for sequence: UInt16 in [65_534, 65_535, 1, 2] {  // 0 is lost, across the wrap
            stats.update(ssrc: 9, sequence: sequence, timestamp: UInt32(sequence) &* 160, arrival: Int64(sequence) * 160)
        }
        let first = stats.block()
        let block = try #require(first)
        #expect(block.ssrc == 9)
        #expect(block.extendedHighestSequence == 65_536 + 2)
        #expect(block.cumulativeLost == 1)
        #expect(block.fractionLost == 51)  // 1 of 5 expected: 256 / 5
        #expect(block.jitter == 0)
        stats.update(ssrc: 9, sequence: 3, timestamp: 3 * 160, arrival: 3 * 160)
        let next = stats.block()
        #expect(next?.fractionLost == 0, "the next interval lost nothing")
    }

    @Test("jitter follows arrival spread, and a new SSRC starts over")
    func jitterAndRestart() throws {
        var stats = ReceptionStats()
        stats.update(ssrc: 1, sequence: 10, timestamp: 0, arrival: 0)
        stats.update(ssrc: 1, sequence: 11, timestamp: 160, arrival: 160 + 320)
        let spread = stats.block()
        #expect(spread?.jitter == 20)  // 320 / 16
        stats.update(ssrc: 2, sequence: 500, timestamp: 0, arrival: 0)
        let restarted = stats.block()
        let block = try #require(restarted)
        #expect(block.ssrc == 2 && block.extendedHighestSequence == 500 && block.cumulativeLost == 0)
    }

    @Test("the compound packet is an RR with one block and an SDES CNAME, word-aligned")
    func encoding() {
        let block = ReceptionStats.Block(ssrc: 0x0102_0304, fractionLost: 51, cumulativeLost: 1,
                                         extendedHighestSequence: 65_538, jitter: 20)
        let packet = RTCPReport.compound(.init(ssrc: 0xAABB_CCDD, block: block, lastSR: 7, delaySinceLastSR: 8),
                                         cname: "sb", allocator: ByteBufferAllocator())
        let bytes = packet.getBytes(at: 0, length: packet.readableBytes) ?? []
        #expect(bytes.count == 32 + 16)
        #expect(Array(bytes[0..<8]) == [0x81, 201, 0, 7, 0xAA, 0xBB, 0xCC, 0xDD])
        #expect(Array(bytes[12..<16]) == [51, 0, 0, 1])
        #expect(Array(bytes[32..<36]) == [0x81, 202, 0, 3])
        #expect(Array(bytes[40..<48]) == [1, 2, UInt8(ascii: "s"), UInt8(ascii: "b"), 0, 0, 0, 0])
    }

    @Test("a sender report's NTP middle bits are read; other packets give nil")
    func senderReport() {
        var sr = ByteBuffer(bytes: [0x80, 200, 0, 6, 0, 0, 0, 1, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88])
        #expect(RTCPReport.senderReportNTPMiddle(sr) == 0x3344_5566)
        sr.setInteger(UInt8(201), at: 1)
        #expect(RTCPReport.senderReportNTPMiddle(sr) == nil)
    }

    @Test("a sender report carries the NTP/RTP time pair and our counts, then the block and SDES (RFC 3550 §6.4.1)")
    func senderReportLayout() {
        let block = ReceptionStats.Block(ssrc: 0x0102_0304, fractionLost: 0, cumulativeLost: 0,
                                         extendedHighestSequence: 9, jitter: 3)
        let sender = RTCPReport.SenderInfo(ntpTime: 0x1122_3344_5566_7788, rtpTimestamp: 0x99AA_BBCC,
                                           packets: 250, octets: 40_000)
        let packet = RTCPReport.compound(.init(ssrc: 0xAABB_CCDD, sender: sender, block: block, lastSR: 7,
                                               delaySinceLastSR: 8),
                                         cname: "sb", allocator: ByteBufferAllocator())
        let bytes = packet.getBytes(at: 0, length: packet.readableBytes) ?? []
        #expect(bytes.count == 52 + 16)
        #expect(Array(bytes[0..<8]) == [0x81, 200, 0, 12, 0xAA, 0xBB, 0xCC, 0xDD])
        #expect(Array(bytes[8..<28]) == [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC,
                                         0, 0, 0, 250, 0, 0, 0x9C, 0x40])
        #expect(Array(bytes[28..<32]) == [1, 2, 3, 4], "the report block follows the sender info")
        #expect(Array(bytes[44..<52]) == [0, 0, 0, 7, 0, 0, 0, 8])
        #expect(Array(bytes[52..<56]) == [0x81, 202, 0, 3])
        #expect(RTCPReport.senderReportNTPMiddle(packet) == 0x3344_5566, "our own reader takes LSR from it")
    }

    @Test("a sender report without reception has no block; NTP time counts from 1900")
    func senderReportAlone() {
        let sender = RTCPReport.SenderInfo(ntpTime: RTCPReport.ntpTime(unixSeconds: 1.5), rtpTimestamp: 1,
                                           packets: 1, octets: 160)
        let packet = RTCPReport.compound(.init(ssrc: 1, sender: sender), cname: "sb", allocator: ByteBufferAllocator())
        #expect(packet.getBytes(at: 0, length: 4) == [0x80, 200, 0, 6])
        #expect(packet.getInteger(at: 8, as: UInt64.self) == (UInt64(2_208_988_801) << 32 | 0x8000_0000))
        #expect(packet.readableBytes == 28 + 16)
    }
}
