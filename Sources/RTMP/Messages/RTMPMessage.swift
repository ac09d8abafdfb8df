import NIOCore

/// One whole RTMP message (RTMP §5.1 / §6.1): what the chunk decoder produces and the chunk
/// encoder consumes.
public struct RTMPMessage: Sendable, Equatable {
    /// Message type IDs (RTMP §5.4, §7.1).
    public enum TypeID: UInt8, Sendable {
        case setChunkSize = 1
        case abort = 2
        case acknowledgement = 3
        case userControl = 4
        case windowAckSize = 5
        case setPeerBandwidth = 6
        case audio = 8
        case video = 9
        case dataAMF3 = 15
        case commandAMF3 = 17
        case dataAMF0 = 18
        case commandAMF0 = 20
        case aggregate = 22
    }

    /// Conventional chunk stream IDs for outgoing messages.
    public enum Channel {
        /// Protocol control messages must use chunk stream 2 (RTMP §5.4).
        public static let control: UInt32 = 2
        /// Commands on the NetConnection.
        public static let command: UInt32 = 3
        /// Audio.
        public static let audio: UInt32 = 4
        /// Data messages and stream commands.
        public static let data: UInt32 = 5
        /// Video.
        public static let video: UInt32 = 6
    }

    /// Chunk stream the message travels on (decoder: the one it came on).
    public var chunkStreamID: UInt32
    /// Raw message type byte (see `TypeID`).
    public var typeID: UInt8
    /// Message stream ID (0 for the NetConnection).
    public var streamID: UInt32
    /// Timestamp in milliseconds (32-bit, wraps).
    public var timestamp: UInt32
    /// The message body.
    public var payload: ByteBuffer

    /// Makes a message.
    public init(chunkStreamID: UInt32, typeID: UInt8, streamID: UInt32, timestamp: UInt32, payload: ByteBuffer) {
        self.chunkStreamID = chunkStreamID
        self.typeID = typeID
        self.streamID = streamID
        self.timestamp = timestamp
        self.payload = payload
    }

    /// Makes a message of a known type.
    public init(chunkStreamID: UInt32, type: TypeID, streamID: UInt32 = 0, timestamp: UInt32 = 0, payload: ByteBuffer) {
        self.init(chunkStreamID: chunkStreamID, typeID: type.rawValue, streamID: streamID, timestamp: timestamp,
                  payload: payload)
    }

    /// The known type, or nil.
    public var type: TypeID? { TypeID(rawValue: typeID) }

    /// Type byte marking bytes that are already chunk-encoded (0 is no RTMP message type):
    /// the encoder passes them through as they are.
    static let preEncodedTypeID: UInt8 = 0

    /// A message whose `payload` holds the complete chunks of a message on `chunkStreamID`,
    /// encoded once and shared by many connections (see `ChunkEncoder.standalone`).
    static func preEncoded(_ chunks: ByteBuffer, chunkStreamID: UInt32) -> RTMPMessage {
        RTMPMessage(chunkStreamID: chunkStreamID, typeID: preEncodedTypeID, streamID: 0, timestamp: 0, payload: chunks)
    }

    /// true for `preEncoded` messages.
    var isPreEncoded: Bool { typeID == Self.preEncodedTypeID }
}
