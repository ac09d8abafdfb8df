import CFFmpeg

/// Converts audio to one sample rate, channel count and sample format with libswresample,
/// owning a `SwrContext`. It configures itself from the first frame.
public final class Resampler {
    private var context: OpaquePointer?
    /// Output sample rate in Hz.
    public let sampleRate: Int
    /// Output channel count.
    public let channels: Int
    /// Output sample format.
    public let format: SampleFormat
    private var nextPTS: Int64?
    private var isConfigured = false

    /// - Throws: `MediaError` for non-positive values or an allocation failure.
    public init(sampleRate: Int, channels: Int, format: SampleFormat = .fltp) throws(MediaError) {
        guard sampleRate > 0, channels > 0 else { throw .invalidArgument("resampler \(sampleRate) Hz \(channels) ch") }
        guard let context = swr_alloc() else { throw .outOfMemory("SwrContext") }
        self.context = context
        self.sampleRate = sampleRate
        self.channels = channels
        self.format = format
    }

    deinit { swr_free(&context) }

    /// Converts `frame` (nil flushes what the resampler still holds). The result's pts is in
    /// 1/`sampleRate`, continuing from the first input frame's position.
    /// - Parameter inputTimeBase: time base of the input frame's pts.
    /// - Returns: a frame, or nil when no samples came out yet.
    /// - Throws: `MediaError` when the input format changes or cannot be converted.
    public func convert(_ frame: Frame?, inputTimeBase: Rational) throws(MediaError) -> Frame? {
        guard let context else { return nil }
        let output = try Frame()
        output.pointer.pointee.sample_rate = Int32(sampleRate)
        output.pointer.pointee.format = format.raw
        av_channel_layout_default(&output.pointer.pointee.ch_layout, Int32(channels))
        if let frame, frame.pointer.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC {
            // Decoders of raw PCM leave the order unspecified; swr_init would replace it with the
            // default layout and then see every later frame as a format change.
            let channels = frame.pointer.pointee.ch_layout.nb_channels
            av_channel_layout_uninit(&frame.pointer.pointee.ch_layout)
            av_channel_layout_default(&frame.pointer.pointee.ch_layout, channels)
        }
        if let frame, !isConfigured {
            // swr_get_delay divides by the input rate: configure from the first frame before asking.
            try check(swr_config_frame(context, output.pointer, frame.pointer), "swr_config_frame")
            try check(swr_init(context), "swr_init")
            isConfigured = true
        }
        guard isConfigured else { return nil }
        if let frame, nextPTS == nil, let pts = frame.pts {
            nextPTS = inputTimeBase.rescale(pts, to: Rational(1, Int32(sampleRate)))
        }
        if let frame {
            let inputSamples = Int64(frame.sampleCount) * Int64(sampleRate) / Int64(max(frame.sampleRate, 1))
            output.pointer.pointee.nb_samples = Int32(inputSamples + Int64(swr_get_delay(context, Int64(sampleRate))) + 32)
        } else {
            output.pointer.pointee.nb_samples = Int32(swr_get_delay(context, Int64(sampleRate)) + 32)
        }
        guard output.pointer.pointee.nb_samples > 0 else { return nil }
        try check(av_frame_get_buffer(output.pointer, 0), "av_frame_get_buffer")
        try check(swr_convert_frame(context, output.pointer, frame?.pointer), "swr_convert_frame")
        guard output.sampleCount > 0 else { return nil }
        output.pts = nextPTS
        nextPTS = (nextPTS ?? 0) + Int64(output.sampleCount)
        return output
    }
}

/// A resampler belongs to the one pipeline thread that uses it.
@available(*, unavailable) extension Resampler: Sendable {}
