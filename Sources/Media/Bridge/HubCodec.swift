import Core
import NIOCore

/// How a hub track maps onto FFmpeg: the codec name, its parameters, and how to cut the
/// payload of a `MediaPacket` into what FFmpeg expects.
struct HubCodec {
    /// FFmpeg's codec name ("h264", "aac", "pcm_mulaw").
    let name: String
    /// Bytes to drop at the start of each payload (the FLV format byte of pass-through codecs).
    let headerBytes: Int
    /// The stream description for a decoder or a muxer.
    let parameters: CodecParameters

    /// true when an MP4 file can hold this codec (else recordings use MKV).
    var fitsMP4: Bool { name == "h264" || name == "aac" }

    /// The video track described by the stream's configuration.
    /// - Throws: `MediaError.codecNotFound` for a codec FFmpeg cannot name.
    init(video: CodecConfig.Video) throws(MediaError) {
        switch video.codec {
        case .h264: name = "h264"
        case .h265: name = "hevc"
        default: throw .codecNotFound("video \(video.codec)")
        }
        headerBytes = 0
        parameters = try CodecParameters(videoCodec: name, width: video.width, height: video.height,
                                         extradata: video.record.bytes)
    }

    /// The audio track of a stream: from its configuration (AAC) or from its first audio
    /// packet (FLV pass-through codecs such as G.711, MP3, Speex).
    /// - Throws: `MediaError.codecNotFound` for a codec this bridge does not map.
    init(audio config: CodecConfig.Audio?, firstPacket: MediaPacket?) throws(MediaError) {
        if let config, config.codec == .aac {
            name = "aac"
            headerBytes = 0
            parameters = try CodecParameters(audioCodec: "aac", sampleRate: config.sampleRate,
                                             channels: max(config.channels, 1), extradata: config.record.bytes)
            return
        }
        guard let firstPacket, case .flv(let tag) = firstPacket.codec else { throw .codecNotFound("audio") }
        // FLV audio tag header (FLV spec E.4.2.1): format in the high nibble, then rate, size, channels.
        let channels = Int(tag & 0x01) + 1
        let rates = [5512, 11025, 22050, 44100]
        let (codec, rate): (String, Int) = switch tag >> 4 {
        case 2: ("mp3", rates[Int(tag >> 2 & 0x03)])
        case 7: ("pcm_alaw", 8000)
        case 8: ("pcm_mulaw", 8000)
        case 11: ("speex", 16000)
        default: ("", 0)
        }
        guard !codec.isEmpty else { throw .codecNotFound("FLV audio format \(tag >> 4)") }
        name = codec
        headerBytes = 1
        parameters = try CodecParameters(audioCodec: codec, sampleRate: rate, channels: channels, extradata: [])
    }

    /// The FFmpeg packet for a hub packet: payload (minus FLV header bytes), timestamps and key flag.
    /// - Throws: `MediaError` when the packet cannot be allocated.
    func packet(_ packet: MediaPacket) throws(MediaError) -> Packet {
        let payload = packet.payload
        let start = payload.readerIndex + min(headerBytes, payload.readableBytes)
        let length = payload.writerIndex - start
        let bytes = payload.getBytes(at: start, length: length) ?? []
        return try Packet(bytes: bytes, pts: packet.pts, dts: packet.dts, isKeyframe: packet.isKeyframe,
                          timeBase: Rational(1, packet.timebase))
    }
}

extension ByteBuffer {
    /// The readable bytes as an array.
    var bytes: [UInt8] { getBytes(at: readerIndex, length: readableBytes) ?? [] }
}
