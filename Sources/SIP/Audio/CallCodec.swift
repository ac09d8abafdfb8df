/// An audio codec a call can use: how SDP names it, its RTP payload type and clock, and the
/// PCM rate the call runs at while it is in use (RFC 3551 §4.5, RFC 7587 for Opus).
///
/// Every codec sends 20 ms packets. The RTP clock and the sample rate differ for G.722
/// (16 kHz audio, 8 kHz clock: RFC 3551 §4.5.2) and match otherwise.
struct CallCodec: Sendable, Equatable, CustomStringConvertible {
    /// Which codec: selects the encoder and decoder.
    enum Kind: Sendable, Equatable {
        case pcmu, pcma, g722, opus
    }

    /// Which codec.
    var kind: Kind
    /// RTP payload type: static for G.711/G.722, the answer's dynamic one for Opus.
    var payloadType: UInt8
    /// The rtpmap encoding name.
    var name: String
    /// RTP timestamp units per second.
    var clockRate: Int
    /// The rtpmap channel count (Opus is always "2" in SDP, RFC 7587 §7; we send mono).
    var channels: Int
    /// PCM samples per second the codec takes and gives (mono).
    var sampleRate: Int
    /// Our fmtp parameters, nil for none.
    var fmtp: String?
    /// The far end's Opus `maxaveragebitrate` (RFC 7587 §6.1): the most we send; nil for no limit.
    var maxAverageBitrate: Int?

    /// G.711 µ-law, RFC 3551 §4.5.14.
    static let pcmu = CallCodec(kind: .pcmu, payloadType: 0, name: "PCMU", clockRate: 8_000, channels: 1,
                                sampleRate: 8_000)
    /// G.711 A-law, RFC 3551 §4.5.14.
    static let pcma = CallCodec(kind: .pcma, payloadType: 8, name: "PCMA", clockRate: 8_000, channels: 1,
                                sampleRate: 8_000)
    /// G.722 wideband, RFC 3551 §4.5.2: the clock says 8000 for historical reasons.
    static let g722 = CallCodec(kind: .g722, payloadType: 9, name: "G722", clockRate: 8_000, channels: 1,
                                sampleRate: 16_000)
    /// Opus, RFC 7587: we use in-band FEC the far end sends (OpusVoiceDecoder).
    static let opus = CallCodec(kind: .opus, payloadType: 111, name: "opus", clockRate: 48_000, channels: 2,
                                sampleRate: 48_000, fmtp: "useinbandfec=1")

    /// What we offer, in order of preference: G.711 first, which every peer has, so that a far
    /// end choosing by our order keeps the cheapest codec.
    static let offered: [CallCodec] = [.pcmu, .pcma, .g722, .opus]

    /// PCM samples in one 20 ms packet.
    var samplesPerFrame: Int { sampleRate / 50 }
    /// RTP timestamp units in one 20 ms packet.
    var ticksPerFrame: Int { clockRate / 50 }

    /// The rtpmap value: "PCMU/8000", "opus/48000/2".
    var rtpmap: String { channels > 1 ? "\(name)/\(clockRate)/\(channels)" : "\(name)/\(clockRate)" }

    /// "PCMA/8000 pt 8", for logs.
    var description: String { "\(name)/\(clockRate) pt \(payloadType)" }

    /// The codec an answer's format means, with the answer's payload type; nil when we do not
    /// support it. Static types need no rtpmap (RFC 3551 Table 4); names compare case-insensitively.
    static func matching(payloadType: UInt8, rtpmap: String?) -> CallCodec? {
        let found = offered.first { codec in
            if let rtpmap {
                // "opus/48000/2" and "G722/8000" (a missing channel count means one).
                return rtpmap.lowercased().hasPrefix("\(codec.name.lowercased())/\(codec.clockRate)")
            }
            return codec.kind != .opus && codec.payloadType == payloadType
        }
        guard var codec = found else { return nil }
        codec.payloadType = payloadType
        return codec
    }

    /// A payload's length in RTP timestamp units, which the jitter buffer needs to size holes.
    func ticks(inPayload payload: [UInt8]) -> Int {
        switch kind {
        // One byte per 8 kHz sample; G.722 packs two 16 kHz samples per byte, one clock tick.
        case .pcmu, .pcma, .g722: payload.count
        case .opus: OpusTOC.samples48k(payload)
        }
    }

    /// Makes the encoder for this codec (FFmpeg's for G.722, libopus for Opus).
    /// - Throws: `MediaError` when FFmpeg lacks the encoder, `OpusError` when libopus fails.
    func makeEncoder() throws -> any CallAudioEncoder {
        switch kind {
        case .pcmu: G711Coder(law: .mu)
        case .pcma: G711Coder(law: .a)
        case .g722: try FFmpegVoiceEncoder(codecName: "g722", sampleRate: sampleRate, frameSamples: samplesPerFrame)
        case .opus: try OpusVoiceEncoder(maxAverageBitrate: maxAverageBitrate)
        }
    }

    /// Makes the decoder for this codec (FFmpeg's for G.722, libopus for Opus: it conceals losses).
    /// - Throws: `MediaError` when FFmpeg lacks the decoder, `OpusError` when libopus fails.
    func makeDecoder() throws -> any CallAudioDecoder {
        switch kind {
        case .pcmu: G711Coder(law: .mu)
        case .pcma: G711Coder(law: .a)
        case .g722: try FFmpegVoiceDecoder(codecName: "adpcm_g722", sampleRate: sampleRate, channels: 1)
        // Mono: libopus mixes a stereo stream (what SDP announces) down itself.
        case .opus: try OpusVoiceDecoder()
        }
    }
}
