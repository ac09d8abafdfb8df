import CFFmpeg
import Foundation
import Testing

@Suite("FFmpeg links and works")
struct FFmpegTests {
    @Test("libavformat opens a file the ffmpeg CLI made, and libavcodec decodes a 320x240 frame")
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
    }
}
