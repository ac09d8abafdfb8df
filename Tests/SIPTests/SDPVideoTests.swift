import Testing

@testable import SIP

@Suite("SDP video offer and answer")
struct SDPVideoTests {
    /// baresip 1.0's answer to a video offer (avcodec, H.264 in both packetization modes).
    static let baresipAnswer = """
        v=0\r
        o=- 1234 5678 IN IP4 127.0.0.1\r
        s=-\r
        c=IN IP4 127.0.0.1\r
        t=0 0\r
        m=audio 10000 RTP/AVP 0\r
        a=rtpmap:0 PCMU/8000\r
        a=sendrecv\r
        m=video 10002 RTP/AVP 96\r
        b=AS:500\r
        a=rtpmap:96 H264/90000\r
        a=fmtp:96 packetization-mode=1;profile-level-id=42e01f;sprop-parameter-sets=Z0LgH9o=,aM48gA==\r
        a=rtcp-fb:* ccm fir\r
        a=rtcp-fb:96 nack pli\r
        a=sendrecv\r
        """

    @Test("a video call's offer adds an H.264 section with PLI and FIR feedback on its own port")
    func offer() {
        var sdp = SDPOffer(address: "127.0.0.1", rtpPort: 20_000, sessionID: 7)
        sdp.video = SDPVideoOffer(port: 20_002)
        let text = sdp.text
        #expect(text.contains("m=audio 20000 RTP/AVP 0 8 9 111 101 110\r\n"))
        #expect(text.contains("m=video 20002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"))
        #expect(text.contains("a=fmtp:96 profile-level-id=42e01f;packetization-mode=1;level-asymmetry-allowed=1\r\n"))
        #expect(text.contains("a=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\na=rtcp-fb:96 ccm fir\r\n"))
        #expect(text.hasSuffix("a=sendrecv\r\n"))
        let mediaLines = text.split(separator: "\r\n").filter { $0.hasPrefix("m=") }
        #expect(mediaLines.map { $0.prefix(7) } == ["m=audio", "m=video"])
    }

    @Test("an audio-only call's offer has no video section")
    func audioOnly() {
        #expect(!SDPOffer(address: "127.0.0.1", rtpPort: 20_000, sessionID: 7).text.contains("m=video"))
    }

    @Test("the answer's video port, payload type, PLI and parameter sets are read")
    func accepted() throws {
        let answer = try #require(try SDPVideoAnswer(parsing: Self.baresipAnswer))
        #expect(answer.address == "127.0.0.1")
        #expect(answer.port == 10_002)
        #expect(answer.payloadType == 96)
        #expect(answer.keyframeRequest == .pli)
        #expect(!answer.acceptsNack, "nack pli is PLI, not generic NACK")
        #expect(answer.parameterSets == [[0x67, 0x42, 0xE0, 0x1F, 0xDA], [0x68, 0xCE, 0x3C, 0x80]])
        #expect(answer.direction == .sendrecv)
        #expect(try SDPAnswer(parsing: Self.baresipAnswer).port == 10_000)
    }

    @Test("only ccm fir negotiated means FIR; a media-level c= wins")
    func firOnly() throws {
        let text = "v=0\nc=IN IP4 10.0.0.1\nm=audio 7000 RTP/AVP 0\nm=video 7002 RTP/AVP 97\nc=IN IP4 10.0.0.2\n"
            + "a=rtpmap:97 H264/90000\na=rtcp-fb:97 ccm fir\na=recvonly\n"
        let answer = try #require(try SDPVideoAnswer(parsing: text))
        #expect(answer.keyframeRequest == .fir)
        #expect(answer.address == "10.0.0.2")
        #expect(answer.payloadType == 97)
        #expect(answer.direction == .recvonly)
        #expect(answer.parameterSets.isEmpty)
    }

    @Test("port 0, no video section or no H.264 all mean no video")
    func declined() throws {
        let base = "v=0\nc=IN IP4 10.0.0.1\nm=audio 7000 RTP/AVP 0\n"
        #expect(try SDPVideoAnswer(parsing: base) == nil)
        #expect(try SDPVideoAnswer(parsing: base + "m=video 0 RTP/AVP 96\na=rtpmap:96 H264/90000\n") == nil)
        #expect(try SDPVideoAnswer(parsing: base + "m=video 7002 RTP/AVP 100\na=rtpmap:100 VP8/90000\n") == nil)
    }

    @Test("a declined video keeps its m= line with port 0 in later answers")
    func declinedOffer() {
        var sdp = SDPOffer(address: "127.0.0.1", rtpPort: 20_000, sessionID: 7)
        sdp.video = SDPVideoOffer(port: 0)
        sdp.direction = "recvonly"
        #expect(sdp.text.contains("m=video 0 RTP/AVP 96\r\n"))
        #expect(sdp.text.hasSuffix("a=recvonly\r\n"))
    }
}
