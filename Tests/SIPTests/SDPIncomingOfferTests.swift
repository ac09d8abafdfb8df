import Testing

@testable import SIP

@Suite("SDP answer to an incoming offer")
struct SDPIncomingOfferTests {
    /// An offer in the shape softphones send: session-level c=, several codecs, telephone-event.
    static func offer(audio: String, rtpmaps: [String], video: [String] = [], direction: String = "sendrecv") -> String {
        (["v=0", "o=caller 1 1 IN IP4 10.0.0.5", "s=-", "c=IN IP4 10.0.0.5", "t=0 0", "m=audio 4000 RTP/AVP \(audio)"]
            + rtpmaps.map { "a=rtpmap:\($0)" } + ["a=\(direction)"] + video).joined(separator: "\r\n") + "\r\n"
    }

    static func answer(_ offer: String, videoPort: Int? = nil) throws -> String {
        try SDPIncomingOffer(parsing: offer).answer(address: "127.0.0.1", rtpPort: 20_000, videoPort: videoPort,
                                                     sessionID: 9).text
    }

    @Test("PCMU alone is answered with PCMU on our port and address, sendrecv, no video")
    func pcmuOnly() throws {
        let text = try Self.answer(Self.offer(audio: "0", rtpmaps: ["0 PCMU/8000"]))
        #expect(text.contains("c=IN IP4 127.0.0.1\r\n"))
        #expect(text.contains("m=audio 20000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"))
        #expect(!text.contains("telephone-event"))
        #expect(text.contains("a=sendrecv\r\n"))
        #expect(!text.contains("m=video"))
    }

    @Test("the first offered codec we support wins, telephone-event keeps the offer's payload type")
    func firstSupported() throws {
        // G.729 (18) first: we skip it and take PCMA, the offer's next preference.
        let offer = Self.offer(audio: "18 8 0 96", rtpmaps: ["18 G729/8000", "8 PCMA/8000", "0 PCMU/8000",
                                                             "96 telephone-event/8000"])
        let text = try Self.answer(offer)
        #expect(text.contains("m=audio 20000 RTP/AVP 8 96\r\na=rtpmap:8 PCMA/8000\r\n"))
        #expect(text.contains("a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-16\r\n"))
        let read = try SDPIncomingOffer(parsing: offer).audio
        #expect(read.address == "10.0.0.5" && read.port == 4000)
    }

    @Test("Opus on a dynamic payload type is answered with that type and its fmtp")
    func opus() throws {
        let text = try Self.answer(Self.offer(audio: "107 102", rtpmaps: ["107 opus/48000/2",
                                                                         "102 telephone-event/48000"]))
        #expect(text.contains("m=audio 20000 RTP/AVP 107 102\r\na=rtpmap:107 opus/48000/2\r\na=fmtp:107 useinbandfec=1\r\n"))
        #expect(text.contains("a=rtpmap:102 telephone-event/48000\r\n"))
    }

