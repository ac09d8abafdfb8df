import NIOCore

/// The RTCP we send and the part of what we get that we use (RFC 3550 §6).
enum RTCPReport {
    /// Seconds between our reports: RFC 3550 §6.2's minimum interval, fine for one source.
    static let interval = TimeAmount.seconds(5)

    /// The sender info of a sender report (RFC 3550 §6.4.1).
    struct SenderInfo: Equatable {
        /// Wallclock time of the report, NTP format (seconds since 1900 << 32 | fraction).
        var ntpTime: UInt64
        /// The same instant on our RTP clock.
        var rtpTimestamp: UInt32
        /// RTP packets sent since we started.
        var packets: UInt32
        /// Payload octets sent since we started (headers and padding not counted).
        var octets: UInt32
    }

    /// What one report is about: our sending (a sender report) and what we receive (a block).
    struct Content {
        /// Our SSRC.
        var ssrc: UInt32
        /// Present when we sent RTP since the last report: the packet is then an SR (§6.4.1).
        var sender: SenderInfo?
        /// The report block about the far end's stream, when it sent something.
        var block: ReceptionStats.Block?
        /// LSR: the middle 32 bits of the NTP time of the last sender report received.
        var lastSR: UInt32 = 0
        /// DLSR, in 1/65536 s.
        var delaySinceLastSR: UInt32 = 0
    }

    /// A compound packet: a sender report (§6.4.1) or a receiver report (§6.4.2) with zero or
    /// one report block, then an SDES with our CNAME (§6.5.1), as §6.1 requires of every compound packet.
    static func compound(_ content: Content, cname: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 80)
        let blocks = content.block == nil ? 0 : 1
        // V=2, P=0, RC; PT 200 (SR) or 201 (RR); length in 32-bit words minus one.
        buffer.writeInteger(UInt8(0x80 | blocks))
        buffer.writeInteger(UInt8(content.sender == nil ? 201 : 200))
        buffer.writeInteger(UInt16((content.sender == nil ? 1 : 6) + 6 * blocks))
        buffer.writeInteger(content.ssrc)
        if let sender = content.sender {
            buffer.writeInteger(sender.ntpTime)
            buffer.writeInteger(sender.rtpTimestamp)
            buffer.writeInteger(sender.packets)
            buffer.writeInteger(sender.octets)
        }
        if let block = content.block {
            buffer.writeInteger(block.ssrc)
            buffer.writeInteger(UInt32(block.fractionLost) << 24 | UInt32(bitPattern: block.cumulativeLost) & 0x00FF_FFFF)
            buffer.writeInteger(block.extendedHighestSequence)
            buffer.writeInteger(block.jitter)
            buffer.writeInteger(content.lastSR)
            buffer.writeInteger(content.delaySinceLastSR)
        }
        // SDES: V=2, SC=1; PT 202; one chunk: SSRC, CNAME item, END, padded to a word.
        let name = Array(cname.utf8.prefix(255))
        let chunkBytes = 4 + 2 + name.count + 1
        let padded = (chunkBytes + 3) / 4 * 4
        buffer.writeInteger(UInt8(0x81))
        buffer.writeInteger(UInt8(202))
        buffer.writeInteger(UInt16(padded / 4))
        buffer.writeInteger(content.ssrc)
        buffer.writeInteger(UInt8(1))
        buffer.writeInteger(UInt8(name.count))
        buffer.writeBytes(name)
        buffer.writeRepeatingByte(0, count: padded - chunkBytes + 1)
        return buffer
    }

    /// `seconds` since 1970 in NTP format (seconds since 1900, RFC 3550 §4).
    static func ntpTime(unixSeconds seconds: Double) -> UInt64 {
        let ntp = seconds + 2_208_988_800
        let whole = UInt64(ntp)
        return whole << 32 | UInt64((ntp - Double(whole)) * 4_294_967_296)
    }

    /// The LSR value of a sender report (PT 200) that opens `packet`, nil for anything else.
    static func senderReportNTPMiddle(_ packet: ByteBuffer) -> UInt32? {
        guard let first = packet.getInteger(at: packet.readerIndex, as: UInt8.self), first >> 6 == 2,
              packet.getInteger(at: packet.readerIndex + 1, as: UInt8.self) == 200,
              let middle = packet.getInteger(at: packet.readerIndex + 10, as: UInt32.self) else { return nil }
        return middle
    }
}
