import Foundation

/// What the far end's answer says about video: where to send, the H.264 payload type, which
/// keyframe request it understands and any parameter sets it announced.
struct SDPVideoAnswer: Sendable, Equatable {
    /// How to ask the far end for a keyframe.
    enum KeyframeRequest: Sendable, Equatable {
        /// RTCP PLI (RFC 4585 §6.3.1), `a=rtcp-fb:<pt> nack pli`; also used when nothing was
        /// negotiated, since phones that list no feedback in RTP/AVP still honour it.
        case pli
        /// RTCP FIR (RFC 5104 §4.3.1), when only `ccm fir` was negotiated.
        case fir
    }

    /// Where to send RTP (media-level c= wins).
    var address: String
    /// The far end's video RTP port.
    var port: Int
    /// The H.264 payload type of the answer.
    var payloadType: UInt8
    /// Its `packetization-mode` (RFC 6184 §8.1: 0 when absent); we send FU-A, which needs 1.
    var packetizationMode: Int
    /// The request we send for a keyframe.
    var keyframeRequest: KeyframeRequest
    /// true when it takes and sends generic NACKs (`a=rtcp-fb:<pt> nack`, RFC 4585 §4.2): we
    /// then resend what it names and name what we miss.
    var acceptsNack: Bool
    /// Its `a=rtcp-fb` values for the payload type (or `*`), lowercased: "nack", "nack pli"...
    var feedback: [String]
    /// SPS and PPS from `sprop-parameter-sets` (RFC 6184 §8.1), without start codes.
    var parameterSets: [[UInt8]]
    /// The far end's direction for video (ours is its `answer`).
    var direction: SDPAnswer.Direction

    /// Reads the first video section of an answer.
    /// - Returns: nil when there is none, it is declined (port 0) or it has no H.264.
    /// - Throws: `SIPError.badSDP` for a malformed m= line or no connection address.
    init?(parsing text: String) throws(SIPError) {
        let sdp = try SDPSections(text)
        guard let video = sdp.media.first(where: { $0.kind == "video" }), video.port > 0, video.port < 65_536 else {
            return nil
        }
        let h264 = video.attributes("rtpmap").compactMap { value -> UInt8? in
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[1].lowercased().hasPrefix("h264/90000") else { return nil }
            return UInt8(parts[0])
        }
        let fmtps = video.attributes("fmtp")
        func mode(_ pt: UInt8) -> Int {
            let value = fmtps.first { $0.hasPrefix("\(pt) ") }?.lowercased() ?? ""
            return value.contains("packetization-mode=1") ? 1 : value.contains("packetization-mode=2") ? 2 : 0
        }
        // The far end's order is its preference, but a mode-1 format beats one we cannot send to.
        let candidates = video.formats.filter(h264.contains)
        guard let pt = candidates.first(where: { mode($0) == 1 }) ?? candidates.first else { return nil }
        guard let address = SDPSections.connectionAddress(video.lines) ?? SDPSections.connectionAddress(sdp.session)
        else { throw .badSDP("no connection address") }
        self.address = address
        self.port = video.port
        self.payloadType = pt
        self.packetizationMode = mode(pt)
        let feedback = video.attributes("rtcp-fb").compactMap { value -> String? in
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0] == "*" || UInt8(parts[0]) == pt else { return nil }
            return parts[1].lowercased()
        }
        self.feedback = feedback
        keyframeRequest = feedback.contains("ccm fir") && !feedback.contains("nack pli") ? .fir : .pli
        acceptsNack = feedback.contains("nack")
        let fmtp = fmtps.first { $0.hasPrefix("\(pt) ") }
        parameterSets = fmtp.map(Self.parameterSets) ?? []
        direction = SDPSections.direction(video.lines) ?? SDPSections.direction(sdp.session) ?? .sendrecv
    }

    /// The base64 NAL units of `sprop-parameter-sets` in an fmtp value.
    private static func parameterSets(_ fmtp: Substring) -> [[UInt8]] {
        let parameters = fmtp.drop { $0 != " " }.split(separator: ";")
        guard let sets = parameters.first(where: {
            $0.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("sprop-parameter-sets=")
        }) else { return [] }
        return sets.drop { $0 != "=" }.dropFirst().split(separator: ",").compactMap {
            Data(base64Encoded: String($0).trimmingCharacters(in: .whitespaces)).map { [UInt8]($0) }
        }
    }
}

extension SDPAnswer.Direction {
    /// true when this direction of ours lets us send.
    var isSending: Bool { self == .sendrecv || self == .sendonly }
}
