/// Our SDP (RFC 4566, offer/answer per RFC 3264): one audio stream on the call's RTP port
/// with `codecs` and telephone-event (RFC 4733). The first offer lists every codec we
/// support; an answer to a re-INVITE lists the one chosen, with the offer's payload types.
struct SDPOffer: Sendable, Equatable {
    /// The telephone-event payload type used when the answer names none.
    static let telephoneEventPayloadType: UInt8 = 101

    /// Our media address (IPv4).
    var address: String
    /// Our RTP port (RTCP is the next one, RFC 3550 §11).
    var rtpPort: Int
    /// The session id for the o= line.
    var sessionID: UInt64
    /// The audio formats, in order of preference.
    var codecs = CallCodec.offered
    /// The telephone-event formats.
    var telephoneEvents = TelephoneEventFormat.offered

    /// The o= line's version: one more for every new SDP of the session (RFC 3264 §8).
    var version: UInt64 = 1
    /// Our direction attribute (RFC 3264 §6.1): `recvonly` answers a hold (`sendonly`).
    var direction = "sendrecv"
    /// The video stream, when the call offers video.
    var video: SDPVideoOffer?

    /// The SDP text, CRLF line ends.
    var text: String {
        [
            "v=0",
            "o=switchboard \(sessionID) \(version) IN IP4 \(address)",
            "s=switchboard",
            "c=IN IP4 \(address)",
            "t=0 0",
            audioFormats,
            "a=ptime:20",
            "a=\(direction)",
        ].joined(separator: "\r\n") + "\r\n" + videoText
    }
}

extension SDPOffer {
    /// The m=audio line and its rtpmap/fmtp lines (CRLF between them).
    fileprivate var audioFormats: String {
        let types = codecs.map { "\($0.payloadType)" } + telephoneEvents.map { "\($0.payloadType)" }
        let codecLines = codecs.flatMap { codec in
            let fmtp = codec.fmtp.map { ["a=fmtp:\(codec.payloadType) \($0)"] } ?? []
            return ["a=rtpmap:\(codec.payloadType) \(codec.rtpmap)"] + fmtp
        }
        let eventLines = telephoneEvents.flatMap { event in
            ["a=rtpmap:\(event.payloadType) telephone-event/\(event.clockRate)",
             "a=fmtp:\(event.payloadType) 0-16"]
        }
        let media = "m=audio \(rtpPort) RTP/AVP \(types.joined(separator: " "))"
        return ([media] + codecLines + eventLines).joined(separator: "\r\n")
    }
}
