/// Measures a stream's bitrate over the last few seconds from the bytes it carried.
struct BitrateMeter {
    /// Length of the averaging window, in milliseconds.
    static let windowMilliseconds: Int64 = 3_000

    private var samples: [(time: Int64, bytes: Int)] = []
    private var total = 0

    /// Counts `bytes` seen at `now` (milliseconds on any monotonic clock).
    mutating func add(bytes: Int, now: Int64) {
        samples.append((now, bytes))
        total += bytes
        var drop = 0
        while drop < samples.count, samples[drop].time < now - Self.windowMilliseconds {
            total -= samples[drop].bytes
            drop += 1
        }
        if drop > 0 { samples.removeFirst(drop) }
    }

    /// The bitrate in kbps over the window ending at `now`.
    func kbps(now: Int64) -> Int {
        guard let first = samples.first else { return 0 }
        let span = max(now - first.time, 1_000)
        return Int(Int64(total) * 8 / span)
    }
}
