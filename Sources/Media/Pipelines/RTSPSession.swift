import Core
import Logging
import NIOCore

/// One connection's worth of an RTSP pull: maps the camera's tracks onto hub packets with
/// millisecond timestamps that continue across reconnects.
struct RTSPSession {
    /// FLV audio tag header bytes (FLV spec E.4.2.1) the hub uses for G.711: 8 kHz, 16-bit, mono.
    static let muLawTag: UInt8 = 0x82
    static let aLawTag: UInt8 = 0x72

    private let video: InputStream?
    private let audio: InputStream?
    private let audioCodec: MediaCodec?
    /// H.264 or H.265 into the hub's form (nil without a video track the hub carries).
    private var packager: (any VideoPackaging)?
    /// Audio the hub cannot carry as it is (Opus) is decoded and re-encoded to AAC.
    private let audioTranscoding: (decoder: Decoder, aac: AACEncoding)?
    /// Milliseconds added so timestamps continue after the previous connection.
    private let offset: Int64
    private var firstMilliseconds: Int64?
    /// The largest timestamp sent, in milliseconds (the next connection continues after it).
    private(set) var lastMilliseconds: Int64

    /// Describes which of the demuxer's tracks the hub can carry.
    init(demuxer: Demuxer, offset: Int64, logger: Logger) {
        let video = demuxer.bestStream(.video)
        let audio = demuxer.bestStream(.audio)
        packager = video.flatMap { videoPackager(codecName: $0.parameters.codecName, extradata: $0.parameters.extradata) }
        if let video, packager == nil {
            logger.warning("video codec not carried", metadata: ["codec": "\(video.parameters.codecName)"])
        }
        self.video = packager == nil ? nil : video
        let codec: MediaCodec? = switch audio?.parameters.codecName {
        case "aac": .aac
        case "pcm_mulaw": .flv(Self.muLawTag)
        case "pcm_alaw": .flv(Self.aLawTag)
        default: nil
        }
        var transcoding: (Decoder, AACEncoding)?
        if let audio, codec == nil {
            do {
                transcoding = (try Decoder(parameters: audio.parameters, timeBase: .milliseconds), try AACEncoding())
                logger.info("audio re-encoded to AAC", metadata: ["codec": "\(audio.parameters.codecName)"])
            } catch {
                logger.warning("audio codec not carried", metadata: ["codec": "\(audio.parameters.codecName)",
                                                                     "error": "\(error)"])
            }
        }
        audioTranscoding = transcoding
        self.audio = codec == nil && transcoding == nil ? nil : audio
        self.audioCodec = transcoding == nil ? codec : .aac
        self.offset = offset
        lastMilliseconds = offset
    }

    /// true when at least one track can be published.
    var hasTracks: Bool { video != nil || audio != nil }
    var hasVideo: Bool { video != nil }
    var hasAudio: Bool { audio != nil }

    /// The configuration packets to send first (those known from the SDP).
    var configPackets: [MediaPacket] {
        var packets: [MediaPacket] = []
        if let packager, let record = packager.record { packets.append(Self.config(.video, packager.codec, record)) }
        if let audioTranscoding {
            packets.append(audioTranscoding.aac.configPacket)
        } else if audioCodec == .aac, let audio {
            packets.append(Self.config(.audio, .aac, audio.parameters.extradata))
        }
        return packets
    }

    /// The hub packets for one demuxed packet (a video packet may bring a new configuration).
    mutating func convert(_ packet: Packet) -> [MediaPacket] {
        let isVideo = packet.streamIndex == video?.index
        guard isVideo || packet.streamIndex == audio?.index, let raw = packet.dts ?? packet.pts else { return [] }
        let ms = packet.timeBase.rescale(raw, to: .milliseconds)
        let ptsMS = packet.timeBase.rescale(packet.pts ?? raw, to: .milliseconds)
        let first = firstMilliseconds ?? ms
        firstMilliseconds = first
        let dts = max(ms - first, 0) + offset
        let pts = max(ptsMS - first, 0) + offset
        lastMilliseconds = max(lastMilliseconds, dts)
        if isVideo, var packager {
            let (record, payload, isIDR) = packager.package(packet.bytes)
            self.packager = packager
            var out: [MediaPacket] = []
            if let record { out.append(Self.config(.video, packager.codec, record)) }
            // Until the parameter sets are known (in-band only), pictures cannot be decoded: skip them.
            guard packager.record != nil else { return [] }
            out.append(MediaPacket(kind: .video, codec: packager.codec, dts: dts, pts: pts, timebase: 1000,
                                   isKeyframe: isIDR || packet.isKeyframe, payload: ByteBuffer(bytes: payload)))
            return out
        }
        guard let audioCodec else { return [] }
        if let audioTranscoding {
            do {
                let input = try Packet(bytes: packet.bytes, pts: pts, dts: dts, isKeyframe: true, timeBase: .milliseconds)
                var out: [MediaPacket] = []
                for frame in try audioTranscoding.decoder.decode(input) {
                    out += try audioTranscoding.aac.encode(frame, timeBase: .milliseconds)
                }
                return out
            } catch {
                return []  // one undecodable audio packet is a moment of silence, not a lost camera
            }
        }
        var payload = ByteBuffer()
        if case .flv(let tag) = audioCodec { payload.writeInteger(tag) }
        payload.writeBytes(packet.bytes)
        return [MediaPacket(kind: .audio, codec: audioCodec, dts: dts, pts: pts, timebase: 1000,
                            isKeyframe: true, payload: payload)]
    }

    private static func config(_ kind: MediaKind, _ codec: MediaCodec, _ bytes: [UInt8]) -> MediaPacket {
        MediaPacket(kind: kind, codec: codec, dts: 0, timebase: 1000, isKeyframe: true, isConfig: true,
                    payload: ByteBuffer(bytes: bytes))
    }
}
