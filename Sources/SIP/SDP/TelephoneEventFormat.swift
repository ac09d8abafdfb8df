/// A telephone-event format (RFC 4733 §7.1.1): its payload type and RTP clock. Its clock should
/// be the audio codec's, since events share the audio stream's timestamps (§2.1), so we offer
/// one at 8 kHz (G.711, G.722) and one at 48 kHz (Opus).
struct TelephoneEventFormat: Sendable, Equatable {
    /// Dynamic payload type.
    var payloadType: UInt8
    /// RTP clock rate.
    var clockRate: Int

    /// What our offer lists.
    static let offered = [TelephoneEventFormat(payloadType: 101, clockRate: 8_000),
                          TelephoneEventFormat(payloadType: 110, clockRate: 48_000)]
}
