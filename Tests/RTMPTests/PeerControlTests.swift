import NIOCore
import Testing

@testable import RTMP

@Suite("peer control")
struct PeerControlTests {
    static func media(bytes: Int) -> RTMPMessage {
        RTMPMessage(chunkStreamID: 6, type: .video, streamID: 1,
                    payload: ByteBuffer(repeating: 0, count: bytes))
    }

    @Test("nothing is acknowledged before the peer sets a window")
    func noWindowNoAck() {
        var control = PeerControl()
        #expect(control.handle(Self.media(bytes: 10_000_000)).isEmpty)
    }

    @Test("bytes are acknowledged once a window's worth arrived, counting 12 header bytes a message")
    func acknowledgesEachWindow() {
        var control = PeerControl()
        #expect(control.handle(ControlMessages.windowAckSize(1_000)).isEmpty)  // counts 16 bytes
        #expect(control.handle(Self.media(bytes: 900)).isEmpty)  // 928
        #expect(control.handle(Self.media(bytes: 100)) == [ControlMessages.acknowledgement(1_040)])
        #expect(control.handle(Self.media(bytes: 900)).isEmpty)  // 952 since the last one
    }

    @Test("a ping request gets a ping response with its time")
    func answersPing() {
        var control = PeerControl()
        #expect(control.handle(ControlMessages.userControl(.pingRequest, 1234))
            == [ControlMessages.userControl(.pingResponse, 1234)])
    }
}
