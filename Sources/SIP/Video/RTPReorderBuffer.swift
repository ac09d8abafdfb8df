/// Puts RTP packets back in sequence order (RFC 3550 §5.1: UDP may reorder) with a small
/// window, and says where packets were given up on, so a depacketizer can drop what they
/// belonged to. Video arrives in bursts of many packets per picture, so the window is counted
/// in packets, not time: nothing waits once `depth` later packets are in.
struct RTPReorderBuffer<Element> {
    /// Packets held before a hole is given up on: about a third of a 640x360 picture, more
    /// reordering than a loopback or LAN path shows, and little delay at 25 fps.
    static var defaultDepth: Int { 8 }
    /// A jump this far (either way) is a restarted sender or a stray packet, not reordering
    /// (RFC 3550 §A.1 MAX_MISORDER); it restarts the buffer once the next packet follows it.
    static var restartDistance: Int { 100 }

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
    /// Packets given up on.
    private(set) var lost = 0
    /// Late and duplicate packets dropped.
    private(set) var late = 0
    private var expected: UInt16?
    private var held: [UInt16: Element] = [:]
    private var isAfterGap = false
    /// The sequence number of a packet that jumped far, awaiting its successor (§A.1 probation).
    private var probation: UInt16?

    /// - Parameter depth: see `defaultDepth`.
    init(depth: Int = Self.defaultDepth) {
        precondition(depth > 0, "a reorder buffer needs room for one packet")
        self.depth = depth
    }

    /// Takes one packet and returns those now in order.
    mutating func insert(_ element: Element, sequence: UInt16) -> [Delivery] {
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
            isAfterGap = true
        } else if distance < 0 || held[sequence] != nil {
            late += 1
            return []
        } else {
            expected = next
        }
        held[sequence] = element
        return drain()
    }

    private mutating func drain() -> [Delivery] {
        var out: [Delivery] = []
        while var sequence = expected, !held.isEmpty {
            if held[sequence] == nil {
                guard held.count >= depth else { break }
                // Give up on the hole: skip to the oldest packet held.
                let skip = held.keys.map { Int($0 &- sequence) }.min() ?? 0
                lost += skip
                sequence &+= UInt16(skip)
                isAfterGap = true
            }
            if let element = held.removeValue(forKey: sequence) {
                out.append(Delivery(element: element, sequence: sequence, followsGap: isAfterGap))
                isAfterGap = false
            }
            expected = sequence &+ 1
        }
        return out
    }
}
