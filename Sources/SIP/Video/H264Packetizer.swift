/// Cuts an H.264 access unit into RTP payloads (RFC 6184, non-interleaved mode): a NAL unit
/// that fits goes alone (§5.6), a larger one as FU-A fragments (§5.8).
enum H264Packetizer {
    /// Largest payload: with IP, UDP and RTP headers well under a 1500-byte Ethernet MTU,
    /// leaving room for VPN and tunnel headers on the way.
    static let maxPayload = 1_200

    /// The payloads of one access unit, in order; the last one carries the marker bit.
    static func payloads(_ units: [ArraySlice<UInt8>], maxPayload: Int = maxPayload) -> [[UInt8]] {
        precondition(maxPayload > 2, "an FU-A payload needs room for its two header bytes")
        var out: [[UInt8]] = []
        for unit in units {
            guard let header = unit.first else { continue }
            if unit.count <= maxPayload {
                out.append(Array(unit))
                continue
            }
            let indicator = header & 0xE0 | 28
            var rest = unit.dropFirst()
            var isFirst = true
            while !rest.isEmpty {
                let chunk = rest.prefix(maxPayload - 2)
                rest = rest.dropFirst(chunk.count)
                let flags: UInt8 = (isFirst ? 0x80 : 0) | (rest.isEmpty ? 0x40 : 0)
                out.append([indicator, flags | header & 0x1F] + chunk)
                isFirst = false
            }
        }
        return out
    }
}
