/// The SDP offer of an outgoing call (RFC 4566, offer/answer per RFC 3264): one audio
/// stream with PCMU, PCMA and telephone-event (RFC 4733) on the call's RTP port.
struct SDPOffer: Sendable, Equatable {
    /// Dynamic payload type offered for telephone-event.
    static let telephoneEventPayloadType: UInt8 = 101

    /// Our media address (IPv4).
    var address: String
    /// Our RTP port (RTCP is the next one, RFC 3550 §11).
    var rtpPort: Int
    /// The session id for the o= line.
    var sessionID: UInt64
    /// The o= line's version: one more for every new SDP of the session (RFC 3264 §8).
    var version: UInt64 = 1
    /// Our direction attribute (RFC 3264 §6.1): `recvonly` answers a hold (`sendonly`).
    var direction = "sendrecv"
    /// The video stream, when the call offers video.
    var video: SDPVideoOffer?

    /// The SDP text, CRLF line ends.
    var text: String {
        let pt = Self.telephoneEventPayloadType
        return [
            "v=0",
            "o=switchboard \(sessionID) \(version) IN IP4 \(address)",
            "s=switchboard",
            "c=IN IP4 \(address)",
            "t=0 0",
            "m=audio \(rtpPort) RTP/AVP 0 8 \(pt)",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:\(pt) telephone-event/8000",
            "a=fmtp:\(pt) 0-16",
            "a=ptime:20",
            "a=\(direction)",
        ].joined(separator: "\r\n") + "\r\n" + videoText
    }
}
