import CFFmpeg

/// Encodes a picture as PNG bytes (RGB, 8 bits per channel) at the picture's own size.
public struct PNGWriter {
    public init() {}

    /// The PNG file of `frame`.
    /// - Throws: `MediaError` when the picture cannot be converted or encoded.
    public func encode(_ frame: Frame) throws(MediaError) -> [UInt8] {
        let rgb = frame.pixelFormat == .rgb24
            ? frame : try Scaler(width: frame.width, height: frame.height, format: .rgb24).scale(frame)
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_PNG) else { throw .codecNotFound("png") }
        var context = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&context) }
        guard let context else { throw .outOfMemory("AVCodecContext") }
        context.pointee.width = Int32(frame.width)
        context.pointee.height = Int32(frame.height)
        context.pointee.pix_fmt = AV_PIX_FMT_RGB24
        context.pointee.time_base = AVRational(num: 1, den: 25)
        try check(avcodec_open2(context, codec, nil), "avcodec_open2 png")
        try check(avcodec_send_frame(context, rgb.pointer), "avcodec_send_frame png")
        let packet = try Packet()
        try check(avcodec_receive_packet(context, packet.pointer), "avcodec_receive_packet png")
        return packet.bytes
    }
}
