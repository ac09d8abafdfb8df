/// Maps a call's 90 kHz video RTP timestamps (RFC 6184 §5.1) onto the milliseconds of its hub
/// stream: the first picture is placed at its arrival time on the call's media clock (where
/// the audio also starts), later ones by their timestamp distance from it, across the 32-bit
/// wrap. Timestamps that go backwards keep the last value, so the stream's times never decrease.
struct VideoTimeline {
    /// The RTP clock rate of video.
    static let clockRate: Int64 = 90_000

    private var origin: Int64?
    private var lastTimestamp: UInt32 = 0
    private var extended: Int64 = 0
    private var lastMilliseconds: Int64 = 0

    /// The stream time of a picture.
    /// - Parameters:
    ///   - arrival: the call media clock's time now, used for the first picture only.
    mutating func milliseconds(timestamp: UInt32, arrival: Int64) -> Int64 {
        guard let origin else {
            origin = arrival
            lastTimestamp = timestamp
            lastMilliseconds = arrival
            return arrival
        }
        extended += Int64(Int32(bitPattern: timestamp &- lastTimestamp))
        lastTimestamp = timestamp
        lastMilliseconds = max(lastMilliseconds, origin + extended * 1000 / Self.clockRate)
        return lastMilliseconds
    }
}
