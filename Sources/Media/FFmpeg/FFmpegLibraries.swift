import CFFmpeg

/// The FFmpeg libraries this build runs on.
public enum FFmpegLibraries {
    /// "avformat 59.27.100, avcodec 59.37.100, ..." as linked at run time.
    public static var versions: String {
        func v(_ name: String, _ n: UInt32) -> String { "\(name) \(n >> 16).\((n >> 8) & 0xff).\(n & 0xff)" }
        return [
            v("avformat", avformat_version()), v("avcodec", avcodec_version()), v("avutil", avutil_version()),
            v("swscale", swscale_version()), v("swresample", swresample_version()), v("avfilter", avfilter_version()),
        ].joined(separator: ", ")
    }

    /// Process-wide FFmpeg settings, applied once before the first demuxer, decoder or encoder:
    /// FFmpeg's own log goes to stderr, so only its errors are let through (ours go to swift-log).
    static func setUp() { _ = once }

    private static let once: Void = { av_log_set_level(AV_LOG_ERROR) }()
}
