import NIOCore

/// What a packet carries.
public enum MediaKind: String, Sendable, Hashable {
    case audio, video, data
}

/// The codec of a packet's payload.
public enum MediaCodec: Sendable, Hashable {
    /// H.264 access unit in AVCC form (4-byte length-prefixed NAL units).
    case h264
    /// H.265 access unit, 4-byte length-prefixed NAL units; its configuration packet carries an
    /// HEVCDecoderConfigurationRecord (hvcC, ISO/IEC 14496-15 §8.3.3.1).
    case h265
    /// One raw AAC frame (no ADTS header).
    case aac
    /// Stream metadata as AMF0 values (`onMetaData` and its object).
    case amf0
    /// Anything else FLV carries, passed through untouched: the whole FLV tag body,
    /// including its first (format) byte.
    case flv(UInt8)

    /// The name the API shows ("H264", "AAC"), or nil for metadata.
    public var apiName: String? {
        switch self {
        case .h264: "H264"
        case .h265: "H265"
        case .aac: "AAC"
        case .amf0: nil
        case .flv(let tag): "FLV-\(tag >> 4)"
        }
    }
}

/// One encoded access unit, a codec configuration or a metadata message, as it travels
/// through the stream hub. The payload is shared by every subscriber: fan-out copies the
/// struct (a reference to the buffer), never the bytes.
public struct MediaPacket: Sendable {
    /// Audio, video or data.
    public var kind: MediaKind
    /// The payload's codec.
    public var codec: MediaCodec
    /// Decode timestamp in `timebase` units.
    public var dts: Int64
    /// Presentation timestamp in `timebase` units.
    public var pts: Int64
    /// Units per second of `dts` and `pts`; 1000 (milliseconds) for RTMP.
    public var timebase: Int32
    /// true for an IDR picture (video) and for every audio or data packet.
    public var isKeyframe: Bool
    /// true when the payload is a codec configuration (AVC decoder configuration record,
    /// AudioSpecificConfig) rather than media; such packets are never dropped.
    public var isConfig: Bool
    /// The encoded bytes (see `MediaCodec` for the layout).
    public var payload: ByteBuffer
    /// Wire forms of this packet shared by the subscribers of one protocol (see `WireCache`).
    /// A packet whose fields are changed after creation must get a new cache.
    public var wireCache: WireCache
    /// The packet's place in its stream; set by the hub when the packet is published through it.
    public internal(set) var position: StreamPosition?

    /// Makes a packet; `pts` defaults to `dts`.
    public init(kind: MediaKind, codec: MediaCodec, dts: Int64, pts: Int64? = nil, timebase: Int32 = 1000,
                isKeyframe: Bool, isConfig: Bool = false, payload: ByteBuffer) {
        self.kind = kind
        self.codec = codec
        self.dts = dts
        self.pts = pts ?? dts
        self.timebase = timebase
        self.isKeyframe = isKeyframe
        self.isConfig = isConfig
        self.payload = payload
        self.wireCache = WireCache()
    }

    /// The decode timestamp in milliseconds.
    public var dtsMilliseconds: Int64 { timebase == 1000 ? dts : dts * 1000 / Int64(max(timebase, 1)) }
    /// The presentation timestamp in milliseconds.
    public var ptsMilliseconds: Int64 { timebase == 1000 ? pts : pts * 1000 / Int64(max(timebase, 1)) }

    /// true for packets a slow subscriber must still get when it drops media: configurations and metadata.
    public var isEssential: Bool { isConfig || kind == .data }
}
