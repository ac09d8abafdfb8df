import COpus

/// A libopus call failed: `operation` names it, `code` is its OPUS_* error.
struct OpusError: Error, CustomStringConvertible {
    var operation: String
    var code: Int32

    var description: String { "\(operation): \(String(cString: opus_strerror(code)))" }
}

/// Opus for calls straight on libopus, both ways: FFmpeg's decode API cannot conceal a loss (an
/// empty packet means drain), and on libopus the encoder's FEC, loss hint and bitrate are plain
/// ctl calls in the same module rather than FFmpeg option strings.
enum OpusVoice {
    /// The rate we code at: Opus's RTP clock (RFC 7587 §4.1), so holes in ticks are samples.
    static let sampleRate = 48_000
    /// Bitrate when the far end names no `maxaveragebitrate`: wideband speech at a third of G.711's.
    static let defaultBitrate = 24_000
    /// The loss we tell the encoder to expect: what makes it spend bits on in-band FEC (LBRR,
    /// RFC 6716 §2.1.7) at all. A fixed guess, not measured from RTCP.
    static let packetLossPercent: Int32 = 10
    /// The longest stretch PLC invents; beyond it the hole is silence (libopus PLC has faded
    /// out by then anyway, and a longer guess is no longer the talker).
    static let maxConcealSamples = 5_760  // 120 ms
    /// The largest frame an Opus packet decodes to: 120 ms.
    static let maxFrameSamples = 5_760

    /// Whether `packet` carries LBRR (FEC) data for the frame before it: the SILK layer's LBRR
    /// flag, right after its VAD flags in the first byte of the first frame (RFC 6716 §4.2.3;
    /// what libopus 1.5's opus_packet_has_lbrr reads; Debian's 1.3 lacks it). CELT has none.
    static func hasLBRR(_ packet: [UInt8]) -> Bool {
        guard let toc = packet.first, toc >> 3 < 16 else { return false }  // configs 0-15: SILK, hybrid
        let frameSamples = Int(opus_packet_get_samples_per_frame(packet, Int32(sampleRate)))
        let silkFrames = max(frameSamples / 960, 1)  // SILK codes 40 and 60 ms frames as 20 ms ones
        var frames = [UnsafePointer<UInt8>?](repeating: nil, count: 48)
        var sizes = [Int16](repeating: 0, count: 48)
        return packet.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress, opus_packet_parse(base, Int32(p.count), nil, &frames, &sizes, nil) > 0,
                  sizes[0] > 0, let first = frames[0] else { return false }
            var lbrr = (first[0] >> (7 - silkFrames)) & 1 == 1
            if toc & 0x04 != 0 { lbrr = lbrr || (first[0] >> (6 - 2 * silkFrames)) & 1 == 1 }  // stereo: side channel's
            return lbrr
        }
    }
}

/// Encodes 20 ms mono frames at 48 kHz with in-band FEC. Lives on one call's codec queue.
/// Invariant: `encoder` is used only from that queue (the type is not Sendable).
///
/// VBR at our default rate; with a far end's `maxaveragebitrate`, CBR at that ceiling or our
/// default, whichever is lower: libopus VBR in SILK mode overshoots its target (a steady tone:
/// 15.9 kbit/s at 12, 27.8 at 24), and the ceiling is a limit, not a wish.
final class OpusVoiceEncoder: CallAudioEncoder {
    private let encoder: OpaquePointer
    /// The bitrate set, in bit/s.
    let bitrate: Int

    /// - Parameter maxAverageBitrate: the far end's ceiling (RFC 7587 §6.1); nil for none.
    /// - Throws: `OpusError` when libopus refuses the settings.
    init(maxAverageBitrate: Int? = nil) throws(OpusError) {
        var error: Int32 = OPUS_OK
        guard let encoder = opus_encoder_create(Int32(OpusVoice.sampleRate), 1, OPUS_APPLICATION_VOIP, &error),
              error == OPUS_OK else { throw OpusError(operation: "opus_encoder_create", code: error) }
        self.encoder = encoder
        bitrate = max(min(maxAverageBitrate ?? OpusVoice.defaultBitrate, OpusVoice.defaultBitrate), 6_000)
        // A throw from here still runs deinit (every stored property is set), which destroys it.
        for (name, result) in [("bitrate", copus_set_bitrate(encoder, Int32(bitrate))),
                               ("vbr", copus_set_vbr(encoder, maxAverageBitrate == nil ? 1 : 0)),
                               ("inband FEC", copus_set_inband_fec(encoder, 1)),
                               ("packet loss", copus_set_packet_loss_perc(encoder, OpusVoice.packetLossPercent)),
                               ("signal", copus_set_signal_voice(encoder))] where result != OPUS_OK {
            throw OpusError(operation: "opus_encoder_ctl \(name)", code: result)
        }
    }

