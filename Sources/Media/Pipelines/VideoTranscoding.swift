import Core
import Logging
import NIOCore

/// The transcoder's video path on its thread: hub H.264 → decode → fps/scale filter →
/// libx264 → AVCC packets and configuration records for the output stream.
struct VideoTranscoding {
    /// Output frames per second when the request gives none.
    static let defaultFPS = 30

    private let settings: EncoderSettings
    private let fps: Int
    private let logger: Logger
    private var codec: HubCodec?
    private var decoder: Decoder?
    private var graph: FilterGraph?
    private var graphInput: (width: Int, height: Int, format: PixelFormat)?
    private var encoder: Encoder?
    private var packager = H264Packager(extradata: [])
    private var failures = 0

    init(settings: EncoderSettings, logger: Logger) {
        self.settings = settings
        self.fps = max(settings.fps ?? 0, 0) > 0 ? settings.fps ?? Self.defaultFPS : Self.defaultFPS
        self.logger = logger
    }

    /// Takes one input video packet (or configuration) and returns the output packets ready.
    mutating func process(_ packet: MediaPacket) -> [MediaPacket] {
        do {
            if packet.isConfig {
                codec = try HubCodec(video: CodecConfig.Video(codec: packet.codec, record: packet.payload))
                decoder = nil
                return []
            }
            guard let codec else { return [] }
            if decoder == nil {
                guard packet.isKeyframe else { return [] }
                // Frame threads: a few frames of latency buy the throughput a live transcode needs.
                decoder = try Decoder(parameters: codec.parameters, timeBase: .milliseconds, threads: 0)
            }
            guard let decoder else { return [] }
            var out: [MediaPacket] = []
            for frame in try decoder.decode(try codec.packet(packet)) { out += try filter(frame) }
            return out
        } catch {
            failures += 1
            if failures == 1 || failures % 100 == 0 {
                logger.warning("video packet not transcoded", metadata: ["error": "\(error)", "count": "\(failures)"])
            }
            return []
        }
    }

    /// Drains the decoder, filter and encoder at the end of the input.
    mutating func finish() -> [MediaPacket] {
        do {
            var out: [MediaPacket] = []
            for frame in try decoder?.decode(nil) ?? [] { out += try filter(frame) }
            if let graph {
                try graph.push(nil)
                while let frame = try graph.pull() { out += try encode(frame) }
            }
            if let encoder { out += try package(try encoder.encode(nil)) }
            return out
        } catch {
            logger.warning("transcoder drain failed", metadata: ["error": "\(error)"])
            return []
        }
    }

    private mutating func filter(_ frame: Frame) throws(MediaError) -> [MediaPacket] {
        let input = (width: frame.width, height: frame.height, format: frame.pixelFormat)
        if graph == nil || graphInput.map({ $0 != input }) ?? true {
            let scale = TranscoderSize.scaleArguments(width: settings.width, height: settings.height)
            graph = try FilterGraph(
                description: "fps=\(fps),scale=\(scale),format=yuv420p",
                input: .video(width: input.width, height: input.height, format: input.format, timeBase: .milliseconds),
                threads: 0)  // slice-threaded scaling, like the decoder's and encoder's threads (and the ffmpeg CLI)
            graphInput = input
        }
        guard let graph else { return [] }
        try graph.push(frame)
        var out: [MediaPacket] = []
        while let filtered = try graph.pull() { out += try encode(filtered) }
        return out
    }

    private mutating func encode(_ frame: Frame) throws(MediaError) -> [MediaPacket] {
        if encoder == nil {
            var options = VideoEncoderOptions(
                width: frame.width, height: frame.height, frameRate: fps,
                bitrate: max(settings.bitrate ?? 0, 0) * 1000, keyFrameInterval: settings.keyFrameInterval)
            options.threads = 0
            let encoder = try Encoder(video: options)
            packager = H264Packager(extradata: encoder.parameters.extradata)
            self.encoder = encoder
            if let record = packager.record { return [Self.config(record)] + (try package(try encoder.encode(frame))) }
        }
        guard let encoder else { return [] }
        return try package(try encoder.encode(frame))
    }

    private mutating func package(_ packets: [Packet]) throws(MediaError) -> [MediaPacket] {
        var out: [MediaPacket] = []
        for packet in packets {
            let (record, payload, isIDR) = packager.package(packet.bytes)
            if let record { out.append(Self.config(record)) }
            let dts = packet.timeBase.rescale(packet.dts ?? packet.pts ?? 0, to: .milliseconds)
            let pts = packet.timeBase.rescale(packet.pts ?? packet.dts ?? 0, to: .milliseconds)
            out.append(MediaPacket(kind: .video, codec: .h264, dts: dts, pts: pts, timebase: 1000,
                                   isKeyframe: isIDR || packet.isKeyframe, payload: ByteBuffer(bytes: payload)))
        }
        return out
    }

    private static func config(_ record: [UInt8]) -> MediaPacket {
        MediaPacket(kind: .video, codec: .h264, dts: 0, timebase: 1000, isKeyframe: true, isConfig: true,
                    payload: ByteBuffer(bytes: record))
    }
}
