/// Maps a call's 90 kHz video RTP timestamps (RFC 6184 §5.1) onto the milliseconds of its hub
/// stream: the first picture is placed at its arrival time on the call's media clock (where
/// the audio also starts), later ones by their timestamp distance from it, across the 32-bit
/// wrap. Timestamps that go backwards keep the last value, so the stream's times never decrease.
struct VideoTimeline {
    /// The RTP clock rate of video.
    static let clockRate: Int64 = 90_000
    /// A timestamp jump bigger than this (10 s either way) is a restarted sender or a new
    /// source, not elapsed time: the timeline starts again from the picture's arrival.
    static let maxJump: Int64 = 10 * clockRate

    private var origin: Int64?
    private var lastTimestamp: UInt32 = 0
    private var extended: Int64 = 0
    private var lastMilliseconds: Int64 = 0

    /// The stream time of a picture.
    /// - Parameters:
    ///   - arrival: the call media clock's time now; places the first picture and any after a jump.
    mutating func milliseconds(timestamp: UInt32, arrival: Int64) -> Int64 {
        let delta = Int64(Int32(bitPattern: timestamp &- lastTimestamp))
        lastTimestamp = timestamp
        if let origin, abs(delta) <= Self.maxJump {
            extended += delta
            lastMilliseconds = max(lastMilliseconds, origin + extended * 1000 / Self.clockRate)
        } else {
            origin = max(arrival, lastMilliseconds)
            extended = 0
            lastMilliseconds = origin ?? arrival
        }
        return lastMilliseconds
    }
}
