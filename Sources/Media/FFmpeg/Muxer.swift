import CFFmpeg

/// Writes packets into a container file, owning an `AVFormatContext` and its `AVIOContext`.
///
/// Call `addStream` for each track, then `start()`, then `write` packets and `finish()`.
/// A fragmented MP4 or an MKV with short clusters stays playable when the process dies:
/// each finished fragment or cluster is flushed to the file at once.
public final class Muxer {
    /// Container layouts the muxer writes.
    public enum Container: Sendable, Equatable {
        /// MP4 made of moof/mdat fragments cut at keyframes and at most every `fragmentSeconds`;
        /// crash-safe: a killed writer leaves every finished fragment playable.
        case fragmentedMP4(fragmentSeconds: Double)
        /// Matroska with clusters of at most `clusterSeconds`, flushed as they close.
        case matroska(clusterSeconds: Double)
        /// Any other FFmpeg muxer by short name ("mp4", "flv", "wav"), with default options.
        case other(String)

        var formatName: String {
            switch self {
            case .fragmentedMP4: "mp4"
            case .matroska: "matroska"
            case .other(let name): name
            }
        }

        var options: [String: String] {
            switch self {
            case .fragmentedMP4(let seconds):
                ["movflags": "frag_keyframe+empty_moov+default_base_moof",
                 "frag_duration": String(Int64(seconds * 1_000_000))]
            case .matroska(let seconds):
                ["cluster_time_limit": String(Int64(seconds * 1000))]
            case .other: [:]
            }
        }
    }

    private var context: UnsafeMutablePointer<AVFormatContext>?
    private var inputTimeBases: [Rational] = []
    private var isStarted = false
    private var isFinished = false
    /// The file being written.
    public let path: String

    /// Creates the muxer for `path`; the file is opened by `start()`.
    /// - Parameters:
    ///   - path: absolute path of the output file (written through the `file` protocol only).
    ///   - container: the layout to write.
    /// - Throws: `MediaError` when FFmpeg has no such muxer.
    public init(path: String, container: Container) throws(MediaError) {
        self.path = path
        self.container = container
        var context: UnsafeMutablePointer<AVFormatContext>? = nil
        try check(avformat_alloc_output_context2(&context, nil, container.formatName, path),
                  "avformat_alloc_output_context2 \(container.formatName)")
        guard let context else { throw .outOfMemory("AVFormatContext") }
        // Write each packet through to the AVIOContext, so a finished fragment reaches the file at once.
        context.pointee.flags |= AVFMT_FLAG_FLUSH_PACKETS
        self.context = context
    }

    private let container: Container

    deinit {
        if let context {
            if isStarted && !isFinished { av_write_trailer(context) }
            avio_closep(&context.pointee.pb)
            avformat_free_context(context)
        }
    }

    /// Adds a track; returns its index for `write`.
    /// - Parameters:
    ///   - parameters: the codec description (from a demuxer, an encoder or a hub codec config).
    ///   - timeBase: the time base of the packets that will be written to it.
    /// - Throws: `MediaError` when called after `start()` or when FFmpeg refuses the track.
    @discardableResult
    public func addStream(_ parameters: CodecParameters, timeBase: Rational) throws(MediaError) -> Int {
        guard let context, !isStarted else { throw .invalidArgument("addStream after start") }
        guard let stream = avformat_new_stream(context, nil) else { throw .outOfMemory("AVStream") }
        try check(avcodec_parameters_copy(stream.pointee.codecpar, parameters.pointer), "avcodec_parameters_copy")
        stream.pointee.codecpar.pointee.codec_tag = 0
        stream.pointee.time_base = timeBase.av
        inputTimeBases.append(timeBase)
        return Int(stream.pointee.index)
    }

    /// Opens the file and writes the header.
    /// - Throws: `MediaError` when the file cannot be created or the header is refused.
    public func start() throws(MediaError) {
        guard let context, !isStarted else { return }
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            try FFmpegOptions.with(["protocol_whitelist": ProtocolWhitelist.file.protocols]) { options throws(MediaError) in
                try check(avio_open2(&context.pointee.pb, ProtocolWhitelist.fileURL(path), AVIO_FLAG_WRITE, nil, options),
                          "open \(path)")
            }
        }
        try FFmpegOptions.with(container.options) { options throws(MediaError) in
            try check(avformat_write_header(context, options), "avformat_write_header")
        }
        isStarted = true
    }

    /// Writes one packet to track `stream`, rescaling its timestamps from the track's input
    /// time base to the container's.
    /// - Throws: `MediaError` when the muxer refuses the packet (e.g. non-monotonic timestamps).
    public func write(_ packet: Packet, stream: Int) throws(MediaError) {
        guard let context, isStarted, !isFinished else { throw .invalidArgument("write outside start/finish") }
        guard stream >= 0, stream < inputTimeBases.count, let avStream = context.pointee.streams[stream] else {
            throw .invalidArgument("stream \(stream)")
        }
        packet.streamIndex = stream
        packet.timeBase = inputTimeBases[stream]
        packet.rescale(to: Rational(avStream.pointee.time_base))
        try check(av_interleaved_write_frame(context, packet.pointer), "av_interleaved_write_frame")
    }

    /// Pushes everything buffered so far to the file (the open fragment stays open).
    public func flush() {
        guard let context, isStarted, !isFinished else { return }
        av_write_frame(context, nil)
        avio_flush(context.pointee.pb)
    }

    /// Writes the trailer and closes the file. Later calls do nothing.
    /// - Throws: `MediaError` when the trailer cannot be written.
    public func finish() throws(MediaError) {
        guard let context, isStarted, !isFinished else { return }
        isFinished = true
        let result = av_write_trailer(context)
        avio_closep(&context.pointee.pb)
        try check(result, "av_write_trailer")
    }
}

/// A muxer belongs to the one pipeline thread that writes it.
@available(*, unavailable) extension Muxer: Sendable {}
