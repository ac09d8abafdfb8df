/// What the far end's SDP answer says about audio (RFC 4566 §5, RFC 3264 §6): where to send
/// RTP, which codec to use, the telephone-event payload type and the direction. The offer of
/// a re-INVITE (hold, new address or codec, RFC 3264 §8.4) is read the same way.
struct SDPAnswer: Sendable, Equatable {
    /// The far end's direction attribute (RFC 3264 §6.1); media-level wins over session-level.
    enum Direction: String, Sendable, Equatable {
        case sendrecv, sendonly, recvonly, inactive

        /// Our direction in the answer to an offer with this one.
        var answer: Direction {
            switch self {
            case .sendrecv: .sendrecv
            case .sendonly: .recvonly
            case .recvonly: .sendonly
            case .inactive: .inactive
            }
        }
    }

    /// The audio codec chosen, with the far end's payload type: the first format of its
    /// m=audio line that we support (RFC 3264 §6.1: the answer's order is its preference).
    var codec: CallCodec
    /// The telephone-event format, nil when the answer has none we can use.
    var telephoneEvent: TelephoneEventFormat?
    /// Where to send RTP (media-level c= wins over session-level).
    var address: String
    /// The remote RTP port.
    var port: Int
    /// The far end's direction.
    var direction = Direction.sendrecv

    /// true when the far end puts the call on hold: it will not send (`sendonly` or `inactive`,
    /// or the RFC 2543 form, connection address 0.0.0.0).
    var isHold: Bool { direction == .sendonly || direction == .inactive || address == "0.0.0.0" }
    /// true when the far end wants our audio.
    var wantsOurAudio: Bool { (direction == .sendrecv || direction == .recvonly) && address != "0.0.0.0" }

    /// Parses an answer.
    /// - Throws: `SIPError.badSDP` when there is no usable audio stream or no common codec.
    init(parsing text: String) throws(SIPError) {
        var sessionAddress: String?
        var mediaAddress: String?
        var port: Int?
        var formats: [UInt8] = []
        var rtpmap: [UInt8: String] = [:]
        var fmtp: [UInt8: String] = [:]
        var inAudio = false
        var sawAudio = false
        var sessionDirection: Direction?
        var mediaDirection: Direction?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = String(raw)
            if line.hasPrefix("m=") {
                let fields = line.dropFirst(2).split(separator: " ")
                inAudio = fields.first == "audio" && !sawAudio
                if inAudio {
                    sawAudio = true
                    guard fields.count >= 4, let p = Int(fields[1]) else { throw .badSDP("malformed m=audio line") }
                    port = p
                    formats = fields.dropFirst(3).compactMap { UInt8($0) }
                }
            } else if line.hasPrefix("c=") {
                let fields = line.dropFirst(2).split(separator: " ")
                guard fields.count >= 3 else { throw .badSDP("malformed c= line") }
                let address = String(fields[2].split(separator: "/").first ?? fields[2])
                if inAudio { mediaAddress = address } else if !sawAudio { sessionAddress = address }
            } else if line.hasPrefix("a="), let direction = Direction(rawValue: String(line.dropFirst(2))) {
                if inAudio { mediaDirection = direction } else if !sawAudio { sessionDirection = direction }
            } else if inAudio, line.hasPrefix("a=rtpmap:") {
                let value = line.dropFirst("a=rtpmap:".count)
                let parts = value.split(separator: " ", maxSplits: 1)
                if parts.count == 2, let pt = UInt8(parts[0]) { rtpmap[pt] = parts[1].lowercased() }
            } else if inAudio, line.hasPrefix("a=fmtp:") {
                let parts = line.dropFirst("a=fmtp:".count).split(separator: " ", maxSplits: 1)
                if parts.count == 2, let pt = UInt8(parts[0]) { fmtp[pt] = parts[1].lowercased() }
            }
        }
        guard sawAudio, let port else { throw .badSDP("no audio stream") }
        guard port > 0, port < 65_536 else { throw .badSDP("audio stream rejected") }
        guard let address = mediaAddress ?? sessionAddress else { throw .badSDP("no connection address") }
        let chosen = formats.lazy.compactMap { CallCodec.matching(payloadType: $0, rtpmap: rtpmap[$0]) }.first
        guard var chosen else { throw .badSDP("no common codec") }
        if chosen.kind == .opus, let parameters = fmtp[chosen.payloadType] {
            chosen.maxAverageBitrate = Self.maxAverageBitrate(in: parameters)
        }
        self.codec = chosen
        // telephone-event on the codec's clock (RFC 4733 §2.1), else the 8 kHz one most peers offer.
        let events = rtpmap.compactMap { pt, name -> TelephoneEventFormat? in
            guard name.hasPrefix("telephone-event/"), let rate = Int(name.dropFirst(16).prefix { $0.isNumber }) else {
                return nil
            }
            return TelephoneEventFormat(payloadType: pt, clockRate: rate)
        }
        self.telephoneEvent = events.first { $0.clockRate == chosen.clockRate }
            ?? events.first { $0.clockRate == 8_000 }
        self.address = address
        self.port = port
        self.direction = mediaDirection ?? sessionDirection ?? .sendrecv
    }

    /// The `maxaveragebitrate` of an Opus fmtp value ("minptime=10;useinbandfec=1;maxaveragebitrate=32000"),
    /// nil when absent or not a number.
    static func maxAverageBitrate(in parameters: String) -> Int? {
        for parameter in parameters.split(separator: ";") {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.filter { !$0.isWhitespace } }
            if pair.count == 2, pair[0] == "maxaveragebitrate", let value = Int(pair[1]), value > 0 { return value }
        }
        return nil
    }
}
