import CFFmpeg

/// A libavfilter graph with one input and one output, owning the `AVFilterGraph`.
/// Build it from a filter description ("fps=15,scale=640:-2", "volume=0").
public final class FilterGraph {
    /// What the graph's single input receives.
    public enum Input: Sendable, Equatable {
        case video(width: Int, height: Int, format: PixelFormat, timeBase: Rational)
        case audio(sampleRate: Int, channels: Int, format: SampleFormat, timeBase: Rational)
    }

    private var graph: UnsafeMutablePointer<AVFilterGraph>?
    private let source: UnsafeMutablePointer<AVFilterContext>
    private let sink: UnsafeMutablePointer<AVFilterContext>

    /// Builds and configures the graph.
    /// - Parameters:
    ///   - description: the filters between input and output, FFmpeg's `-vf`/`-af` syntax.
    ///   - input: the format of the frames that will be pushed.
    ///   - threads: slice threads of the filters that have them (scale): 1 keeps the work on the
    ///     caller's thread; 0 lets FFmpeg choose (one per core), as the ffmpeg CLI does.
    /// - Throws: `MediaError` when the description does not parse or the graph cannot be configured.
    public init(description: String, input: Input, threads: Int = 1) throws(MediaError) {
        guard let graph = avfilter_graph_alloc() else { throw .outOfMemory("AVFilterGraph") }
        self.graph = graph
        graph.pointee.nb_threads = Int32(threads)
        let (sourceName, sinkName, arguments): (String, String, String)
        switch input {
        case .video(let width, let height, let format, let timeBase):
            (sourceName, sinkName) = ("buffer", "buffersink")
            arguments = "video_size=\(width)x\(height):pix_fmt=\(format.raw):time_base=\(timeBase):pixel_aspect=1/1"
        case .audio(let sampleRate, let channels, let format, let timeBase):
            (sourceName, sinkName) = ("abuffer", "abuffersink")
            arguments = "sample_rate=\(sampleRate):sample_fmt=\(format):channels=\(channels):time_base=\(timeBase)"
        }
        var source: UnsafeMutablePointer<AVFilterContext>? = nil
        var sink: UnsafeMutablePointer<AVFilterContext>? = nil
        do {
            try check(avfilter_graph_create_filter(&source, avfilter_get_by_name(sourceName), "in", arguments, nil, graph),
                      "create \(sourceName)")
            try check(avfilter_graph_create_filter(&sink, avfilter_get_by_name(sinkName), "out", nil, nil, graph),
                      "create \(sinkName)")
        } catch {
            avfilter_graph_free(&self.graph)
            throw error
        }
        guard let source, let sink else { throw .outOfMemory("AVFilterContext") }
        self.source = source
        self.sink = sink
        try link(description: description)
    }

    private func link(description: String) throws(MediaError) {
        var outputs = avfilter_inout_alloc()
        var inputs = avfilter_inout_alloc()
        defer {
            avfilter_inout_free(&outputs)
            avfilter_inout_free(&inputs)
        }
        guard let openOutputs = outputs, let openInputs = inputs else { throw .outOfMemory("AVFilterInOut") }
        // The graph text's unlabeled input connects to our source, its output to our sink.
        openOutputs.pointee.name = av_strdup("in")
        openOutputs.pointee.filter_ctx = source
        openInputs.pointee.name = av_strdup("out")
        openInputs.pointee.filter_ctx = sink
        // Parsing consumes the lists and leaves what stayed unconnected in them; the defer frees that.
        try check(avfilter_graph_parse_ptr(graph, description, &inputs, &outputs, nil), "parse '\(description)'")
        try check(avfilter_graph_config(graph, nil), "avfilter_graph_config")
    }

    deinit { avfilter_graph_free(&graph) }

    /// Pushes a frame into the graph (nil marks the end of input).
    /// - Throws: `MediaError` when the graph rejects it.
    public func push(_ frame: Frame?) throws(MediaError) {
        try check(av_buffersrc_add_frame_flags(source, frame?.pointer, Int32(AV_BUFFERSRC_FLAG_KEEP_REF)),
                  "av_buffersrc_add_frame")
    }

    /// The next filtered frame, or nil when the graph needs more input (or is drained).
    /// - Throws: `MediaError` on a filter failure.
    public func pull() throws(MediaError) -> Frame? {
        let frame = try Frame()
        let result = av_buffersink_get_frame(sink, frame.pointer)
        if result == averrorEAGAIN || result == averrorEOF { return nil }
        try check(result, "av_buffersink_get_frame")
        return frame
    }

    /// The output time base of the graph's frames.
    public var outputTimeBase: Rational { Rational(av_buffersink_get_time_base(sink)) }
}

/// A filter graph belongs to the one pipeline thread that uses it.
@available(*, unavailable) extension FilterGraph: Sendable {}
