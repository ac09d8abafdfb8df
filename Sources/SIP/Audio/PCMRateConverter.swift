import Media

/// Converts mono 16-bit PCM from one rate to another (after a re-INVITE changed the codec's
/// rate, the call keeps its first one). Lives on one call's codec queue.
final class PCMRateConverter {
    /// The input rate.
    let inputRate: Int
    /// The output rate.
    let outputRate: Int
    private let converter: PCMConverter
    private var nextPTS: Int64 = 0

    /// - Throws: `MediaError` for a non-positive rate.
    init(from inputRate: Int, to outputRate: Int) throws(MediaError) {
        self.inputRate = inputRate
        self.outputRate = outputRate
        converter = try PCMConverter(sampleRate: outputRate)
    }

    /// The samples at the output rate (the resampler's delay makes the first call give fewer).
    /// - Throws: `MediaError` when resampling fails.
    func convert(_ samples: [Int16]) throws -> [Int16] {
        guard !samples.isEmpty else { return [] }
        let frame = try Frame.mono16(samples, sampleRate: inputRate, pts: nextPTS)
        nextPTS += Int64(samples.count)
        return try converter.convert(frame, timeBase: Rational(1, Int32(inputRate)))
    }
}
