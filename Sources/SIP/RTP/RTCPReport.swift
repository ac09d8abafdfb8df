import NIOCore

/// The RTCP we send and the part of what we get that we use (RFC 3550 §6).
enum RTCPReport {
    /// Seconds between our reports: RFC 3550 §6.2's minimum interval, fine for one source.
    static let interval = TimeAmount.seconds(5)

    /// A compound packet: a receiver report with one block (§6.4.2) and an SDES with our CNAME
    /// (§6.5.1), as §6.1 requires every compound packet to carry.
    /// - Parameters:
    ///   - lastSR: the middle 32 bits of the NTP time of the last sender report received (LSR).
    ///   - delaySinceLastSR: DLSR, in 1/65536 s.
    static func receiverReport(ssrc: UInt32, block: ReceptionStats.Block, lastSR: UInt32, delaySinceLastSR: UInt32,
                               cname: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        // RR: V=2, P=0, RC=1; PT 201; length in 32-bit words minus one (2 header + 6 block words).
        buffer.writeInteger(UInt8(0x81))
        buffer.writeInteger(UInt8(201))
        buffer.writeInteger(UInt16(7))
        buffer.writeInteger(ssrc)
        buffer.writeInteger(block.ssrc)
        buffer.writeInteger(UInt32(block.fractionLost) << 24 | UInt32(bitPattern: block.cumulativeLost) & 0x00FF_FFFF)
        buffer.writeInteger(block.extendedHighestSequence)
        buffer.writeInteger(block.jitter)
        buffer.writeInteger(lastSR)
        buffer.writeInteger(delaySinceLastSR)
        // SDES: V=2, SC=1; PT 202; one chunk: SSRC, CNAME item, END, padded to a word.
        let name = Array(cname.utf8.prefix(255))
        let chunkBytes = 4 + 2 + name.count + 1
        let padded = (chunkBytes + 3) / 4 * 4
        buffer.writeInteger(UInt8(0x81))
        buffer.writeInteger(UInt8(202))
        buffer.writeInteger(UInt16(padded / 4))
        buffer.writeInteger(ssrc)
        buffer.writeInteger(UInt8(1))
        buffer.writeInteger(UInt8(name.count))
        buffer.writeBytes(name)
        buffer.writeRepeatingByte(0, count: padded - chunkBytes + 1)
        return buffer
    }

    /// The LSR value of a sender report (PT 200) that opens `packet`, nil for anything else.
    static func senderReportNTPMiddle(_ packet: ByteBuffer) -> UInt32? {
        guard let first = packet.getInteger(at: packet.readerIndex, as: UInt8.self), first >> 6 == 2,
              packet.getInteger(at: packet.readerIndex + 1, as: UInt8.self) == 200,
              let middle = packet.getInteger(at: packet.readerIndex + 10, as: UInt32.self) else { return nil }
        return middle
    }
}
