import NIOCore
import Testing
@testable import SIP

@Suite("telephone-event payload (RFC 4733 §2.3)")
struct DTMFEventTests {
    @Test("an end packet for digit 5 encodes and decodes")
    func roundTrip() throws {
        let event = DTMFEvent(event: 5, isEnd: true, volume: 10, duration: 1_600)
        var buffer = ByteBuffer()
        event.write(to: &buffer)
        #expect(Array(buffer.readableBytesView) == [0x05, 0x8A, 0x06, 0x40])
        #expect(try DTMFEvent(parsing: buffer) == event)
    }

    @Test("DTMF characters map to RFC 4733 §3.2 event codes")
    func codes() {
        #expect(DTMFEvent.code(for: "0") == 0)
        #expect(DTMFEvent.code(for: "9") == 9)
        #expect(DTMFEvent.code(for: "*") == 10)
        #expect(DTMFEvent.code(for: "#") == 11)
        #expect(DTMFEvent.code(for: "D") == 15)
        #expect(DTMFEvent.code(for: "x") == nil)
    }

    @Test("a 200 ms digit is three growing packets and the end packet three times")
    func packets() {
        let packets = DTMFEvent.packets(for: 1, milliseconds: 200)
        #expect(packets.map(\.duration) == [400, 800, 1_200, 1_600, 1_600, 1_600])
        #expect(packets.map(\.isEnd) == [false, false, false, true, true, true])
    }

    @Test("a payload shorter than 4 bytes is rejected")
    func short() {
        #expect(throws: SIPError.self) { try DTMFEvent(parsing: ByteBuffer(bytes: [1, 2, 3])) }
    }
}
