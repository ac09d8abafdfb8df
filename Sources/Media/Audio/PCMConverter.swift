/// Turns decoded frames of any layout into mono signed 16-bit samples at one rate, the form
/// telephony codecs (G.711) take. Belongs to the one thread that decodes. Public for SIP's
/// call codecs (G.722, Opus), which decode with FFmpeg too.
public final class PCMConverter {
    private let resampler: Resampler

    /// - Parameter sampleRate: output rate in Hz (8000 for G.711).
    /// - Throws: `MediaError` for a non-positive rate or an allocation failure.
    public init(sampleRate: Int) throws(MediaError) {
        resampler = try Resampler(sampleRate: sampleRate, channels: 1, format: .s16)
    }

    /// The samples of `frame` (nil flushes what the resampler still holds).
    /// - Throws: `MediaError` when the frame cannot be converted.
    public func convert(_ frame: Frame?, timeBase: Rational) throws(MediaError) -> [Int16] {
        guard let output = try resampler.convert(frame, inputTimeBase: timeBase) else { return [] }
        let count = output.sampleCount
        return output.withPlane(0) { data, _ -> [Int16] in
            guard let data else { return [] }
            return Array(UnsafeBufferPointer(start: data.bindMemory(to: Int16.self, capacity: count), count: count))
        }
    }
}

@available(*, unavailable) extension PCMConverter: Sendable {}
