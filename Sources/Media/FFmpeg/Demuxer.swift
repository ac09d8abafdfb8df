import CFFmpeg

/// One stream of a demuxer's input.
public struct InputStream {
    /// Index of the stream in the input; packets carry it as `streamIndex`.
    public let index: Int
    /// A copy of the stream's codec description.
    public let parameters: CodecParameters
    /// The time base of the stream's packets.
    public let timeBase: Rational
    /// The average frame rate FFmpeg measured (0/0 when unknown or audio).
    public let frameRate: Rational
    /// Video, audio or other.
    public var kind: TrackKind { parameters.kind }
}

/// Reads packets from a file or a network URL, owning an `AVFormatContext` (closed in deinit).
///
/// Blocking: run it on a pipeline's own thread. Every open passes a `ProtocolWhitelist`, and
/// the URL is refused before FFmpeg sees it when its scheme is not on the list.
public final class Demuxer {
    private var context: UnsafeMutablePointer<AVFormatContext>?
    private let interrupt: InterruptFlag
    /// The input's streams, in index order.
    public let streams: [InputStream]

    /// Opens `url` and reads enough to know its streams.
    /// - Parameters:
    ///   - url: `file:/abs/path` (see `ProtocolWhitelist.fileURL`) or `rtsp://…`.
    ///   - whitelist: the only protocols FFmpeg may use, here and for nested opens.
    ///   - options: demuxer and protocol options (`rtsp_transport`, `timeout`...).
    ///   - interrupt: a flag another thread may set to abort a blocking open or read.
    /// - Throws: `MediaError.protocolNotAllowed` before opening anything, or the FFmpeg failure.
    public init(
        url: String, whitelist: ProtocolWhitelist, options: [String: String] = [:],
        interrupt: InterruptFlag = InterruptFlag()
    ) throws(MediaError) {
        FFmpegLibraries.setUp()
        guard whitelist.allows(url) else { throw .protocolNotAllowed(url) }
        guard var context = avformat_alloc_context() else { throw .outOfMemory("AVFormatContext") }
        self.interrupt = interrupt
        context.pointee.interrupt_callback = interrupt.callback
        var all = options
        all["protocol_whitelist"] = whitelist.protocols
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        try FFmpegOptions.with(all) { dictionary throws(MediaError) in
            // On failure avformat_open_input frees the context and sets it to NULL.
            try check(avformat_open_input(&opened, url, nil, dictionary), "open \(url)")
        }
        guard let openedContext = opened else { throw .outOfMemory("AVFormatContext") }
        context = openedContext
        do {
            try check(avformat_find_stream_info(context, nil), "avformat_find_stream_info")
            var streams: [InputStream] = []
            for index in 0..<Int(context.pointee.nb_streams) {
                guard let stream = context.pointee.streams[index], let codecpar = stream.pointee.codecpar else { continue }
                streams.append(InputStream(
                    index: index, parameters: try CodecParameters(copying: codecpar),
                    timeBase: Rational(stream.pointee.time_base), frameRate: Rational(stream.pointee.avg_frame_rate)))
            }
            self.streams = streams
        } catch {
            var toClose: UnsafeMutablePointer<AVFormatContext>? = context
            avformat_close_input(&toClose)
            throw error
        }
        self.context = context
    }

    deinit { avformat_close_input(&context) }

    /// The first stream of `kind` FFmpeg ranks best, or nil.
    public func bestStream(_ kind: TrackKind) -> InputStream? {
        guard let context else { return nil }
        let type = kind == .video ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO
        let index = av_find_best_stream(context, type, -1, -1, nil, 0)
        return index >= 0 ? streams.first { $0.index == Int(index) } : nil
    }

    /// Duration of the input in seconds, nil when unknown (live sources).
    public var duration: Double? {
        guard let context, context.pointee.duration != noPTS, context.pointee.duration > 0 else { return nil }
        return Double(context.pointee.duration) / Double(AV_TIME_BASE)
    }

    /// The format's short name ("mov,mp4,m4a,3gp,3g2,mj2", "rtsp").
    public var formatName: String {
        guard let name = context?.pointee.iformat?.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The next packet with its stream's time base, or nil at the end of the input.
    /// - Throws: `MediaError` on a read failure or after `interrupt()`.
    public func read() throws(MediaError) -> Packet? {
        guard let context else { return nil }
        let packet = try Packet()
        let result = av_read_frame(context, packet.pointer)
        if result == averrorEOF { return nil }
        try check(result, "av_read_frame")
        if let stream = streams.first(where: { $0.index == packet.streamIndex }) {
            packet.timeBase = stream.timeBase
        }
        return packet
    }

    /// Seeks to the keyframe at or before `seconds` (for looping a file from 0).
    /// - Throws: `MediaError` when the input cannot seek.
    public func seek(toSeconds seconds: Double) throws(MediaError) {
        guard let context else { return }
        let target = Int64(seconds * Double(AV_TIME_BASE))
        try check(avformat_seek_file(context, -1, Int64.min, target, target, 0), "avformat_seek_file")
    }
}

/// A demuxer belongs to the one pipeline thread that reads it; `InterruptFlag` is the
/// only part other threads touch.
@available(*, unavailable) extension Demuxer: Sendable {}
