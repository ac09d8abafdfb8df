import NIOCore

/// Payload-specific feedback messages that ask for a keyframe (RTCP PT 206, RFC 4585 §6.3).
enum RTCPFeedback {
    /// Picture Loss Indication (RFC 4585 §6.3.1): FMT 1, no FCI.
    static func pli(sender: UInt32, media: UInt32, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0x80 | 1))
        buffer.writeInteger(UInt8(206))
        buffer.writeInteger(UInt16(2))
        buffer.writeInteger(sender)
        buffer.writeInteger(media)
    }

    /// Full Intra Request (RFC 5104 §4.3.1): FMT 4, media SSRC 0, one FCI entry naming the
    /// source and a sequence number that changes with every new request.
    static func fir(sender: UInt32, media: UInt32, sequence: UInt8, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(0x80 | 4))
        buffer.writeInteger(UInt8(206))
        buffer.writeInteger(UInt16(4))
        buffer.writeInteger(sender)
        buffer.writeInteger(UInt32(0))
        buffer.writeInteger(media)
        buffer.writeInteger(UInt32(sequence) << 24)
    }
}
