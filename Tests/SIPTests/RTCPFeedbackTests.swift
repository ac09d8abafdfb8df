import NIOCore
import Testing

@testable import SIP

@Suite("RTCPFeedback")
struct RTCPFeedbackTests {
    static func bytes(_ write: (inout ByteBuffer) -> Void) -> [UInt8] {
        var buffer = ByteBuffer()
        write(&buffer)
        return buffer.getBytes(at: 0, length: buffer.readableBytes) ?? []
    }

    @Test("PLI: FMT 1, PT 206, length 2, sender then media SSRC (RFC 4585 §6.1)")
    func pli() {
        #expect(Self.bytes { RTCPFeedback.pli(sender: 0x0102_0304, media: 0x0A0B_0C0D, into: &$0) }
            == [0x81, 206, 0, 2, 1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D])
    }

    @Test("FIR: FMT 4, media SSRC 0, one FCI entry with the source and the request number (RFC 5104 §4.3.1)")
    func fir() {
        #expect(Self.bytes { RTCPFeedback.fir(sender: 0x0102_0304, media: 0x0A0B_0C0D, sequence: 7, into: &$0) }
            == [0x84, 206, 0, 4, 1, 2, 3, 4, 0, 0, 0, 0, 0x0A, 0x0B, 0x0C, 0x0D, 7, 0, 0, 0])
    }
}

@Suite("RTCPFeedback NACK")
struct RTCPNackTests {
    @Test("generic NACK: PT 205 FMT 1, a PID and a bitmask of the 16 after it per entry (RFC 4585 §6.2.1)")
    func nack() {
        let bytes = RTCPFeedbackTests.bytes {
            RTCPFeedback.nack(sender: 1, media: 2, sequences: [65_535, 0, 2, 15, 100], into: &$0)
        }
        #expect(bytes == [0x81, 205, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2,
                          0xFF, 0xFF, 0x80, 0x05,  // 65535, then 0 (bit 0), 2 (bit 2) and 15 (bit 15)
                          0, 100, 0, 0])
        var buffer = ByteBuffer(bytes: bytes)
        #expect(RTCPFeedback.nackedSequences(in: buffer, media: 2) == [65_535, 0, 2, 15, 100])
        #expect(RTCPFeedback.nackedSequences(in: buffer, media: 3).isEmpty, "about another source")
        buffer.moveWriterIndex(to: buffer.writerIndex - 1)
        #expect(RTCPFeedback.nackedSequences(in: buffer, media: 2).isEmpty, "its length runs past the end")
        #expect(RTCPFeedbackTests.bytes { RTCPFeedback.nack(sender: 1, media: 2, sequences: [], into: &$0) }.isEmpty)
    }

    @Test("a NACK after a report in a compound packet is found; a malformed packet after it ends the walk")
    func compound() {
        var buffer = RTCPReport.compound(RTCPReport.Content(ssrc: 9), cname: "x", allocator: .init())
        RTCPFeedback.nack(sender: 9, media: 2, sequences: [7, 8], into: &buffer)
        buffer.writeBytes([0x80, 205, 0xFF, 0xFF])
        #expect(RTCPFeedback.nackedSequences(in: buffer, media: 2) == [7, 8])
    }
}