    deinit { opus_encoder_destroy(encoder) }

    func encode(_ samples: [Int16]) throws -> [UInt8]? {
        guard !samples.isEmpty else { return nil }
        var out = [UInt8](repeating: 0, count: 1_500)
        let length = out.withUnsafeMutableBufferPointer { o in
            samples.withUnsafeBufferPointer { s in
                opus_encode(encoder, s.baseAddress!, Int32(samples.count), o.baseAddress!, Int32(o.count))
            }
        }
        guard length > 0 else { throw OpusError(operation: "opus_encode", code: length) }
        return Array(out.prefix(Int(length)))
    }
}

/// Decodes Opus to mono 48 kHz (libopus mixes a stereo stream down) and conceals losses: FEC
/// from the next packet's LBRR data when it has some, else libopus PLC, then silence.
/// Lives on one call's codec queue. Invariant: `decoder` is used only from that queue.
final class OpusVoiceDecoder: CallAudioDecoder {
    private let decoder: OpaquePointer
    /// Lost samples rebuilt from the next packet's FEC data, and invented by PLC (for tests and logs).
    private(set) var fecSamples = 0
    private(set) var plcSamples = 0

    /// - Throws: `OpusError` when libopus cannot make a decoder.
    init() throws(OpusError) {
        var error: Int32 = OPUS_OK
        guard let decoder = opus_decoder_create(Int32(OpusVoice.sampleRate), 1, &error), error == OPUS_OK else {
            throw OpusError(operation: "opus_decoder_create", code: error)
        }
        self.decoder = decoder
    }

    deinit { opus_decoder_destroy(decoder) }

    func decode(_ payload: [UInt8]) throws -> [Int16] {
        try run(payload, samples: OpusVoice.maxFrameSamples, fec: false)
    }

    /// The hole, in order: PLC (at most `maxConcealSamples`), silence for the rest, then the
    /// last frame's worth from `next`'s FEC data when it carries any.
    func conceal(samples: Int, before next: [UInt8]?) throws -> [Int16] {
        // libopus conceals in steps of 2.5 ms; RTP timestamps of 20 ms packets always fall on them.
        let step = OpusVoice.sampleRate / 400
        let total = samples - samples % step
        var fec = 0
        if let next, OpusVoice.hasLBRR(next) {
            // LBRR rebuilds one whole frame of the next packet's size; a shorter hole gets PLC.
            let frame = Int(opus_packet_get_samples_per_frame(next, Int32(OpusVoice.sampleRate)))
            if frame <= total { fec = frame }
        }
        let plc = min(total - fec, OpusVoice.maxConcealSamples)
        var out: [Int16] = []
        out.reserveCapacity(samples)
        if plc > 0 { out += try run(nil, samples: plc, fec: false) }
        out += repeatElement(0, count: total - fec - plc)
        if fec > 0, let next { out += try run(next, samples: fec, fec: true) }
        plcSamples += plc
        fecSamples += fec
        return out + repeatElement(0, count: samples - total)
    }

    /// opus_decode: `payload` nil for PLC; `samples` is the room, exactly the frame for PLC and FEC.
    private func run(_ payload: [UInt8]?, samples: Int, fec: Bool) throws(OpusError) -> [Int16] {
        precondition(samples > 0, "opus_decode needs room for a frame")
        var pcm = [Int16](repeating: 0, count: samples)
        let decoded = pcm.withUnsafeMutableBufferPointer { out in
            if let payload {
                payload.withUnsafeBufferPointer { p in
                    opus_decode(decoder, p.baseAddress, Int32(p.count), out.baseAddress!, Int32(samples), fec ? 1 : 0)
                }
            } else {
                opus_decode(decoder, nil, 0, out.baseAddress!, Int32(samples), 0)
            }
        }
        guard decoded >= 0 else { throw OpusError(operation: fec ? "opus_decode FEC" : "opus_decode", code: decoded) }
        return Array(pcm.prefix(Int(decoded)))
    }
}
