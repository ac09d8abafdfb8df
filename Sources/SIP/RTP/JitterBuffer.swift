import NIOCore

/// Puts a call's incoming audio packets back in sequence order (RFC 3550 §A.1 sequence
/// arithmetic, wrap-around included) before they are decoded, with little added delay.
///
/// Packets in order pass straight through. After a gap the buffer waits for the missing
/// packet until `depth` later packets are held (3 × 20 ms = 60 ms), or until it has held one
/// for `holdTime` (the end of a talkspurt or of the call, when nothing more arrives), then
/// gives up on it and reports the hole, sized from the RTP timestamps, with the payload that
/// follows it, so the decoder can conceal it (Opus FEC needs that payload) and the stream's
/// timeline keeps its length. It holds payloads, not samples: decoding happens in
/// order after it, and everything here is in RTP clock units. Packets older than what was
/// delivered, and duplicates, are dropped and counted. A value type used under its session's
/// lock; the session runs the timer (`releaseDeadline`, `releaseExpired`).
struct JitterBuffer {
    /// One packet.
    struct Packet: Equatable {
        var sequence: UInt16
        var timestamp: UInt32
        var payload: [UInt8]
        /// Its length in RTP timestamp units.
        var ticks: Int
    }

    /// What comes out, in order.
    enum Output: Equatable, Sendable {
        /// A packet's payload, to decode.
        case payload([UInt8])
        /// A hole in RTP timestamp units, just before `next` (delivered as the `.payload` that
        /// follows). `lost` counts the packets missing from it by sequence number: 0 when the
        /// sender paused (DTX, silence suppression), so `next` has no FEC data for it.
        case hole(ticks: Int, lost: Int, next: [UInt8])
    }

    /// Packets held after a gap before the gap is skipped: 60 ms of 20 ms packets.
    let depth: Int
    /// Longest a packet waits behind a gap when no more arrive: `depth` packets' worth.
    let holdTime: TimeAmount
    /// Longest hole reported: 1 s of the RTP clock. A bigger timestamp jump is a
    /// new talkspurt or a restarted sender, not loss.
    private(set) var maxFill: Int
    /// A sequence jump this big either way is a restarted sender (RFC 3550 §A.1's
    /// MAX_DROPOUT idea, scaled to 2 s of 20 ms packets): start over from that packet.
    static let resyncDistance: Int16 = 100

    private var held: [Packet] = []
    /// When the oldest packet still held started waiting.
    private var heldSince: NIODeadline?
    private var next: UInt16?
    private var lastEnd: UInt32?
    /// Late or duplicate packets dropped.
    private(set) var dropped = 0
    /// Packets given up on (holes left to the decoder to conceal).
    private(set) var lost = 0

    /// - Parameters:
    ///   - depth: packets held after a gap (see the type's comment).
    ///   - clockRate: the RTP clock, for `maxFill`.
    ///   - holdTime: see the property; 60 ms (three 20 ms packets) by default.
    init(depth: Int = 3, clockRate: Int = 8_000, holdTime: TimeAmount = .milliseconds(60)) {
        precondition(depth > 0, "a jitter buffer needs room for at least one packet")
        self.depth = depth
        self.holdTime = holdTime
        self.maxFill = clockRate
    }

    /// Starts over for a new codec (another clock, another sequence of payloads), keeping the counts.
    mutating func restart(clockRate: Int) {
        held = []
        heldSince = nil
        next = nil
        lastEnd = nil
        maxFill = clockRate
    }

    /// When `releaseExpired` will give up on a gap if nothing arrives; nil while nothing is held.
    var releaseDeadline: NIODeadline? { heldSince.map { $0 + holdTime } }

    /// Adds a packet that arrived at `now`; returns what is now ready, in order.
    mutating func insert(_ packet: Packet, at now: NIODeadline = .now()) -> [Output] {
        defer { noteHolding(at: now) }
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
            return deliver(packet) + drainInOrder()
        }
        held.append(packet)
        held.sort { Int16(bitPattern: $0.sequence &- expected) < Int16(bitPattern: $1.sequence &- expected) }
        guard held.count > depth else { return [] }
        heldSince = nil  // what stays held after this release waits afresh
        return skipGap()
    }

    /// Gives up on the gap when a packet has waited `holdTime` by `now`: returns the held
    /// packets up to the next gap, with the hole before them.
    mutating func releaseExpired(at now: NIODeadline) -> [Output] {
        guard let deadline = releaseDeadline, now >= deadline, !held.isEmpty else { return [] }
        heldSince = nil
        defer { noteHolding(at: now) }
        return skipGap()
    }

    /// Delivers the earliest held packet and whatever follows it in order, counting the hole.
    private mutating func skipGap() -> [Output] {
        let first = held.removeFirst()
        if let expected = next { lost += Int(Int16(bitPattern: first.sequence &- expected)) }
        return deliver(first) + drainInOrder()
    }

    private mutating func noteHolding(at now: NIODeadline) {
        if held.isEmpty { heldSince = nil } else if heldSince == nil { heldSince = now }
    }

    private mutating func drainInOrder() -> [Output] {
        var out: [Output] = []
        while let expected = next, let index = held.firstIndex(where: { $0.sequence == expected }) {
            out += deliver(held.remove(at: index))
        }
        return out
    }

    /// The packet's payload, after the hole for the timestamps between the last one and it.
    private mutating func deliver(_ packet: Packet) -> [Output] {
        var out: [Output] = []
        if let lastEnd, let expected = next {
            let hole = Int(Int32(bitPattern: packet.timestamp &- lastEnd))
            let lost = max(Int(Int16(bitPattern: packet.sequence &- expected)), 0)
            if hole > 0, hole <= maxFill { out.append(.hole(ticks: hole, lost: lost, next: packet.payload)) }
        }
        out.append(.payload(packet.payload))
        next = packet.sequence &+ 1
        lastEnd = packet.timestamp &+ UInt32(truncatingIfNeeded: packet.ticks)
        return out
    }
}
