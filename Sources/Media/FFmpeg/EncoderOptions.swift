/// Settings of a video encoder. Defaults suit live streaming (libx264, veryfast, no B-frames).
public struct VideoEncoderOptions: Sendable, Equatable {
    /// FFmpeg encoder name ("libx264").
    public var codecName = "libx264"
    public var width: Int
    public var height: Int
    /// Frames per second; the encoder's time base is its inverse.
    public var frameRate: Int
    /// Target bitrate in bits per second; 0 lets the encoder choose (CRF for x264).
    public var bitrate = 0
    /// Frames between keyframes (GOP length).
    public var keyFrameInterval: Int
    /// Input pixel format.
    public var pixelFormat = PixelFormat.yuv420p
    /// x264 speed preset.
    public var preset = "veryfast"
    /// x264 tuning ("zerolatency" disables lookahead and B-frames, for live output).
    public var tune: String? = "zerolatency"
    /// Put SPS/PPS in extradata instead of in every keyframe (MP4, FLV/RTMP need this).
    public var hasGlobalHeader = true
    /// Encoder threads (0 lets the encoder choose).
    public var threads = 0

    /// - Parameters: see the properties; `keyFrameInterval` defaults to two seconds of frames.
    public init(width: Int, height: Int, frameRate: Int, bitrate: Int = 0, keyFrameInterval: Int? = nil) {
        self.width = width
        self.height = height
        self.frameRate = frameRate
        self.bitrate = bitrate
        self.keyFrameInterval = keyFrameInterval ?? max(frameRate * 2, 1)
    }
}

/// Settings of an audio encoder. Defaults: AAC-LC, 44.1 kHz stereo at 128 kbps.
public struct AudioEncoderOptions: Sendable, Equatable {
    /// FFmpeg encoder name ("aac", "libopus", "pcm_mulaw").
    public var codecName = "aac"
    public var sampleRate = 44_100
    public var channels = 2
    /// Bits per second.
    public var bitrate = 128_000
    /// Input sample format (the AAC encoder takes planar float).
    public var sampleFormat = SampleFormat.fltp
    /// Put the codec config in extradata (MP4, FLV/RTMP need this).
    public var hasGlobalHeader = true

    public init(codecName: String = "aac", sampleRate: Int = 44_100, channels: Int = 2, bitrate: Int = 128_000) {
        self.codecName = codecName
        self.sampleRate = sampleRate
        self.channels = channels
        self.bitrate = bitrate
    }
}
