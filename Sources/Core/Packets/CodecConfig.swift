import NIOCore

/// The codec configuration a stream carries, so that a subscriber joining late can set up
/// its decoder: the latest video and audio configuration packets plus what they say.
public struct CodecConfig: Sendable {
    /// Video configuration, when the stream has video.
    public struct Video: Sendable {
        /// Codec of the track.
        public var codec: MediaCodec
        /// AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.2.4.1) for H.264, hvcC for H.265.
        public var record: ByteBuffer
        /// Picture width in pixels from the SPS, 0 when unknown.
        public var width: Int
        /// Picture height in pixels from the SPS, 0 when unknown.
        public var height: Int

        /// Makes a video configuration; width and height are parsed from an H.264 record.
        public init(codec: MediaCodec, record: ByteBuffer) {
            self.codec = codec
            self.record = record
            let size = switch codec {
            case .h264: H264SPS.pictureSize(avcRecord: record)
            case .h265: H265SPS.pictureSize(hvcRecord: record)
            default: nil as (width: Int, height: Int)?
            }
            self.width = size?.width ?? 0
            self.height = size?.height ?? 0
        }
    }

    /// Audio configuration, when the stream has audio.
    public struct Audio: Sendable {
        /// Codec of the track.
        public var codec: MediaCodec
        /// AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) for AAC.
        public var record: ByteBuffer
        /// Samples per second, 0 when unknown.
        public var sampleRate: Int
        /// Channel count, 0 when unknown.
        public var channels: Int

        /// Makes an audio configuration; rate and channels are parsed from an AAC AudioSpecificConfig.
        public init(codec: MediaCodec, record: ByteBuffer) {
            self.codec = codec
            self.record = record
            let parsed = codec == .aac ? Self.parseASC(record) : nil
            self.sampleRate = parsed?.rate ?? 0
            self.channels = parsed?.channels ?? 0
        }

        /// Sampling frequencies by index (ISO/IEC 14496-3 Table 1.18).
        static let rates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350]

        static func parseASC(_ record: ByteBuffer) -> (rate: Int, channels: Int)? {
            guard let bytes = record.getBytes(at: record.readerIndex, length: min(record.readableBytes, 5)),
                  bytes.count >= 2 else { return nil }
            let index = Int((bytes[0] & 0x07) << 1 | bytes[1] >> 7)
            let channels = Int((bytes[1] >> 3) & 0x0F)
            if index < rates.count { return (rates[index], channels) }
            guard index == 15, bytes.count >= 5 else { return nil }
            let rate = Int(bytes[1] & 0x7F) << 17 | Int(bytes[2]) << 9 | Int(bytes[3]) << 1 | Int(bytes[4] >> 7)
            return (rate, Int((bytes[4] >> 3) & 0x0F))
        }
    }

    /// The latest video configuration.
    public var video: Video?
    /// The latest audio configuration.
    public var audio: Audio?
    /// The latest metadata packet (`onMetaData`), replayed to new subscribers.
    public var metadata: MediaPacket?
    /// The packets that carried `video` and `audio`, replayed to new subscribers.
    public var videoPacket: MediaPacket?
    /// See `videoPacket`.
    public var audioPacket: MediaPacket?

    /// An empty configuration.
    public init() {}

    /// Takes in a configuration or metadata packet; other packets are ignored.
    public mutating func absorb(_ packet: MediaPacket) {
        if packet.kind == .data {
            metadata = packet
        } else if packet.isConfig, packet.kind == .video {
            video = Video(codec: packet.codec, record: packet.payload)
            videoPacket = packet
        } else if packet.isConfig, packet.kind == .audio {
            audio = Audio(codec: packet.codec, record: packet.payload)
            audioPacket = packet
        }
    }

    /// What a new subscriber gets before any media, in order: metadata, video, audio configuration.
    public var replay: [MediaPacket] {
        [metadata, videoPacket, audioPacket].compactMap { $0 }
    }
}
