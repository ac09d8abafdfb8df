import CFFmpeg

/// Turns frames into packets, owning an `AVCodecContext` (freed in deinit).
public final class Encoder {
    private var context: UnsafeMutablePointer<AVCodecContext>?
    /// Time base of the frames' pts and of the packets produced.
    public let timeBase: Rational
    /// The stream description for a muxer or the hub (with extradata when global headers are on).
    public let parameters: CodecParameters

    /// Opens a video encoder.
    /// - Throws: `MediaError.codecNotFound` when the encoder is not built in, or the FFmpeg failure.
    public convenience init(video options: VideoEncoderOptions) throws(MediaError) {
        guard options.width > 0, options.height > 0, options.frameRate > 0 else {
            throw .invalidArgument("video \(options.width)x\(options.height) at \(options.frameRate) fps")
        }
        var settings: [String: String] = ["preset": options.preset]
        if let tune = options.tune { settings["tune"] = tune }
        try self.init(codecName: options.codecName, options: settings, hasGlobalHeader: options.hasGlobalHeader) { context in
            context.pointee.width = Int32(options.width)
            context.pointee.height = Int32(options.height)
            context.pointee.pix_fmt = options.pixelFormat.av
            context.pointee.time_base = AVRational(num: 1, den: Int32(options.frameRate))
            context.pointee.framerate = AVRational(num: Int32(options.frameRate), den: 1)
            context.pointee.gop_size = Int32(options.keyFrameInterval)
            context.pointee.max_b_frames = 0
            context.pointee.thread_count = Int32(options.threads)
            if options.bitrate > 0 {
                context.pointee.bit_rate = Int64(options.bitrate)
                context.pointee.rc_max_rate = Int64(options.bitrate)
                context.pointee.rc_buffer_size = Int32(clamping: options.bitrate)
            }
        }
    }

    /// Opens an audio encoder.
    /// - Throws: `MediaError.codecNotFound` when the encoder is not built in, or the FFmpeg failure.
    public convenience init(audio options: AudioEncoderOptions) throws(MediaError) {
        guard options.sampleRate > 0, options.channels > 0 else {
            throw .invalidArgument("audio \(options.sampleRate) Hz, \(options.channels) ch")
        }
        try self.init(codecName: options.codecName, options: [:], hasGlobalHeader: options.hasGlobalHeader) { context in
            context.pointee.sample_rate = Int32(options.sampleRate)
            av_channel_layout_default(&context.pointee.ch_layout, Int32(options.channels))
            context.pointee.sample_fmt = options.sampleFormat.av
            context.pointee.bit_rate = Int64(options.bitrate)
            context.pointee.time_base = AVRational(num: 1, den: Int32(options.sampleRate))
        }
    }

    private init(
        codecName: String, options: [String: String], hasGlobalHeader: Bool,
        configure: (UnsafeMutablePointer<AVCodecContext>) -> Void
    ) throws(MediaError) {
        FFmpegLibraries.setUp()
        guard let codec = avcodec_find_encoder_by_name(codecName) else { throw .codecNotFound(codecName) }
        guard let context = avcodec_alloc_context3(codec) else { throw .outOfMemory("AVCodecContext") }
        self.context = context
        configure(context)
        if hasGlobalHeader { context.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER) }
        try FFmpegOptions.with(options) { dictionary throws(MediaError) in
            try check(avcodec_open2(context, codec, dictionary), "avcodec_open2 \(codecName)")
        }
        timeBase = Rational(context.pointee.time_base)
        let parameters = try CodecParameters()
        try check(avcodec_parameters_from_context(parameters.pointer, context), "avcodec_parameters_from_context")
        self.parameters = parameters
    }

    deinit { avcodec_free_context(&context) }

    /// Priming samples an audio encoder puts before the first input sample (AAC: 1024); its
    /// packets' timestamps start this far before the first frame's.
    public var initialPadding: Int { Int(context?.pointee.initial_padding ?? 0) }

    /// Samples per channel each audio frame must hold (0: any number; video: 0).
    public var frameSize: Int { Int(context?.pointee.frame_size ?? 0) }

    /// Sends one frame (nil to drain at the end) and returns every packet now ready, with
    /// timestamps in `timeBase`.
    /// - Throws: `MediaError` when the encoder rejects the frame.
    public func encode(_ frame: Frame?) throws(MediaError) -> [Packet] {
        guard let context else { return [] }
        var packets: [Packet] = []
        // A decoded picture keeps its I/P/B type; the encoder must choose its own.
        frame?.pointer.pointee.pict_type = AV_PICTURE_TYPE_NONE
        var result = avcodec_send_frame(context, frame?.pointer)
        if result == averrorEAGAIN {
            try receiveAll(into: &packets)
            result = avcodec_send_frame(context, frame?.pointer)
        }
        if result != averrorEOF { try check(result, "avcodec_send_frame") }
        try receiveAll(into: &packets)
        return packets
    }

    private func receiveAll(into packets: inout [Packet]) throws(MediaError) {
        guard let context else { return }
        while true {
            let packet = try Packet(timeBase: timeBase)
            let result = avcodec_receive_packet(context, packet.pointer)
            if result == averrorEAGAIN || result == averrorEOF { return }
            try check(result, "avcodec_receive_packet")
            packets.append(packet)
        }
    }
}

/// An encoder belongs to the one pipeline thread that feeds it.
@available(*, unavailable) extension Encoder: Sendable {}
