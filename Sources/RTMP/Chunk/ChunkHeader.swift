import NIOCore

/// The header of one chunk (RTMP §5.3.1): basic header plus the message header of its format.
struct ChunkHeader: Equatable {
    /// Chunk header format 0–3 (RTMP §5.3.1.2): 0 full, 1 no stream ID, 2 timestamp delta only, 3 none.
    var format: UInt8
    /// Chunk stream ID, 2...65599 (RTMP §5.3.1.1).
    var chunkStreamID: UInt32
    /// Timestamp (format 0) or delta (formats 1, 2), before extension; nil for format 3.
    var timestampField: UInt32?
    /// Message length (formats 0, 1).
    var messageLength: UInt32?
    /// Message type (formats 0, 1).
    var typeID: UInt8?
    /// Message stream ID (format 0), little-endian on the wire.
    var streamID: UInt32?

    /// Value of the 3-byte timestamp field that announces a 4-byte extended timestamp (RTMP §5.3.1.3).
    static let extendedMarker: UInt32 = 0xFFFFFF

    /// Reads a basic and message header, or returns nil (without moving the reader) when more bytes are needed.
    static func read(from buffer: inout ByteBuffer) -> ChunkHeader? {
        var b = buffer
        guard let first = b.readInteger(as: UInt8.self) else { return nil }
        let format = first >> 6
        var csid = UInt32(first & 0x3F)
        if csid == 0 {
            guard let next = b.readInteger(as: UInt8.self) else { return nil }
            csid = 64 + UInt32(next)
        } else if csid == 1 {
            guard let lo = b.readInteger(as: UInt8.self), let hi = b.readInteger(as: UInt8.self) else { return nil }
            csid = 64 + UInt32(lo) + UInt32(hi) * 256
        }
        var header = ChunkHeader(format: format, chunkStreamID: csid)
        if format <= 2 {
            guard let ts = b.readUInt24() else { return nil }
            header.timestampField = ts
        }
        if format <= 1 {
            guard let length = b.readUInt24(), let type = b.readInteger(as: UInt8.self) else { return nil }
            header.messageLength = length
            header.typeID = type
        }
        if format == 0 {
            guard let sid = b.readInteger(endianness: .little, as: UInt32.self) else { return nil }
            header.streamID = sid
        }
        buffer = b
        return header
    }

    /// Writes the basic header and message header (without any extended timestamp).
    func write(to buffer: inout ByteBuffer) {
        let fmt = format << 6
        if chunkStreamID < 64 {
            buffer.writeInteger(fmt | UInt8(chunkStreamID))
        } else if chunkStreamID < 320 {
            buffer.writeInteger(fmt)
            buffer.writeInteger(UInt8(chunkStreamID - 64))
        } else {
            let v = chunkStreamID - 64
            buffer.writeInteger(fmt | 1)
            buffer.writeInteger(UInt8(v & 0xFF))
            buffer.writeInteger(UInt8((v >> 8) & 0xFF))
        }
        if let timestampField { buffer.writeUInt24(timestampField) }
        if let messageLength, let typeID {
            buffer.writeUInt24(messageLength)
            buffer.writeInteger(typeID)
        }
        if let streamID { buffer.writeInteger(streamID, endianness: .little) }
    }
}

extension ByteBuffer {
    /// Reads a big-endian 24-bit integer.
    mutating func readUInt24() -> UInt32? {
        guard let bytes = readBytes(length: 3) else { return nil }
        return UInt32(bytes[0]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[2])
    }

    /// Writes a big-endian 24-bit integer (the top byte of `value` is ignored).
    mutating func writeUInt24(_ value: UInt32) {
        writeBytes([UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)])
    }
}
