import CFFmpeg

/// Turns packets of one stream into frames, owning an `AVCodecContext` (freed in deinit).
public final class Decoder {
    private var context: UnsafeMutablePointer<AVCodecContext>?
    /// The time base of the packets sent and of the frames' pts.
    public let timeBase: Rational

    /// Opens FFmpeg's default decoder for the parameters' codec.
    /// - Parameters:
    ///   - parameters: codec description with extradata when the codec needs it.
    ///   - timeBase: time base of incoming packets; frames keep it.
    ///   - threads: decoder threads (1 keeps latency lowest; 0 lets FFmpeg choose).
    /// - Throws: `MediaError.codecNotFound` or the FFmpeg failure.
    public init(parameters: CodecParameters, timeBase: Rational, threads: Int = 1) throws(MediaError) {
        FFmpegLibraries.setUp()
        guard let codec = avcodec_find_decoder(parameters.pointer.pointee.codec_id) else {
            throw .codecNotFound(parameters.codecName)
        }
        guard let context = avcodec_alloc_context3(codec) else { throw .outOfMemory("AVCodecContext") }
        self.context = context
        self.timeBase = timeBase
        try check(avcodec_parameters_to_context(context, parameters.pointer), "avcodec_parameters_to_context")
        context.pointee.pkt_timebase = timeBase.av
        context.pointee.time_base = timeBase.av
        context.pointee.thread_count = Int32(threads)
        try check(avcodec_open2(context, codec, nil), "avcodec_open2 \(parameters.codecName)")
    }

    deinit { avcodec_free_context(&context) }

    /// Sends one packet (nil to drain at the end) and returns every frame now ready.
    /// Frames carry the packet's time base in `pts` (best-effort timestamp).
    /// - Throws: `MediaError` for a packet the decoder rejects; callers usually log it and go on.
    public func decode(_ packet: Packet?) throws(MediaError) -> [Frame] {
        guard let context else { return [] }
        var frames: [Frame] = []
        var result = avcodec_send_packet(context, packet?.pointer)
        if result == averrorEAGAIN {
            try receiveAll(into: &frames)
            result = avcodec_send_packet(context, packet?.pointer)
        }
        if result != averrorEOF { try check(result, "avcodec_send_packet") }
        try receiveAll(into: &frames)
        return frames
    }

    /// Forgets buffered state (after a seek or a gap), keeping the codec open.
    public func reset() {
        if let context { avcodec_flush_buffers(context) }
    }

    private func receiveAll(into frames: inout [Frame]) throws(MediaError) {
        guard let context else { return }
        while true {
            let frame = try Frame()
            let result = avcodec_receive_frame(context, frame.pointer)
            if result == averrorEAGAIN || result == averrorEOF { return }
            try check(result, "avcodec_receive_frame")
            frame.pointer.pointee.pts = frame.pointer.pointee.best_effort_timestamp
            frames.append(frame)
        }
    }
}

/// A decoder belongs to the one pipeline thread that feeds it.
@available(*, unavailable) extension Decoder: Sendable {}
