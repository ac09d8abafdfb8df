/// The video stream of our offer: H.264 (RFC 6184 §8.2.1) in non-interleaved mode, with the
/// keyframe requests we send announced as RTCP feedback (RFC 4585 §4.2 PLI, RFC 5104 §7.1 FIR),
/// and generic NACK, which we both send and answer with retransmissions.
struct SDPVideoOffer: Sendable, Equatable {
    /// Dynamic payload type of H.264 in our offers (telephone-event has 101).
    static let offeredPayloadType: UInt8 = 96
    /// Constrained Baseline, level 3.1: every phone that does H.264 decodes it, and it has no
    /// B-frames, so decode and presentation order agree.
    static let profileLevelID = "42e01f"

    /// Our video RTP port (RTCP is the next one); 0 once the far end declined video, so a
    /// later answer keeps the m= line (RFC 3264 §8.2).
    var port: Int
    /// Our H.264 payload type; an answer to an incoming offer takes the offer's (RFC 3264 §6.1).
    var payloadType = Self.offeredPayloadType
    /// The RTCP feedback we announce (`a=rtcp-fb` values); an answer lists only those the offer
    /// had (RFC 4585 §4.2).
    var feedback = Self.offeredFeedback

    /// All the feedback we do: generic NACK, PLI and FIR.
    static let offeredFeedback = ["nack", "nack pli", "ccm fir"]

    /// The m= section; `direction` is the call's (hold answers change it).
    func lines(direction: String) -> [String] {
        let pt = payloadType
        return [
            "m=video \(port) RTP/AVP \(pt)",
            "a=rtpmap:\(pt) H264/90000",
            "a=fmtp:\(pt) profile-level-id=\(Self.profileLevelID);packetization-mode=1;level-asymmetry-allowed=1",
        ] + feedback.map { "a=rtcp-fb:\(pt) \($0)" } + ["a=\(direction)"]
    }
}

extension SDPOffer {
    /// The video section's text (CRLF line ends), empty without video.
    var videoText: String {
        guard let video else { return "" }
        return video.lines(direction: direction).joined(separator: "\r\n") + "\r\n"
    }
}
