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

/// Generic NACK (RTCP PT 205 FMT 1, RFC 4585 §6.2.1): which RTP packets a receiver lost.
extension RTCPFeedback {
    /// FCI entries in one NACK we send: 16 of them name up to 272 packets, far more than a
    /// reorder window holds.
    static let maxNackEntries = 16
    /// Sequence numbers taken from one incoming compound packet; more is not a loss report
    /// but a flood, and the send history holds no more anyway.
    static let maxNackedSequences = 512

    /// A NACK naming `sequences` (in sending order, across the wrap): each FCI entry is a
    /// packet ID and a bitmask of the 16 after it. Writes nothing for an empty list.
    static func nack(sender: UInt32, media: UInt32, sequences: [UInt16], into buffer: inout ByteBuffer) {
        var entries: [(pid: UInt16, blp: UInt16)] = []
        for sequence in sequences {
            if let last = entries.last, case let offset = sequence &- last.pid, (1...16).contains(offset) {
                entries[entries.count - 1].blp |= 1 << (offset - 1)
            } else if entries.count < maxNackEntries {
                entries.append((sequence, 0))
            }
        }
        guard !entries.isEmpty else { return }
        buffer.writeInteger(UInt8(0x80 | 1))
        buffer.writeInteger(UInt8(205))
        buffer.writeInteger(UInt16(2 + entries.count))
        buffer.writeInteger(sender)
        buffer.writeInteger(media)
        for entry in entries {
            buffer.writeInteger(entry.pid)
            buffer.writeInteger(entry.blp)
        }
    }

    /// The sequence numbers the generic NACKs about `media` in a compound packet name, in
    /// order, without repeats. Anything malformed (wrong version, a length past the end, an
    /// entry cut short) ends the walk: what came before it still counts.
    static func nackedSequences(in packet: ByteBuffer, media: UInt32) -> [UInt16] {
        var sequences: [UInt16] = []
        var seen = Set<UInt16>()
        var offset = packet.readerIndex
        while sequences.count < maxNackedSequences,
              let first = packet.getInteger(at: offset, as: UInt8.self), first >> 6 == 2,
              let type = packet.getInteger(at: offset + 1, as: UInt8.self),
              let words = packet.getInteger(at: offset + 2, as: UInt16.self) {
            let end = offset + (Int(words) + 1) * 4
            guard end <= packet.writerIndex else { break }
            if type == 205, first & 0x1F == 1, words >= 3, packet.getInteger(at: offset + 8, as: UInt32.self) == media {
                for entry in stride(from: offset + 12, to: end, by: 4) {
                    guard let pid = packet.getInteger(at: entry, as: UInt16.self),
                          let blp = packet.getInteger(at: entry + 2, as: UInt16.self) else { break }
                    let lost = [pid] + (0..<16).filter { blp & (1 << $0) != 0 }.map { pid &+ UInt16($0) &+ 1 }
                    for sequence in lost where seen.insert(sequence).inserted { sequences.append(sequence) }
                }
            }
            offset = end
        }
        return Array(sequences.prefix(maxNackedSequences))
    }
}
