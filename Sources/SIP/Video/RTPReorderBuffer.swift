import NIOCore

/// Puts RTP packets back in sequence order (RFC 3550 §5.1: UDP may reorder) with a small
/// window, and says where packets were given up on, so a depacketizer can drop what they
/// belonged to. Video arrives in bursts of many packets per picture, so the window is counted
/// in packets, not time: nothing waits once `depth` later packets are in. With `maxWait` (for
/// a far end that resends what a NACK names) the window is deeper and a hole is also given up
/// on once it is that old, as seen by the next packet that arrives (there is no timer).
struct RTPReorderBuffer<Element> {
    /// Packets held before a hole is given up on: about a third of a 640x360 picture, more
    /// reordering than a loopback or LAN path shows, and little delay at 25 fps.
    static var defaultDepth: Int { 8 }
    /// A jump this far (either way) is a restarted sender or a stray packet, not reordering
    /// (RFC 3550 §A.1 MAX_MISORDER); it restarts the buffer once the next packet follows it.
    static var restartDistance: Int { 100 }
    /// The window while waiting for retransmissions: a keyframe's packets, and enough time for
    /// a NACK and its answer to cross a LAN or a city, not a continent.
    static var retransmissionDepth: Int { 64 }
    static var retransmissionWait: TimeAmount { .milliseconds(100) }

    /// One packet handed on.
    struct Delivery {
        /// The packet.
        var element: Element
        /// Its sequence number.
        var sequence: UInt16
        /// true when packets before it were given up on (or the sender restarted).
        var followsGap: Bool
    }

    /// See `defaultDepth`.
    let depth: Int
    /// See the type's comment; nil: holes wait for `depth` packets only.
    let maxWait: TimeAmount?
    /// Sequence numbers the last `insert` found missing for the first time (the numbers
    /// between the highest before it and it), for a NACK; at most `depth` of them.
    private(set) var newlyMissing: [UInt16] = []
    /// Packets given up on.
    private(set) var lost = 0
    /// Late and duplicate packets dropped.
    private(set) var late = 0
    private var expected: UInt16?
    private var held: [UInt16: Element] = [:]
    private var isAfterGap = false
    /// The sequence number of a packet that jumped far, awaiting its successor (§A.1 probation).
    private var probation: UInt16?
    /// The highest sequence number accepted, so each hole is reported once.
    private var highest: UInt16?
    /// When the hole at `expected` was first waited for.
    private var holeSince: NIODeadline?

    /// - Parameter depth: see `defaultDepth`.
    init(depth: Int = Self.defaultDepth, maxWait: TimeAmount? = nil) {
        precondition(depth > 0, "a reorder buffer needs room for one packet")
        self.depth = depth
        self.maxWait = maxWait
    }

    /// Takes one packet (arrived `now`) and returns those now in order.
    mutating func insert(_ element: Element, sequence: UInt16, at now: NIODeadline = .now()) -> [Delivery] {
        newlyMissing = []
        let next = expected ?? sequence
        let distance = Int(Int16(bitPattern: sequence &- next))
        if abs(distance) >= Self.restartDistance {
            guard let previous = probation, sequence == previous &+ 1 else {
                probation = sequence
                late += 1
                return []
            }
            probation = nil
            lost += held.count
            held = [:]
            expected = sequence
            highest = sequence
            holeSince = nil
            isAfterGap = true
        } else if distance < 0 || held[sequence] != nil {
            late += 1
            return []
        } else {
            expected = next
        }
        let top = highest ?? sequence &- 1
        let jump = Int(Int16(bitPattern: sequence &- top))
        if jump > 0 {
            newlyMissing = (1..<jump).suffix(depth).map { top &+ UInt16($0) }
            highest = sequence
        }
        held[sequence] = element
        return drain(at: now)
    }

    private mutating func drain(at now: NIODeadline) -> [Delivery] {
        var out: [Delivery] = []
        while var sequence = expected, !held.isEmpty {
            if held[sequence] == nil {
                let since = holeSince ?? now
                holeSince = since
                guard held.count >= depth || maxWait.map({ now - since >= $0 }) == true else { break }
                // Give up on the hole: skip to the oldest packet held.
                let skip = held.keys.map { Int($0 &- sequence) }.min() ?? 0
                lost += skip
                sequence &+= UInt16(skip)
                isAfterGap = true
            }
            holeSince = nil
            if let element = held.removeValue(forKey: sequence) {
                out.append(Delivery(element: element, sequence: sequence, followsGap: isAfterGap))
                isAfterGap = false
            }
            expected = sequence &+ 1
        }
        return out
    }
}
