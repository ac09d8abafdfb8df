/// Measures a stream's bitrate and video frame rate over the last few seconds.
struct BitrateMeter {
    /// Length of the averaging window, in milliseconds.
    static let windowMilliseconds: Int64 = 3_000

    private var samples: [(time: Int64, bytes: Int, isVideoFrame: Bool)] = []
    private var total = 0
    private var frames = 0

    /// Counts a packet of `bytes` seen at `now` (milliseconds on any monotonic clock).
    mutating func add(bytes: Int, isVideoFrame: Bool, now: Int64) {
        samples.append((now, bytes, isVideoFrame))
        total += bytes
        frames += isVideoFrame ? 1 : 0
        var drop = 0
        while drop < samples.count, samples[drop].time < now - Self.windowMilliseconds {
            total -= samples[drop].bytes
            frames -= samples[drop].isVideoFrame ? 1 : 0
            drop += 1
        }
        if drop > 0 { samples.removeFirst(drop) }
    }

    /// The bitrate in kbps over the window ending at `now`.
    func kbps(now: Int64) -> Int {
        guard let first = samples.first else { return 0 }
        return Int(Int64(total) * 8 / max(now - first.time, 1_000))
    }

    /// Video frames per second over the window ending at `now`.
    func fps(now: Int64) -> Int {
        guard let first = samples.first else { return 0 }
        return Int((Int64(frames) * 1_000 + 500) / max(now - first.time, 1_000))
    }
}
