/// Puts a call's incoming audio packets back in sequence order (RFC 3550 §A.1 sequence
/// arithmetic, wrap-around included) before they are decoded, with little added delay.
///
/// Packets in order pass straight through. After a gap the buffer waits for the missing
/// packet until `depth` later packets are held (3 × 20 ms = 60 ms), then gives up on it and
/// fills the hole with silence sized from the RTP timestamps, so the stream's timeline keeps
/// its length. Packets older than what was delivered, and duplicates, are dropped and counted.
/// A value type used under its session's lock; no timers: a gap at the very end of a call is
/// never delivered (nothing follows it anyway).
struct JitterBuffer {
    /// One packet's decoded samples.
    struct Packet: Equatable {
        var sequence: UInt16
        var timestamp: UInt32
        var samples: [Int16]
    }

    /// Packets held after a gap before the gap is skipped: 60 ms of 20 ms packets.
    let depth: Int
    /// Longest hole filled with silence: 1 s at 8 kHz. A bigger timestamp jump is a new
    /// talkspurt or a restarted sender, not loss.
    static let maxFill = 8_000
    /// A sequence jump this big either way is a restarted sender (RFC 3550 §A.1's
    /// MAX_DROPOUT idea, scaled to 2 s of 20 ms packets): start over from that packet.
    static let resyncDistance: Int16 = 100

    private var held: [Packet] = []
    private var next: UInt16?
    private var lastEnd: UInt32?
    /// Late or duplicate packets dropped.
    private(set) var dropped = 0
    /// Packets given up on (holes filled with silence).
    private(set) var lost = 0

    /// - Parameter depth: packets held after a gap (see the type's comment).
    init(depth: Int = 3) {
        precondition(depth > 0, "a jitter buffer needs room for at least one packet")
        self.depth = depth
    }

    /// Adds a packet; returns the samples now ready, in order (silence fills skipped holes).
    mutating func insert(_ packet: Packet) -> [Int16] {
        guard let expected = next else {
            return deliver(packet)
        }
        let offset = Int16(bitPattern: packet.sequence &- expected)
        if offset > Self.resyncDistance || offset < -Self.resyncDistance {
            held = []
            lastEnd = nil
            return deliver(packet)
        }
        if offset < 0 || held.contains(where: { $0.sequence == packet.sequence }) {
            dropped += 1
            return []
        }
        if offset == 0 {
            var out = deliver(packet)
            out += drainInOrder()
            return out
        }
        held.append(packet)
        held.sort { Int16(bitPattern: $0.sequence &- expected) < Int16(bitPattern: $1.sequence &- expected) }
        guard held.count > depth else { return [] }
        // Give up on the hole: deliver the earliest held packet and whatever follows it in order.
        let first = held.removeFirst()
        lost += Int(Int16(bitPattern: first.sequence &- expected))
        var out = deliver(first)
        out += drainInOrder()
        return out
    }

    private mutating func drainInOrder() -> [Int16] {
        var out: [Int16] = []
        while let expected = next, let index = held.firstIndex(where: { $0.sequence == expected }) {
            out += deliver(held.remove(at: index))
        }
        return out
    }

    /// The packet's samples, after silence for the timestamps between the last one and it.
    private mutating func deliver(_ packet: Packet) -> [Int16] {
        var out: [Int16] = []
        if let lastEnd {
            let hole = Int(Int32(bitPattern: packet.timestamp &- lastEnd))
            if hole > 0, hole <= Self.maxFill { out = [Int16](repeating: 0, count: hole) }
        }
        out += packet.samples
        next = packet.sequence &+ 1
        lastEnd = packet.timestamp &+ UInt32(packet.samples.count)
        return out
    }
}
