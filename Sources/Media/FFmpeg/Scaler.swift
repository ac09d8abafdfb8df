import CFFmpeg

/// Converts pictures to one size and pixel format with libswscale, owning an `SwsContext`.
/// The context is rebuilt when the input size or format changes mid-stream.
public final class Scaler {
    private var context: OpaquePointer?
    /// Output width in pixels.
    public let width: Int
    /// Output height in pixels.
    public let height: Int
    /// Output pixel format.
    public let format: PixelFormat

    /// - Parameters:
    ///   - width: output width (positive).
    ///   - height: output height (positive).
    ///   - format: output pixel format.
    /// - Throws: `MediaError.invalidArgument` for a non-positive size.
    public init(width: Int, height: Int, format: PixelFormat = .yuv420p) throws(MediaError) {
        guard width > 0, height > 0 else { throw .invalidArgument("scaler size \(width)x\(height)") }
        self.width = width
        self.height = height
        self.format = format
    }

    deinit { sws_freeContext(context) }

    /// A new frame with the picture of `frame` at the output size and format; pts and other
    /// properties are copied.
    /// - Throws: `MediaError` when swscale cannot convert between the formats.
    public func scale(_ frame: Frame) throws(MediaError) -> Frame {
        let source = frame.pointer
        context = sws_getCachedContext(
            context, source.pointee.width, source.pointee.height, AVPixelFormat(rawValue: source.pointee.format),
            Int32(width), Int32(height), format.av, SWS_BILINEAR, nil, nil, nil)
        guard let context else {
            throw .invalidArgument("no conversion \(frame.width)x\(frame.height) \(frame.pixelFormat) → \(format)")
        }
        let output = try Frame(width: width, height: height, format: format)
        try check(av_frame_copy_props(output.pointer, source), "av_frame_copy_props")
        // sws_scale_frame reads the planes itself: no AVFrame.data tuples in Swift.
        try check(sws_scale_frame(context, output.pointer, source), "sws_scale_frame")
        return output
    }
}

/// A scaler belongs to the one pipeline thread that uses it.
@available(*, unavailable) extension Scaler: Sendable {}
