import NIOCore

/// Joins incoming chunks into whole messages (RTMP §5.3): all four header formats, 1- to
/// 3-byte chunk stream IDs, extended timestamps (also on format-3 chunks, as Flash, FFmpeg and
/// nginx-rtmp send them), Set Chunk Size (§5.4.1) and Abort (§5.4.2), which it applies itself
/// and also passes on. Reading follows the `ByteToMessageDecoder` contract: nothing is consumed
/// until a whole chunk is there.
struct ChunkDecoder: ByteToMessageDecoder {
    typealias InboundOut = RTMPMessage

    /// Chunk size until the peer sets another (RTMP §5.4.1).
    static let defaultChunkSize = 128
    /// Largest chunk size accepted. A chunk never needs to be longer than the longest
    /// message (24-bit length, RTMP §5.3.1.2.1); anything above is absurd and closes the connection.
    static let maxChunkSize = 0xFF_FFFF

    /// Longest message accepted (default 8 MiB: a large 4K keyframe; nothing legitimate is bigger).
    let maxMessageLength: Int
    /// Most chunk streams with a message in progress at once (default 64; real peers use about 5).
    let maxPartialStreams: Int
    /// Most bytes held in unfinished messages over all chunk streams (default 16 MiB).
    let maxPartialBytes: Int

    private struct StreamState {
        var timestamp: UInt32 = 0
        var delta: UInt32 = 0
        var length: UInt32 = 0
        var typeID: UInt8 = 0
        var streamID: UInt32 = 0
        var hasExtendedTimestamp = false
        var partial: ByteBuffer?
    }

    private var chunkSize = ChunkDecoder.defaultChunkSize
    private var streams: [UInt32: StreamState] = [:]
    private var partialBytes = 0

    /// Makes a decoder with the given limits (see the properties for the defaults and why).
    init(maxMessageLength: Int = 8 << 20, maxPartialStreams: Int = 64, maxPartialBytes: Int = 16 << 20) {
        precondition(maxMessageLength > 0 && maxPartialStreams > 0, "decoder limits must be positive")
        self.maxMessageLength = maxMessageLength
        self.maxPartialStreams = maxPartialStreams
        self.maxPartialBytes = maxPartialBytes
    }

    /// The chunk size currently in force for incoming chunks.
    var incomingChunkSize: Int { chunkSize }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = try nextMessage(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(message))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// Consumes chunks until one completes a message; nil when more bytes are needed. The
    /// channel-free core of `decode`, used directly by tests.
    /// - Throws: `RTMPError` for anything that breaks the protocol or the limits.
    mutating func nextMessage(_ buffer: inout ByteBuffer) throws(RTMPError) -> RTMPMessage? {
        while true {
            var b = buffer
            guard let header = ChunkHeader.read(from: &b) else { return nil }
            let csid = header.chunkStreamID
            var st: StreamState
            if let existing = streams[csid] {
                st = existing
            } else {
                guard header.format == 0 else {
                    throw .protocolViolation("chunk stream \(csid) starts with header format \(header.format)")
                }
                st = StreamState()
            }
            let hasExtended = header.timestampField.map { $0 == ChunkHeader.extendedMarker } ?? st.hasExtendedTimestamp
            var field = header.timestampField ?? 0
            if hasExtended {
                guard let ext = b.readInteger(as: UInt32.self) else { return nil }
                field = ext
            }
            let isNewMessage = st.partial == nil || header.format != 3
            if isNewMessage {
                if let old = st.partial { partialBytes -= old.readableBytes }
                st.partial = nil
                switch header.format {
                case 0:
                    st.timestamp = field
                    st.delta = field
                case 1, 2:
                    st.delta = field
                    st.timestamp &+= field
                default:
                    st.timestamp &+= st.delta
                }
                if let length = header.messageLength, let type = header.typeID {
                    st.length = length
                    st.typeID = type
                }
                if let sid = header.streamID { st.streamID = sid }
                st.hasExtendedTimestamp = hasExtended
                guard Int(st.length) <= maxMessageLength else {
                    throw .messageTooLong(Int(st.length), limit: maxMessageLength)
                }
            }
            let have = st.partial?.readableBytes ?? 0
            let take = min(chunkSize, Int(st.length) - have)
            guard let piece = b.readSlice(length: take) else { return nil }
            buffer = b
            if have == 0, take == Int(st.length) {
                streams[csid] = st
                return try deliver(RTMPMessage(chunkStreamID: csid, typeID: st.typeID, streamID: st.streamID,
                                               timestamp: st.timestamp, payload: piece))
            }
            var partial = st.partial ?? {
                var fresh = ByteBuffer()
                fresh.reserveCapacity(Int(st.length))
                return fresh
            }()
            if st.partial == nil {
                let open = streams.values.filter { $0.partial != nil }.count
                guard open < maxPartialStreams else { throw .tooManyChunkStreams(limit: maxPartialStreams) }
            }
            var slice = piece
            partial.writeBuffer(&slice)
            partialBytes += take
            guard partialBytes <= maxPartialBytes else {
                throw .messageTooLong(partialBytes, limit: maxPartialBytes)
            }
            if partial.readableBytes == Int(st.length) {
                partialBytes -= partial.readableBytes
                st.partial = nil
                streams[csid] = st
                return try deliver(RTMPMessage(chunkStreamID: csid, typeID: st.typeID, streamID: st.streamID,
                                               timestamp: st.timestamp, payload: partial))
            }
            st.partial = partial
            streams[csid] = st
        }
    }

    /// Applies Set Chunk Size and Abort before handing a message on.
    private mutating func deliver(_ message: RTMPMessage) throws(RTMPError) -> RTMPMessage {
        switch message.type {
        case .setChunkSize:
            guard let raw = message.payload.getInteger(at: message.payload.readerIndex, as: UInt32.self) else {
                throw .protocolViolation("short Set Chunk Size message")
            }
            let size = Int(raw & 0x7FFF_FFFF)
            guard (1...Self.maxChunkSize).contains(size) else { throw .chunkSizeOutOfRange(size) }
            chunkSize = size
        case .abort:
            if let csid = message.payload.getInteger(at: message.payload.readerIndex, as: UInt32.self),
               let partial = streams[csid]?.partial {
                partialBytes -= partial.readableBytes
                streams[csid]?.partial = nil
            }
        default:
            break
        }
        return message
    }
}
