/// Rewrites packet timestamps so that an output starts at 0 and stays monotonic across
/// segments (reconnects, a republished source): each segment continues just after the last
/// timestamp written before it.
struct TimestampRebaser {
    /// Gap left between segments, in milliseconds: one frame at 25 fps.
    static let segmentGap: Int64 = 40

    private var base: Int64 = 0
    private var firstIn: Int64?
    /// The largest timestamp produced so far.
    private(set) var lastOut: Int64 = 0
    private var hasOutput = false

    /// The output timestamp of a packet with decode timestamp `dts` (milliseconds);
    /// configuration and metadata (`isEssential`) reuse the latest output time.
    mutating func map(dts: Int64, isEssential: Bool) -> Int64 {
        if isEssential { return hasOutput ? lastOut : base }
        let first = firstIn ?? dts
        firstIn = first
        let out = max(base + dts - first, base)
        lastOut = max(lastOut, out)
        hasOutput = true
        return out
    }

    /// Starts a new segment: the next packet maps just after everything written so far.
    mutating func startSegment() {
        if hasOutput { base = lastOut + Self.segmentGap }
        firstIn = nil
    }
}
