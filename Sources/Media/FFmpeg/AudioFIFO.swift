import CFFmpeg

/// Regroups audio samples into frames of a fixed size (AAC wants 1024 per frame), owning an
/// `AVAudioFifo`. Timestamps continue from the first frame written, in 1/sampleRate.
public final class AudioFIFO {
    private let fifo: OpaquePointer
    private let format: SampleFormat
    private let channels: Int
    private let sampleRate: Int
    private var nextPTS: Int64?

    /// - Parameters: the layout of every frame that will be written.
    /// - Throws: `MediaError.outOfMemory`.
    public init(format: SampleFormat, channels: Int, sampleRate: Int) throws(MediaError) {
        guard let fifo = av_audio_fifo_alloc(format.av, Int32(channels), 1024) else { throw .outOfMemory("AVAudioFifo") }
        self.fifo = fifo
        self.format = format
        self.channels = channels
        self.sampleRate = sampleRate
    }

    deinit { av_audio_fifo_free(fifo) }

    /// Samples per channel waiting.
    public var count: Int { Int(av_audio_fifo_size(fifo)) }

    /// Appends the samples of `frame` (same layout as given at init; pts in 1/sampleRate).
    /// - Throws: `MediaError` when the FIFO cannot grow.
    public func write(_ frame: Frame) throws(MediaError) {
        if nextPTS == nil { nextPTS = (frame.pts ?? 0) - Int64(count) }
        let data = UnsafeMutableRawPointer(frame.pointer.pointee.extended_data)
            .map { $0.assumingMemoryBound(to: UnsafeMutableRawPointer?.self) }
        let written = av_audio_fifo_write(fifo, data, frame.pointer.pointee.nb_samples)
        try check(written, "av_audio_fifo_write")
    }

    /// A frame of exactly `samples` samples, or nil while fewer are waiting.
    /// - Throws: `MediaError` on allocation failure.
    public func read(samples: Int) throws(MediaError) -> Frame? {
        guard samples > 0, count >= samples else { return nil }
        let frame = try Frame(samples: samples, format: format, sampleRate: sampleRate, channels: channels)
        let data = UnsafeMutableRawPointer(frame.pointer.pointee.extended_data)
            .map { $0.assumingMemoryBound(to: UnsafeMutableRawPointer?.self) }
        try check(av_audio_fifo_read(fifo, data, Int32(samples)), "av_audio_fifo_read")
        frame.pts = nextPTS
        nextPTS = (nextPTS ?? 0) + Int64(samples)
        return frame
    }
}

/// A FIFO belongs to the one pipeline thread that uses it.
@available(*, unavailable) extension AudioFIFO: Sendable {}
