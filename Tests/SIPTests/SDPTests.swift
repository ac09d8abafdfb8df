import Testing
@testable import SIP

@Suite("SDP offer and answer")
struct SDPTests {
    @Test("the offer has PCMU, PCMA and telephone-event on our port")
    func offer() {
        let text = SDPOffer(address: "127.0.0.1", rtpPort: 20_000, sessionID: 7).text
        #expect(text.contains("m=audio 20000 RTP/AVP 0 8 101\r\n"))
        #expect(text.contains("c=IN IP4 127.0.0.1\r\n"))
        #expect(text.contains("a=rtpmap:101 telephone-event/8000\r\n"))
        #expect(text.hasPrefix("v=0\r\n"))
    }

    @Test("sipp's PCMU answer gives its address, port and telephone-event type")
    func sippAnswer() throws {
        let text = """
        v=0\r
        o=sippuas 53655765 2353687637 IN IP4 127.0.0.1\r
        s=-\r
        c=IN IP4 127.0.0.2\r
        t=0 0\r
        m=audio 6000 RTP/AVP 0 101\r
        a=rtpmap:0 PCMU/8000\r
        a=rtpmap:101 telephone-event/8000\r
        """
        let answer = try SDPAnswer(parsing: text)
        #expect(answer.codec == .mu)
        #expect(answer.payloadType == 0)
        #expect(answer.telephoneEventPayloadType == 101)
        #expect(answer.address == "127.0.0.2")
        #expect(answer.port == 6000)
    }

    @Test("a media-level c= wins and PCMA is found without telephone-event")
    func mediaLevelAddress() throws {
        let text = "v=0\nc=IN IP4 10.0.0.1\nm=video 5000 RTP/AVP 96\nm=audio 7000 RTP/AVP 8\nc=IN IP4 10.0.0.2\n"
        let answer = try SDPAnswer(parsing: text)
        #expect(answer.codec == .a)
        #expect(answer.address == "10.0.0.2")
        #expect(answer.port == 7000)
        #expect(answer.telephoneEventPayloadType == nil)
    }

    @Test("no audio, a rejected stream and no common codec are errors", arguments: [
        ("v=0\nc=IN IP4 1.2.3.4\nm=video 5000 RTP/AVP 96\n", "no audio stream"),
        ("v=0\nc=IN IP4 1.2.3.4\nm=audio 0 RTP/AVP 0\n", "audio stream rejected"),
        ("v=0\nc=IN IP4 1.2.3.4\nm=audio 5000 RTP/AVP 9 111\na=rtpmap:111 opus/48000/2\n", "no common codec"),
        ("", "no audio stream"),
    ])
    func errors(text: String, reason: String) {
        #expect(throws: SIPError.badSDP(reason)) { try SDPAnswer(parsing: text) }
    }

    @Test("hold is sendonly, inactive or 0.0.0.0; media-level direction wins; our answer mirrors it", arguments: [
        ("v=0\nc=IN IP4 1.2.3.4\nm=audio 5000 RTP/AVP 0\na=sendonly\n", SDPAnswer.Direction.sendonly, true),
        ("v=0\nc=IN IP4 1.2.3.4\na=inactive\nm=audio 5000 RTP/AVP 0\n", .inactive, true),
        ("v=0\nc=IN IP4 1.2.3.4\na=sendonly\nm=audio 5000 RTP/AVP 0\na=sendrecv\n", .sendrecv, false),
        ("v=0\nc=IN IP4 0.0.0.0\nm=audio 5000 RTP/AVP 0\n", .sendrecv, true),
        ("v=0\nc=IN IP4 1.2.3.4\nm=audio 5000 RTP/AVP 8\n", .sendrecv, false),
    ])
    func direction(text: String, direction: SDPAnswer.Direction, isHold: Bool) throws {
        let offer = try SDPAnswer(parsing: text)
        #expect(offer.direction == direction)
        #expect(offer.isHold == isHold)
        #expect(SDPAnswer.Direction.sendonly.answer == .recvonly)
    }

    @Test("a re-INVITE answer carries the next version and our direction")
    func answerVersion() {
        var sdp = SDPOffer(address: "127.0.0.1", rtpPort: 20_000, sessionID: 7)
        sdp.version += 1
        sdp.direction = "recvonly"
        #expect(sdp.text.contains("o=switchboard 7 2 IN IP4 127.0.0.1\r\n"))
        #expect(sdp.text.contains("a=recvonly\r\n"))
    }
}
