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
