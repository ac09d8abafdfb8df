import NIOCore

/// The video RTP packets we sent last, kept whole so a generic NACK (RFC 4585 §6.2.1) gets
/// them back byte for byte. A ring indexed by sequence number: its size divides 65536, so a
/// slot stays the same across the wrap, and a newer packet simply overwrites the one 512 back.
struct RTPSendHistory {
    /// Packets kept: about a second of 640x360 video at 1 Mbit/s in 1,200-byte payloads.
    static let capacity = 512
    /// A packet older than this is not resent: the receiver's reorder window gave up on it long ago.
    static let maxAge = TimeAmount.seconds(1)

    private var slots = [(sequence: UInt16, packet: ByteBuffer, sent: NIODeadline)?](repeating: nil, count: capacity)

    /// Keeps `packet` (header included) as sent `now`.
    mutating func record(_ packet: ByteBuffer, sequence: UInt16, at now: NIODeadline) {
        slots[Int(sequence) % Self.capacity] = (sequence, packet, now)
    }

    /// The kept packets among `sequences` (in that order) sent within `maxAge` of `now`.
    func packets(_ sequences: [UInt16], at now: NIODeadline) -> [ByteBuffer] {
        sequences.compactMap { sequence in
            guard let slot = slots[Int(sequence) % Self.capacity], slot.sequence == sequence,
                  now - slot.sent <= Self.maxAge else { return nil }
            return slot.packet
        }
    }
}
