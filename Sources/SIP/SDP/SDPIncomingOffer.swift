/// The SDP offer of an INVITE from outside, and our answer to it (RFC 3264 §6).
struct SDPIncomingOffer: Sendable {
    /// The audio, read as `SDPAnswer` reads a re-INVITE's offer: the first codec we support, the
    /// telephone-event on its clock, the address and the direction.
    var audio: SDPAnswer
    /// Whether the offer has an m=video line at all (it then needs one in the answer).
    var hasVideo: Bool
    /// The offer's video section when it carries H.264 in packetization mode 1 (the one we
    /// send, FU-A) on a usable port.
    var h264: SDPVideoAnswer?

    /// Reads an offer.
    /// - Throws: `SIPError.badSDP` when it has no audio we can use (the INVITE gets 488).
    init(parsing text: String) throws(SIPError) {
        audio = try SDPAnswer(parsing: text)
        hasVideo = try SDPSections(text).media.contains { $0.kind == "video" }
        h264 = try SDPVideoAnswer(parsing: text).flatMap { $0.packetizationMode == 1 ? $0 : nil }
    }

    /// Our answer: only the chosen codec and telephone-event, with the offer's payload types,
    /// and the direction that mirrors the offer's. An offered video stream is taken on
    /// `videoPort` with the offer's H.264 payload type and those of our RTCP feedback it lists
    /// when both exist, else declined with port 0 (§6: every offered stream gets an m= line).
    func answer(address: String, rtpPort: Int, videoPort: Int?, sessionID: UInt64) -> SDPOffer {
        var sdp = SDPOffer(address: address, rtpPort: rtpPort, sessionID: sessionID)
        sdp.keep(audio)
        sdp.direction = audio.direction.answer.rawValue
        guard hasVideo else { return sdp }
        if let h264, let videoPort {
            sdp.video = SDPVideoOffer(port: videoPort, payloadType: h264.payloadType,
                                      feedback: SDPVideoOffer.offeredFeedback.filter(h264.feedback.contains))
        } else {
            sdp.video = SDPVideoOffer(port: 0)
        }
        return sdp
    }
}

extension SDPOffer {
    /// Lists only what `chosen` picked, with its payload types: what later answers keep.
    mutating func keep(_ chosen: SDPAnswer) {
        codecs = [chosen.codec]
        telephoneEvents = chosen.telephoneEvent.map { [$0] } ?? []
    }
}
