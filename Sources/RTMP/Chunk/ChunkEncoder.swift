import NIOCore

/// Splits outgoing messages into chunks (RTMP §5.3), choosing the smallest header format the
/// previous message on the same chunk stream allows, and applying its own Set Chunk Size
/// messages to the chunks that follow them.
final class ChunkEncoder: MessageToByteEncoder {
    typealias OutboundIn = RTMPMessage

    private struct StreamState {
        var timestamp: UInt32
        var length: Int
        var typeID: UInt8
        var streamID: UInt32
        /// The delta of the last format 1/2 header; nil after a format-0 header, whose
        /// timestamp field peers would otherwise re-add as a delta on a format-3 message.
        var delta: UInt32?
    }

    private var chunkSize = ChunkDecoder.defaultChunkSize
    private var streams: [UInt32: StreamState] = [:]
    /// Chunk streams below 64 that have an entry in `streams`: `forget`, called for every shared
    /// packet a player sends, then skips the dictionary when there is nothing to forget.
    private var remembered: UInt64 = 0

    /// The chunk size currently used for outgoing chunks.
    var outgoingChunkSize: Int { chunkSize }

    func encode(data message: RTMPMessage, out: inout ByteBuffer) throws {
        write(message, to: &out)
    }

    /// Writes a message's chunks; the channel-free core of `encode`. Pre-encoded chunks pass
    /// through, and the next message on their chunk stream gets a full (format 0) header again.
    func write(_ message: RTMPMessage, to out: inout ByteBuffer) {
        if message.isPreEncoded {
            var chunks = message.payload
            out.writeBuffer(&chunks)
            forget(chunkStreamID: message.chunkStreamID)
            return
        }
        let length = message.payload.readableBytes
        let csid = message.chunkStreamID
        var format: UInt8 = 0
        var field = message.timestamp
        var delta: UInt32?
        if let prev = streams[csid], prev.streamID == message.streamID, message.timestamp >= prev.timestamp {
            let d = message.timestamp - prev.timestamp
            if prev.length == length, prev.typeID == message.typeID {
                format = prev.delta == d ? 3 : 2
            } else {
                format = 1
            }
            field = d
            delta = d
        }
        let isExtended = field >= ChunkHeader.extendedMarker
        var header = ChunkHeader(format: format, chunkStreamID: csid)
        if format <= 2 { header.timestampField = isExtended ? ChunkHeader.extendedMarker : field }
        if format <= 1 {
            header.messageLength = UInt32(length)
            header.typeID = message.typeID
        }
        if format == 0 { header.streamID = message.streamID }
        out.reserveCapacity(minimumWritableBytes: encodedSizeBound(of: message))
        header.write(to: &out)
        if isExtended { out.writeInteger(field) }
        var payload = message.payload
        let continuation = ChunkHeader(format: 3, chunkStreamID: csid)
        var first = true
        while payload.readableBytes > 0 || first {
            if !first {
                continuation.write(to: &out)
                if isExtended { out.writeInteger(field) }
            }
            first = false
            var piece = payload.readSlice(length: min(chunkSize, payload.readableBytes)) ?? ByteBuffer()
            out.writeBuffer(&piece)
        }
        if csid < 64 { remembered |= 1 << UInt64(csid) }
        streams[csid] = StreamState(timestamp: message.timestamp, length: length, typeID: message.typeID,
                                    streamID: message.streamID, delta: delta)
        if message.type == .setChunkSize,
           let size = message.payload.getInteger(at: message.payload.readerIndex, as: UInt32.self),
           (1...UInt32(ChunkDecoder.maxChunkSize)).contains(size) {
            chunkSize = Int(size)
        }
    }
}

extension ChunkEncoder {
    /// Makes the next message on `chunkStreamID` carry a full (format 0) header: chunks encoded
    /// elsewhere went out on it, so the peer's idea of the previous header is not ours.
    func forget(chunkStreamID: UInt32) {
        if chunkStreamID < 64 {
            guard remembered & (1 << UInt64(chunkStreamID)) != 0 else { return }
            remembered &= ~(1 << UInt64(chunkStreamID))
        }
        streams[chunkStreamID] = nil
    }

    /// At most how many bytes `write` produces for `message` (headers with extended
    /// timestamps on every chunk).
    func encodedSizeBound(of message: RTMPMessage) -> Int {
        let length = message.payload.readableBytes
        return length + 18 + (length / chunkSize) * 8
    }

    /// The chunks of `message` with a format-1 header whose timestamp field is the message's
    /// `timestamp` taken as a delta (RTMP §5.3.1.2.2): they follow any message on the same chunk
    /// and message stream, so they can be shared by connections whose timestamps differ.
    static func standaloneDelta(_ message: RTMPMessage, chunkSize: Int) -> ByteBuffer {
        let encoder = ChunkEncoder()
        encoder.chunkSize = chunkSize
        // A previous message of impossible length at time 0 makes `write` choose format 1.
        encoder.streams[message.chunkStreamID] = StreamState(timestamp: 0, length: -1, typeID: message.typeID,
                                                             streamID: message.streamID, delta: nil)
        var out = ByteBuffer()
        out.reserveCapacity(encoder.encodedSizeBound(of: message))
        encoder.write(message, to: &out)
        return out
    }

    /// The chunks of `message` with a format-0 header, independent of any connection's header
    /// compression state, so they can be shared by every connection with this chunk size.
    static func standalone(_ message: RTMPMessage, chunkSize: Int) -> ByteBuffer {
        let encoder = ChunkEncoder()
        encoder.chunkSize = chunkSize
        var out = ByteBuffer()
        out.reserveCapacity(encoder.encodedSizeBound(of: message))
        encoder.write(message, to: &out)
        return out
    }
}

@available(*, unavailable)
extension ChunkEncoder: Sendable {}
