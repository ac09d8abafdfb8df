import CFFmpeg

/// A raw picture layout (FFmpeg's AVPixelFormat), named so no C type leaks into the API.
public struct PixelFormat: Sendable, Hashable, CustomStringConvertible {
    let raw: Int32

    /// Planar 4:2:0 YUV: what H.264 encoders and players expect.
    public static let yuv420p = PixelFormat(AV_PIX_FMT_YUV420P)
    /// Packed 8-bit RGB: what PNG snapshots use.
    public static let rgb24 = PixelFormat(AV_PIX_FMT_RGB24)
    /// No format (FFmpeg's AV_PIX_FMT_NONE).
    public static let none = PixelFormat(AV_PIX_FMT_NONE)

    /// The format FFmpeg knows by this name ("yuv420p", "nv12"), or nil.
    public init?(name: String) {
        let value = av_get_pix_fmt(name)
        if value == AV_PIX_FMT_NONE { return nil }
        self.init(value)
    }

    init(_ value: AVPixelFormat) { raw = value.rawValue }
    init(raw: Int32) { self.raw = raw }
    var av: AVPixelFormat { AVPixelFormat(rawValue: raw) }

    /// FFmpeg's name of the format ("yuv420p").
    public var description: String {
        guard let name = av_get_pix_fmt_name(av) else { return "none" }
        return String(cString: name)
    }
}

/// A raw audio sample layout (FFmpeg's AVSampleFormat).
public struct SampleFormat: Sendable, Hashable, CustomStringConvertible {
    let raw: Int32

    /// Interleaved signed 16-bit: WAV, G.711 decoders, most mixers.
    public static let s16 = SampleFormat(AV_SAMPLE_FMT_S16)
    /// Planar float: what FFmpeg's AAC and Opus encoders take.
    public static let fltp = SampleFormat(AV_SAMPLE_FMT_FLTP)

    init(_ value: AVSampleFormat) { raw = value.rawValue }
    init(raw: Int32) { self.raw = raw }
    var av: AVSampleFormat { AVSampleFormat(rawValue: raw) }

    /// FFmpeg's name of the format ("s16").
    public var description: String {
        guard let name = av_get_sample_fmt_name(av) else { return "none" }
        return String(cString: name)
    }
}