    @Test("an offer with only G.729, or without audio, has nothing we can answer")
    func unusable() {
        #expect(throws: SIPError.badSDP("no common codec")) {
            try SDPIncomingOffer(parsing: Self.offer(audio: "18", rtpmaps: ["18 G729/8000"]))
        }
        #expect(throws: SIPError.self) {
            try SDPIncomingOffer(parsing: "v=0\r\nc=IN IP4 10.0.0.5\r\nm=video 4002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n")
        }
    }

    @Test("a sendonly offer (the caller holds) is answered recvonly")
    func direction() throws {
        let text = try Self.answer(Self.offer(audio: "0", rtpmaps: [], direction: "sendonly"))
        #expect(text.contains("a=recvonly\r\n") && !text.contains("a=sendrecv"))
    }

    @Test("offered H.264 is taken on our video port with the offer's payload type")
    func videoTaken() throws {
        let video = ["m=video 4002 RTP/AVP 100", "a=rtpmap:100 H264/90000", "a=fmtp:100 packetization-mode=1"]
        let offer = try SDPIncomingOffer(parsing: Self.offer(audio: "0", rtpmaps: [], video: video))
        #expect(offer.h264?.payloadType == 100 && offer.h264?.port == 4002)
        let text = offer.answer(address: "127.0.0.1", rtpPort: 20_000, videoPort: 20_002, sessionID: 9).text
        #expect(text.contains("m=video 20002 RTP/AVP 100\r\na=rtpmap:100 H264/90000\r\n"))
        let media = text.split(separator: "\r\n").filter { $0.hasPrefix("m=") }.map { $0.prefix(7) }
        #expect(media == ["m=audio", "m=video"])
        #expect(!text.contains("a=rtcp-fb"), "no feedback offered, none answered")
    }

    @Test("the answer lists only the RTCP feedback the offer had (baresip: nack pli, not nack)")
    func videoFeedbackSubset() throws {
        let video = ["m=video 4002 RTP/AVP 100", "a=rtpmap:100 H264/90000", "a=fmtp:100 packetization-mode=1",
                     "a=rtcp-fb:* nack pli", "a=rtcp-fb:100 goog-remb"]
        let text = try Self.answer(Self.offer(audio: "0", rtpmaps: [], video: video), videoPort: 20_002)
        #expect(text.contains("a=rtcp-fb:100 nack pli\r\n"))
        #expect(!text.contains("a=rtcp-fb:100 nack\r\n") && !text.contains("ccm fir") && !text.contains("goog-remb"))
    }

    @Test("of baresip's H.264 formats the packetization-mode=1 one is answered, though listed second")
    func videoMode1() throws {
        let video = ["m=video 4002 RTP/AVP 96 97", "a=rtpmap:96 H264/90000",
                     "a=fmtp:96 packetization-mode=0;profile-level-id=42e01f", "a=rtpmap:97 H264/90000",
                     "a=fmtp:97 packetization-mode=1;profile-level-id=42e01f"]
        let text = try Self.answer(Self.offer(audio: "0", rtpmaps: [], video: video), videoPort: 20_002)
        #expect(text.contains("m=video 20002 RTP/AVP 97\r\na=rtpmap:97 H264/90000\r\n"))
    }

    @Test("video we cannot take (VP8 only, H.264 mode 0 only, or no port) is declined with port 0, not left out")
    func videoDeclined() throws {
        let vp8 = ["m=video 4002 RTP/AVP 97", "a=rtpmap:97 VP8/90000"]
        #expect(try Self.answer(Self.offer(audio: "0", rtpmaps: [], video: vp8), videoPort: 20_002)
            .contains("m=video 0 RTP/AVP"))
        let mode0 = ["m=video 4002 RTP/AVP 96", "a=rtpmap:96 H264/90000"]
        #expect(try Self.answer(Self.offer(audio: "0", rtpmaps: [], video: mode0), videoPort: 20_002)
            .contains("m=video 0 RTP/AVP"))
        let h264 = ["m=video 4002 RTP/AVP 96", "a=rtpmap:96 H264/90000", "a=fmtp:96 packetization-mode=1"]
        #expect(try Self.answer(Self.offer(audio: "0", rtpmaps: [], video: h264), videoPort: nil)
            .contains("m=video 0 RTP/AVP"))
    }

    @Test("the stream is the dialed user when it is a valid free name, else the callId")
    func streamName() {
        #expect(SIPCalls.streamName(dialed: "1000", callId: "c1") { _ in true } == "1000")
        #expect(SIPCalls.streamName(dialed: "1000", callId: "c1") { _ in false } == "c1")
        #expect(SIPCalls.streamName(dialed: nil, callId: "c1") { _ in true } == "c1")
        #expect(SIPCalls.streamName(dialed: "a/b", callId: "c1") { _ in true } == "c1")
    }
}
