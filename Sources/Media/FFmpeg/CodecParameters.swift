import CFFmpeg

/// What kind of media a stream or codec carries.
public enum TrackKind: Sendable, Equatable {
    case video, audio, other
}

/// A stream's codec description (codec, size or rate, extradata), owning an `AVCodecParameters`.
/// Demuxers and encoders produce it; decoders and muxers consume it.
public final class CodecParameters {
    let pointer: UnsafeMutablePointer<AVCodecParameters>

    /// Empty parameters.
    /// - Throws: `MediaError.outOfMemory`.
    public init() throws(MediaError) {
        guard let parameters = avcodec_parameters_alloc() else { throw .outOfMemory("AVCodecParameters") }
        pointer = parameters
    }

    /// A copy of parameters FFmpeg owns (a demuxer's stream, an encoder's context).
    convenience init(copying source: UnsafePointer<AVCodecParameters>) throws(MediaError) {
        try self.init()
        try check(avcodec_parameters_copy(pointer, source), "avcodec_parameters_copy")
    }

    /// Parameters for a video stream described outside FFmpeg (e.g. by a hub's codec config).
    /// - Parameters:
    ///   - codecName: FFmpeg's codec name ("h264", "hevc").
    ///   - width: picture width, 0 when unknown.
    ///   - height: picture height, 0 when unknown.
    ///   - extradata: AVCDecoderConfigurationRecord / hvcC, or empty when parameter sets are in-band.
    /// - Throws: `MediaError.codecNotFound` for an unknown codec name.
    public convenience init(videoCodec codecName: String, width: Int, height: Int, extradata: [UInt8]) throws(MediaError) {
        try self.init()
        pointer.pointee.codec_type = AVMEDIA_TYPE_VIDEO
        pointer.pointee.codec_id = try Self.codecID(codecName)
        pointer.pointee.width = Int32(width)
        pointer.pointee.height = Int32(height)
        try setExtradata(extradata)
    }

    /// Parameters for an audio stream described outside FFmpeg.
    /// - Parameters:
    ///   - codecName: FFmpeg's codec name ("aac", "opus", "pcm_mulaw").
    ///   - sampleRate: samples per second.
    ///   - channels: channel count.
    ///   - extradata: AudioSpecificConfig / OpusHead, or empty.
    /// - Throws: `MediaError.codecNotFound` for an unknown codec name.
    public convenience init(audioCodec codecName: String, sampleRate: Int, channels: Int, extradata: [UInt8]) throws(MediaError) {
        try self.init()
        pointer.pointee.codec_type = AVMEDIA_TYPE_AUDIO
        pointer.pointee.codec_id = try Self.codecID(codecName)
        pointer.pointee.sample_rate = Int32(sampleRate)
        av_channel_layout_default(&pointer.pointee.ch_layout, Int32(max(channels, 1)))
        try setExtradata(extradata)
    }

    deinit { var parameters: UnsafeMutablePointer<AVCodecParameters>? = pointer; avcodec_parameters_free(&parameters) }

    /// Video, audio or other.
    public var kind: TrackKind {
        switch pointer.pointee.codec_type {
        case AVMEDIA_TYPE_VIDEO: .video
        case AVMEDIA_TYPE_AUDIO: .audio
        default: .other
        }
    }

    /// FFmpeg's codec name ("h264", "aac").
    public var codecName: String { String(cString: avcodec_get_name(pointer.pointee.codec_id)) }
    /// Picture width (video).
    public var width: Int { Int(pointer.pointee.width) }
    /// Picture height (video).
    public var height: Int { Int(pointer.pointee.height) }
    /// Sample rate (audio).
    public var sampleRate: Int { Int(pointer.pointee.sample_rate) }
    /// Channel count (audio).
    public var channels: Int { Int(pointer.pointee.ch_layout.nb_channels) }
    /// Codec-specific setup bytes (avcC, AudioSpecificConfig...).
    public var extradata: [UInt8] {
        guard let data = pointer.pointee.extradata, pointer.pointee.extradata_size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(pointer.pointee.extradata_size)))
    }

    /// Replaces the extradata with a padded copy of `bytes`.
    /// - Throws: `MediaError.outOfMemory`.
    public func setExtradata(_ bytes: [UInt8]) throws(MediaError) {
        av_freep(&pointer.pointee.extradata)
        pointer.pointee.extradata_size = 0
        guard !bytes.isEmpty else { return }
        guard let raw = av_mallocz(bytes.count + Int(AV_INPUT_BUFFER_PADDING_SIZE)) else {
            throw .outOfMemory("extradata")
        }
        let data = raw.assumingMemoryBound(to: UInt8.self)
        data.update(from: bytes, count: bytes.count)
        pointer.pointee.extradata = data
        pointer.pointee.extradata_size = Int32(bytes.count)
    }

    static func codecID(_ name: String) throws(MediaError) -> AVCodecID {
        guard let descriptor = avcodec_descriptor_get_by_name(name) else { throw .codecNotFound(name) }
        return descriptor.pointee.id
    }
}

/// Parameters belong to the one pipeline thread that uses them.
@available(*, unavailable) extension CodecParameters: Sendable {}
