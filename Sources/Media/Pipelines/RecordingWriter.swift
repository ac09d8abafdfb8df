import Core
import Logging

/// The recorder's state on its thread: holds packets until the tracks are known, then
/// opens the muxer and writes packets with timestamps shifted to start at 0.
struct RecordingWriter {
    private var config: CodecConfig
    private let expectsAudio: Bool
    private let expectsVideo: Bool
    private let path: String
    private let container: Muxer.Container
    private let logger: Logger

    private var held: [MediaPacket] = []
    private var muxer: Muxer?
    private var video: (codec: HubCodec, index: Int)?
    private var audio: (codec: HubCodec, index: Int)?
    /// Where the file's time 0 lies, in milliseconds of the stream's clock.
    private var baseMilliseconds: Int64 = 0
    private var isFailed = false
    private var rejected = 0

    init(config: CodecConfig, expectsAudio: Bool, expectsVideo: Bool, path: String, container: Muxer.Container, logger: Logger) {
        self.config = config
        self.expectsAudio = expectsAudio
        self.expectsVideo = expectsVideo
        self.path = path
        self.container = container
        self.logger = logger
    }

    /// Takes the next packet of the stream.
    mutating func add(_ packet: MediaPacket) {
        guard !isFailed, packet.kind != .data else { return }
        if packet.isConfig {
            // A configuration may arrive after recording began (a publisher that just started).
            let hadVideo = config.video != nil
            config.absorb(packet)
            if muxer == nil, !hadVideo, config.video != nil { held = [] }  // restart on a keyframe
            return
        }
        if muxer != nil {
            write(packet)
            return
        }
        if held.isEmpty {
            // Start on a keyframe when there is video; audio-only streams start on audio.
            let isStart = config.video == nil
                ? packet.kind == .audio && (config.audio != nil || packet.codec != .aac)
                : packet.kind == .video && packet.isKeyframe
            guard isStart else { return }
        }
        held.append(packet)
        let hasAudio = config.audio != nil || held.contains { $0.kind == .audio }
        let isReady = config.video != nil
            ? hasAudio || !expectsAudio
            : !expectsVideo || held.count >= Self.audioOnlyWait
        if isReady || held.count >= Recorder.maxHeldPackets { open() }
    }

    /// Audio packets held before deciding a stream that announced video has none (about 1 s).
    private static let audioOnlyWait = 50
    private mutating func open() {
        do {
            let muxer = try Muxer(path: path, container: container)
            if let videoConfig = config.video {
                let codec = try HubCodec(video: videoConfig)
                let timebase = held.first { $0.kind == .video }?.timebase ?? 1000
                video = (codec, try muxer.addStream(codec.parameters, timeBase: Rational(1, timebase)))
            }
            let firstAudio = held.first { $0.kind == .audio }
            if config.audio != nil || firstAudio != nil {
                do {
                    let codec = try HubCodec(audio: config.audio, firstPacket: firstAudio)
                    let timebase = firstAudio?.timebase ?? 1000
                    audio = (codec, try muxer.addStream(codec.parameters, timeBase: Rational(1, timebase)))
                } catch {
                    logger.warning("recording without audio", metadata: ["error": "\(error)"])
                }
            }
            try muxer.start()
            self.muxer = muxer
            baseMilliseconds = held.first?.dtsMilliseconds ?? 0
            logger.info("recording started", metadata: ["file": "\(path)"])
        } catch {
            logger.error("recording failed", metadata: ["error": "\(error)"])
            isFailed = true
        }
        let packets = held
        held = []
        for packet in packets { write(packet) }
    }

    private mutating func write(_ packet: MediaPacket) {
        guard let muxer, let track = packet.kind == .video ? video : audio else { return }
        guard packet.dtsMilliseconds >= baseMilliseconds else { return }
        do {
            let output = try track.codec.packet(packet)
            let offset = Rational.milliseconds.rescale(baseMilliseconds, to: output.timeBase)
            output.dts = packet.dts - offset
            output.pts = packet.pts - offset
            try muxer.write(output, stream: track.index)
        } catch {
            // One bad packet (e.g. a timestamp going backwards) must not end the recording.
            rejected += 1
            if rejected == 1 || rejected % 100 == 0 {
                logger.warning("packet not recorded", metadata: ["error": "\(error)", "count": "\(rejected)"])
            }
        }
    }

    /// Writes what is held and finalizes the file.
    mutating func finish() {
        if muxer == nil, !held.isEmpty, !isFailed { open() }
        do {
            try muxer?.finish()
            logger.info("recording finished", metadata: ["file": "\(path)"])
        } catch {
            logger.error("recording not finalized", metadata: ["error": "\(error)"])
        }
        muxer = nil
    }
}
