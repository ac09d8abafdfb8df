import NIOCore

/// The fixed RTP header (RFC 3550 §5.1); CSRCs and a header extension are skipped on parse
/// and never written.
struct RTPHeader: Sendable, Equatable {
    /// Size of the fixed header in bytes.
    static let size = 12

    /// Marker bit (first packet of a talkspurt or of a DTMF event, RFC 4733 §2.5.1.3).
    var marker: Bool
    /// Payload type (7 bits).
    var payloadType: UInt8
    /// Sequence number.
    var sequenceNumber: UInt16
    /// Timestamp in the payload's clock.
    var timestamp: UInt32
    /// Synchronization source.
    var ssrc: UInt32

    /// Reads a header and returns it with the payload (padding removed).
    /// - Throws: `SIPError.badRTP` for a short packet, a version other than 2 or bad padding.
    static func parse(_ packet: ByteBuffer) throws(SIPError) -> (RTPHeader, ByteBuffer) {
        var buffer = packet
        guard let first = buffer.readInteger(as: UInt8.self), let second = buffer.readInteger(as: UInt8.self),
              let sequence = buffer.readInteger(as: UInt16.self), let timestamp = buffer.readInteger(as: UInt32.self),
              let ssrc = buffer.readInteger(as: UInt32.self)
        else { throw .badRTP("shorter than 12 bytes") }
        guard first >> 6 == 2 else { throw .badRTP("version \(first >> 6)") }
        let csrcBytes = Int(first & 0x0F) * 4
        guard buffer.readableBytes >= csrcBytes else { throw .badRTP("truncated CSRC list") }
        buffer.moveReaderIndex(forwardBy: csrcBytes)
        if first & 0x10 != 0 {
            guard buffer.readableBytes >= 4, let words = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self),
                  buffer.readableBytes >= 4 + Int(words) * 4
            else { throw .badRTP("truncated header extension") }
            buffer.moveReaderIndex(forwardBy: 4 + Int(words) * 4)
        }
        if first & 0x20 != 0 {
            guard let padding = buffer.getInteger(at: buffer.writerIndex - 1, as: UInt8.self),
                  padding > 0, Int(padding) <= buffer.readableBytes
            else { throw .badRTP("bad padding") }
            buffer.moveWriterIndex(to: buffer.writerIndex - Int(padding))
        }
        let header = RTPHeader(marker: second & 0x80 != 0, payloadType: second & 0x7F,
                               sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc)
        return (header, buffer)
    }

    /// Writes the 12-byte header.
    func write(to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0x80))
        buffer.writeInteger((marker ? 0x80 : 0) | (payloadType & 0x7F))
        buffer.writeInteger(sequenceNumber)
        buffer.writeInteger(timestamp)
        buffer.writeInteger(ssrc)
    }
}
