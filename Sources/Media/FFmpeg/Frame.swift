import CFFmpeg

/// One decoded picture or block of audio samples, owning an `AVFrame` (freed in deinit).
public final class Frame {
    let pointer: UnsafeMutablePointer<AVFrame>

    /// An empty frame, to be filled by a decoder, scaler, resampler or filter.
    /// - Throws: `MediaError.outOfMemory` when FFmpeg cannot allocate it.
    public init() throws(MediaError) {
        guard let frame = av_frame_alloc() else { throw .outOfMemory("AVFrame") }
        pointer = frame
    }

    /// A video frame with its own buffers, of the given size and format.
    /// - Throws: `MediaError` when the size is not positive or allocation fails.
    public convenience init(width: Int, height: Int, format: PixelFormat) throws(MediaError) {
        guard width > 0, height > 0 else { throw .invalidArgument("frame size \(width)x\(height)") }
        try self.init()
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        pointer.pointee.format = format.raw
        try check(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer")
    }

    /// An audio frame with its own buffers.
    /// - Parameters:
    ///   - samples: samples per channel.
    ///   - format: sample format.
    ///   - sampleRate: samples per second.
    ///   - channels: channel count (default layout for that count).
    /// - Throws: `MediaError` when the values are not positive or allocation fails.
    public convenience init(samples: Int, format: SampleFormat, sampleRate: Int, channels: Int) throws(MediaError) {
        guard samples > 0, sampleRate > 0, channels > 0 else {
            throw .invalidArgument("audio frame \(samples) samples, \(sampleRate) Hz, \(channels) ch")
        }
        try self.init()
        pointer.pointee.nb_samples = Int32(samples)
        pointer.pointee.format = format.raw
        pointer.pointee.sample_rate = Int32(sampleRate)
        av_channel_layout_default(&pointer.pointee.ch_layout, Int32(channels))
        try check(av_frame_get_buffer(pointer, 0), "av_frame_get_buffer")
    }

    deinit { var frame: UnsafeMutablePointer<AVFrame>? = pointer; av_frame_free(&frame) }

    /// Picture width in pixels (0 for audio).
    public var width: Int { Int(pointer.pointee.width) }
    /// Picture height in pixels (0 for audio).
    public var height: Int { Int(pointer.pointee.height) }
    /// Pixel format of a picture.
    public var pixelFormat: PixelFormat { PixelFormat(raw: pointer.pointee.format) }
    /// Sample format of audio.
    public var sampleFormat: SampleFormat { SampleFormat(raw: pointer.pointee.format) }
    /// Samples per channel (0 for video).
    public var sampleCount: Int { Int(pointer.pointee.nb_samples) }
    /// Audio sample rate in Hz.
    public var sampleRate: Int { Int(pointer.pointee.sample_rate) }
    /// Audio channel count.
    public var channels: Int { Int(pointer.pointee.ch_layout.nb_channels) }

    /// Presentation time in the producer's time base, nil when unknown.
    public var pts: Int64? {
        get { pointer.pointee.pts == noPTS ? nil : pointer.pointee.pts }
        set { pointer.pointee.pts = newValue ?? noPTS }
    }

    /// true when the decoder marked this picture as a keyframe.
    public var isKeyframe: Bool { pointer.pointee.key_frame != 0 }

    /// Makes the frame's buffers writable (copies them if they are shared).
    /// - Throws: `MediaError` when the copy fails.
    public func makeWritable() throws(MediaError) {
        try check(av_frame_make_writable(pointer), "av_frame_make_writable")
    }

    /// Calls `body` with the bytes and line size of one plane (0 = Y or packed RGB, or the
    /// first audio channel). The AVFrame `data` tuple is read through the C struct's layout.
    public func withPlane<R>(_ plane: Int, _ body: (UnsafeMutableRawPointer?, Int) throws -> R) rethrows -> R {
        precondition((0..<8).contains(plane), "AVFrame has 8 planes")
        let data = withUnsafeBytes(of: pointer.pointee.data) { raw in
            raw.load(fromByteOffset: plane * MemoryLayout<UnsafeMutablePointer<UInt8>?>.stride,
                     as: UnsafeMutablePointer<UInt8>?.self)
        }
        let lineSize = withUnsafeBytes(of: pointer.pointee.linesize) { raw in
            raw.load(fromByteOffset: plane * MemoryLayout<Int32>.stride, as: Int32.self)
        }
        return try body(data.map(UnsafeMutableRawPointer.init), Int(lineSize))
    }

    /// Drops the buffers so the frame can be reused.
    func reset() { av_frame_unref(pointer) }
}

/// Frames belong to the one pipeline thread that uses them.
@available(*, unavailable) extension Frame: Sendable {}
