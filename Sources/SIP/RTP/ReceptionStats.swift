/// What one RTP source sent us, for the report block of an RTCP receiver report (RFC 3550
/// §6.4.1): sequence tracking with wrap-around and restarts (§A.1), loss and the
/// interarrival jitter estimate (§A.8). A value type used under its session's lock.
struct ReceptionStats {
    /// A forward jump this big is a restarted sender, not loss (RFC 3550 §A.1 MAX_DROPOUT).
    static let maxDropout: UInt16 = 3_000
    /// A backward jump this big is a restarted sender too (§A.1 MAX_MISORDER).
    static let maxMisorder: UInt16 = 100

    /// The source's SSRC (the last packet's).
    private(set) var ssrc: UInt32 = 0
    private var baseSequence: UInt32 = 0
    private var maxSequence: UInt16 = 0
    private var cycles: UInt32 = 0
    /// Packets received.
    private(set) var received: UInt32 = 0
    private var expectedPrior: UInt32 = 0
    private var receivedPrior: UInt32 = 0
    private var lastTransit: Int64?
    /// Interarrival jitter in timestamp units, times 16 (§A.8 keeps it scaled).
    private var jitterScaled: Int64 = 0

    /// The report block values (§6.4.1).
    struct Block: Equatable {
        var ssrc: UInt32
        var fractionLost: UInt8
        var cumulativeLost: Int32
        var extendedHighestSequence: UInt32
        var jitter: UInt32
    }

    /// Counts one packet.
    /// - Parameters:
    ///   - arrival: when it arrived, in the media clock's units (8 kHz samples).
    mutating func update(ssrc: UInt32, sequence: UInt16, timestamp: UInt32, arrival: Int64) {
        if received == 0 || ssrc != self.ssrc {
            restart(ssrc: ssrc, sequence: sequence)
        } else {
            let delta = sequence &- maxSequence
            if delta < Self.maxDropout {
                if sequence < maxSequence { cycles &+= 1 << 16 }
                maxSequence = sequence
            } else if delta <= UInt16.max - Self.maxMisorder {
                restart(ssrc: ssrc, sequence: sequence)
            }
            // else: a late or duplicate packet, counted below
        }
        received &+= 1
        let transit = arrival - Int64(timestamp)
        if let lastTransit {
            let d = abs(transit - lastTransit)
            jitterScaled += d - ((jitterScaled + 8) >> 4)
        }
        lastTransit = transit
    }

    /// The report block now, and the interval for the next fraction lost starts here.
    mutating func block() -> Block? {
        guard received > 0 else { return nil }
        let extended = cycles &+ UInt32(maxSequence)
        let expected = extended &- baseSequence &+ 1
        let lost = Int64(expected) - Int64(received)
        let expectedInterval = Int64(expected) - Int64(expectedPrior)
        let receivedInterval = Int64(received) - Int64(receivedPrior)
        expectedPrior = expected
        receivedPrior = received
        let lostInterval = expectedInterval - receivedInterval
        let fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : UInt8(min((lostInterval << 8) / expectedInterval, 255))
        return Block(ssrc: ssrc, fractionLost: fraction,
                     cumulativeLost: Int32(max(min(lost, 0x7F_FFFF), -0x80_0000)),
                     extendedHighestSequence: extended, jitter: UInt32(clamping: jitterScaled >> 4))
    }

    private mutating func restart(ssrc: UInt32, sequence: UInt16) {
        self = ReceptionStats()
        self.ssrc = ssrc
        baseSequence = UInt32(sequence)
        maxSequence = sequence
    }
}
