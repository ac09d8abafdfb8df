import CFFmpeg
import Foundation
import Testing

@Suite("FFmpeg links and works")
struct FFmpegTests {
    @Test("libavformat opens a file the ffmpeg CLI made, libavcodec decodes a 320x240 frame, libswscale converts it to RGB and libavfilter scales it")
    func decodesFirstFrame() throws {
        let dir = try TempDir()
        let file = dir.path + "/in.mp4"
        try run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                                    "testsrc2=size=320x240:rate=25", "-t", "1", "-c:v", "libx264", "-y", file])
        var format: UnsafeMutablePointer<AVFormatContext>?
        #expect(avformat_open_input(&format, file, nil, nil) == 0)
        defer { avformat_close_input(&format) }
        let ctx = try #require(format)
        #expect(avformat_find_stream_info(ctx, nil) >= 0)
        var codec: UnsafePointer<AVCodec>?
        let index = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0)
        #expect(index >= 0)
        let stream = try #require(ctx.pointee.streams[Int(index)])
        var decoder = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&decoder) }
        #expect(avcodec_parameters_to_context(decoder, stream.pointee.codecpar) >= 0)
        #expect(avcodec_open2(decoder, codec, nil) == 0)

        var packet = av_packet_alloc()
        var frame = av_frame_alloc()
        defer { av_packet_free(&packet); av_frame_free(&frame) }
        var decoded = false
        while !decoded, av_read_frame(ctx, packet) >= 0 {
            defer { av_packet_unref(packet) }
            guard packet?.pointee.stream_index == index else { continue }
            #expect(avcodec_send_packet(decoder, packet) >= 0)
            if avcodec_receive_frame(decoder, frame) == 0 { decoded = true }
        }
        if !decoded {  // flush: x264 may hold frames back
            avcodec_send_packet(decoder, nil)
            decoded = avcodec_receive_frame(decoder, frame) == 0
        }
        #expect(decoded)
        #expect(frame?.pointee.width == 320)
        #expect(frame?.pointee.height == 240)
        #expect(cff_averror_eof() < 0)

        // libswscale: the decoded frame as RGB24 at half size; testsrc2 is colourful, not black.
        let picture = try #require(frame)
        let sws = try #require(sws_getContext(320, 240, AVPixelFormat(rawValue: picture.pointee.format), 160, 120,
                                              AV_PIX_FMT_RGB24, SWS_BILINEAR, nil, nil, nil))
        defer { sws_freeContext(sws) }
        var rgb = av_frame_alloc()
        defer { av_frame_free(&rgb) }
        let rgbFrame = try #require(rgb)
        rgbFrame.pointee.width = 160
        rgbFrame.pointee.height = 120
        rgbFrame.pointee.format = AV_PIX_FMT_RGB24.rawValue
        #expect(av_frame_get_buffer(rgbFrame, 0) == 0)
        #expect(sws_scale_frame(sws, rgbFrame, picture) >= 0)
        let firstRow = try #require(rgbFrame.pointee.extended_data[0])
        #expect((0..<160 * 3).contains { firstRow[$0] != 0 })

        // libavfilter: buffer -> scale=64:48 -> buffersink, fed the decoded frame.
        var graph = avfilter_graph_alloc()
        defer { avfilter_graph_free(&graph) }
        var source: UnsafeMutablePointer<AVFilterContext>?
        var scale: UnsafeMutablePointer<AVFilterContext>?
        var sink: UnsafeMutablePointer<AVFilterContext>?
        let sourceArgs = "video_size=320x240:pix_fmt=\(picture.pointee.format):time_base=1/25:pixel_aspect=1/1"
        try #require(avfilter_graph_create_filter(&source, avfilter_get_by_name("buffer"), "in", sourceArgs, nil,
                                                  graph) >= 0)
        try #require(avfilter_graph_create_filter(&scale, avfilter_get_by_name("scale"), "scale", "64:48", nil,
                                                  graph) >= 0)
        try #require(avfilter_graph_create_filter(&sink, avfilter_get_by_name("buffersink"), "out", nil, nil,
                                                  graph) >= 0)
        try #require(avfilter_link(source, 0, scale, 0) == 0)
        try #require(avfilter_link(scale, 0, sink, 0) == 0)
        try #require(avfilter_graph_config(graph, nil) >= 0)
        #expect(av_buffersrc_add_frame(source, picture) >= 0)
        var filtered = av_frame_alloc()
        defer { av_frame_free(&filtered) }
        #expect(av_buffersink_get_frame(sink, filtered) >= 0)
        #expect(filtered?.pointee.width == 64)
        #expect(filtered?.pointee.height == 48)
    }

    @Test("libswresample converts a 48 kHz stereo float sine to 8 kHz mono 16-bit")
    func resamples() throws {
        var input = av_frame_alloc()
        defer { av_frame_free(&input) }
        let source = try #require(input)
        source.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        source.pointee.sample_rate = 48_000
        source.pointee.nb_samples = 4_800
        av_channel_layout_default(&source.pointee.ch_layout, 2)
        #expect(av_frame_get_buffer(source, 0) == 0)
        for channel in 0..<2 {
            let plane = try #require(source.pointee.extended_data[channel])
            plane.withMemoryRebound(to: Float.self, capacity: 4_800) { samples in
                for i in 0..<4_800 { samples[i] = 0.5 * Float(sin(2 * Double.pi * 440 * Double(i) / 48_000)) }
            }
        }
        var output = av_frame_alloc()
        defer { av_frame_free(&output) }
        let target = try #require(output)
        target.pointee.format = AV_SAMPLE_FMT_S16.rawValue
        target.pointee.sample_rate = 8_000
        av_channel_layout_default(&target.pointee.ch_layout, 1)

        var swr: OpaquePointer?
        #expect(swr_alloc_set_opts2(&swr, &target.pointee.ch_layout, AV_SAMPLE_FMT_S16, 8_000,
                                    &source.pointee.ch_layout, AV_SAMPLE_FMT_FLTP, 48_000, 0, nil) == 0)
        defer { swr_free(&swr) }
        try #require(swr_init(swr) == 0)
        #expect(swr_convert_frame(swr, target, source) == 0)
        // 100 ms in; the resampler may keep a few samples back for its filter.
        #expect((700...800).contains(target.pointee.nb_samples))
        let pcm = try #require(target.pointee.extended_data[0])
        let peak = pcm.withMemoryRebound(to: Int16.self, capacity: Int(target.pointee.nb_samples)) { samples in
            (0..<Int(target.pointee.nb_samples)).map { abs(Int(samples[$0])) }.max() ?? 0
        }
        #expect((12_000...20_000).contains(peak))  // 0.5 of full scale, give or take the filter
    }
}
