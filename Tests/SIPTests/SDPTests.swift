import Testing
@testable import SIP

@Suite("SDP offer and answer")
struct SDPTests {
    @Test("the offer has PCMU, PCMA, G.722, Opus and telephone-event on our port")
    func offer() {
        let text = SDPOffer(address: "127.0.0.1", rtpPort: 20_000, sessionID: 7).text
        #expect(text.contains("m=audio 20000 RTP/AVP 0 8 9 111 101 110\r\n"))
        #expect(text.contains("a=rtpmap:9 G722/8000\r\n"), "RFC 3551 §4.5.2: G.722's RTP clock is 8000")
        #expect(text.contains("a=rtpmap:111 opus/48000/2\r\na=fmtp:111 useinbandfec=1\r\n"), "RFC 7587 §7")
        #expect(text.contains("c=IN IP4 127.0.0.1\r\n"))
        #expect(text.contains("a=rtpmap:101 telephone-event/8000\r\n"))
        #expect(text.contains("a=rtpmap:110 telephone-event/48000\r\n"), "for Opus's clock")
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
        #expect(answer.codec == .pcmu)
        #expect(answer.telephoneEvent == TelephoneEventFormat(payloadType: 101, clockRate: 8_000))
        #expect(answer.address == "127.0.0.2")
        #expect(answer.port == 6000)
    }

    @Test("a media-level c= wins and PCMA is found without telephone-event")
    func mediaLevelAddress() throws {
        let text = "v=0\nc=IN IP4 10.0.0.1\nm=video 5000 RTP/AVP 96\nm=audio 7000 RTP/AVP 8\nc=IN IP4 10.0.0.2\n"
        let answer = try SDPAnswer(parsing: text)
        #expect(answer.codec == .pcma)
        #expect(answer.address == "10.0.0.2")
        #expect(answer.port == 7000)
        #expect(answer.telephoneEvent == nil)
    }

    @Test("no audio, a rejected stream and no common codec are errors", arguments: [
        ("v=0\nc=IN IP4 1.2.3.4\nm=video 5000 RTP/AVP 96\n", "no audio stream"),
        ("v=0\nc=IN IP4 1.2.3.4\nm=audio 0 RTP/AVP 0\n", "audio stream rejected"),
        ("v=0\nc=IN IP4 1.2.3.4\nm=audio 5000 RTP/AVP 18 98\na=rtpmap:98 iLBC/8000\n", "no common codec"),
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

    @Test("the answer's first format we support wins, with the answer's payload type", arguments: [
        ("m=audio 5000 RTP/AVP 98 9 0\na=rtpmap:98 iLBC/8000\n", CallCodec.g722, UInt8(9)),
        ("m=audio 5000 RTP/AVP 107 0\na=rtpmap:107 opus/48000/2\na=fmtp:107 useinbandfec=1\n", .opus, 107),
        ("m=audio 5000 RTP/AVP 8 0\n", .pcma, 8),
        ("m=audio 5000 RTP/AVP 96 0\na=rtpmap:96 G722/8000/1\n", .g722, 96),
    ])
    func codecChoice(media: String, codec: CallCodec, payloadType: UInt8) throws {
        let answer = try SDPAnswer(parsing: "v=0\nc=IN IP4 1.2.3.4\n" + media)
        #expect(answer.codec.kind == codec.kind)
        #expect(answer.codec.payloadType == payloadType)
        #expect(answer.codec.sampleRate == codec.sampleRate)
    }

    @Test("G.722 runs at 16 kHz on an 8 kHz clock; Opus at 48 kHz on its own clock")
    func clocks() {
        #expect(CallCodec.g722.samplesPerFrame == 320 && CallCodec.g722.ticksPerFrame == 160)
        #expect(CallCodec.opus.samplesPerFrame == 960 && CallCodec.opus.ticksPerFrame == 960)
        #expect(CallCodec.g722.ticks(inPayload: [UInt8](repeating: 0, count: 160)) == 160)
        #expect(CallCodec.opus.ticks(inPayload: [0x78, 0, 0]) == 960, "TOC config 15: hybrid 20 ms, one frame")
        #expect(CallCodec.opus.ticks(inPayload: [0xFB, 0x03]) == 2_880, "config 31 (CELT 20 ms), code 3, three frames")
    }

    @Test("Opus takes the far end's maxaveragebitrate (RFC 7587 §6.1) of its own payload type only")
    func opusMaxAverageBitrate() throws {
        let base = "v=0\nc=IN IP4 1.2.3.4\nm=audio 5000 RTP/AVP 107 0\na=rtpmap:107 opus/48000/2\n"
        let limited = try SDPAnswer(parsing: base + "a=fmtp:107 useinbandfec=1; maxaveragebitrate=12000\n")
        #expect(limited.codec.maxAverageBitrate == 12_000)
        #expect(try SDPAnswer(parsing: base + "a=fmtp:107 useinbandfec=1\n").codec.maxAverageBitrate == nil)
        #expect(try SDPAnswer(parsing: base + "a=fmtp:0 maxaveragebitrate=12000\n").codec.maxAverageBitrate == nil)
        var sdp = SDPOffer(address: "127.0.0.1", rtpPort: 20_000, sessionID: 7)
        sdp.keep(limited)
        #expect(sdp.text.contains("a=fmtp:107 useinbandfec=1\r\n"), "our answer keeps our own fmtp")
    }

    @Test("telephone-event on the chosen codec's clock is preferred")
    func telephoneEventClock() throws {
        let text = "v=0\nc=IN IP4 1.2.3.4\nm=audio 5000 RTP/AVP 111 101 110\na=rtpmap:111 opus/48000/2\n"
            + "a=rtpmap:101 telephone-event/8000\na=rtpmap:110 telephone-event/48000\n"
        #expect(try SDPAnswer(parsing: text).telephoneEvent?.payloadType == 110)
    }

    @Test("a re-INVITE answer lists only the chosen codec, with the offer's payload types")
    func reinviteAnswer() throws {
        let text = "v=0\nc=IN IP4 1.2.3.4\nm=audio 5000 RTP/AVP 8 96\na=rtpmap:96 telephone-event/8000\n"
        let offer = try SDPAnswer(parsing: text)
        var sdp = SDPOffer(address: "127.0.0.1", rtpPort: 20_000, sessionID: 7)
        sdp.codecs = [offer.codec]
        sdp.telephoneEvents = offer.telephoneEvent.map { [$0] } ?? []
        #expect(sdp.text.contains("m=audio 20000 RTP/AVP 8 96\r\na=rtpmap:8 PCMA/8000\r\n"
                                  + "a=rtpmap:96 telephone-event/8000\r\n"))
    }
}
