/// Turns one 20 ms frame of mono PCM into an RTP payload. Lives on one call's codec queue.
protocol CallAudioEncoder {
    /// The payload for `samples` (one frame at the codec's rate); nil while the encoder has
    /// nothing to give yet.
    /// - Throws: `MediaError` when FFmpeg rejects the frame.
    func encode(_ samples: [Int16]) throws -> [UInt8]?
}

/// Turns one RTP payload into mono PCM at the codec's rate. Lives on one call's codec queue.
protocol CallAudioDecoder {
    /// The samples of `payload`.
    /// - Throws: `MediaError` or `OpusError` when the codec rejects the payload.
    func decode(_ payload: [UInt8]) throws -> [Int16]

    /// Exactly `samples` samples for a hole in the stream just before `next`, the payload decoded
    /// after it; `next` is nil when no packet was lost (the sender paused: DTX, silence
    /// suppression), so it has no FEC data for the hole.
    /// - Throws: as `decode`.
    func conceal(samples: Int, before next: [UInt8]?) throws -> [Int16]
}

/// G.711 both ways, by table: cheap enough for any thread.
///
/// Holes stay silence: G.711 has no concealment of its own, repeating the last samples without
/// pitch tracking (G.711 Appendix I) buzzes, and this coder runs inline on the event loop.
struct G711Coder: CallAudioEncoder, CallAudioDecoder {
    /// µ-law or A-law.
    let law: G711.Law

    func encode(_ samples: [Int16]) -> [UInt8]? { samples.map { G711.encode($0, law: law) } }

    func decode(_ payload: [UInt8]) -> [Int16] { G711.decode(payload, law: law) }

    func conceal(samples: Int, before next: [UInt8]?) -> [Int16] { [Int16](repeating: 0, count: samples) }
}
