/// Rebuilds H.264 access units from RTP payloads in sequence order (RFC 6184,
/// non-interleaved mode: single NAL unit packets §5.6, STAP-A §5.7.1, FU-A §5.8).
///
/// An access unit is the NAL units of one RTP timestamp; it ends at the marker bit (§5.1) or,
/// when that packet is lost, at the first packet of the next timestamp. An access unit that
/// lost a packet, or whose fragments do not join up, is dropped whole: a decoder given a
/// picture with a hole shows garbage until the next keyframe, and the caller asks for one.
struct H264Depacketizer {
    /// Largest access unit kept: a 1080p keyframe at high quality is well under it; beyond
    /// it a sender is broken or hostile.
    static let maxAccessUnitBytes = 4 << 20

    /// A finished access unit.
    struct AccessUnit: Equatable {
        /// The RTP timestamp (90 kHz, RFC 6184 §5.1).
        var timestamp: UInt32
        /// NAL units without start codes or lengths.
        var units: [[UInt8]]
    }

    /// What a packet completed.
    enum Output: Equatable {
        /// A whole access unit.
        case accessUnit(AccessUnit)
        /// An access unit was dropped (lost or malformed packets); the stream needs a keyframe.
        case dropped(timestamp: UInt32)
    }

    private struct Building {
        var timestamp: UInt32
        var units: [[UInt8]] = []
        var bytes = 0
        var fragment: [UInt8]?
        var isBroken = false

        mutating func append(_ unit: [UInt8]) {
            bytes += unit.count
            if bytes > H264Depacketizer.maxAccessUnitBytes { isBroken = true }
            if !isBroken { units.append(unit) }
        }
    }

    private var current: Building?

    /// Access units completed so far.
    private(set) var completed = 0
    /// Access units dropped so far.
    private(set) var dropped = 0

    /// Takes the next packet in sequence order.
    /// - Parameters:
    ///   - followsGap: packets before this one were lost.
    mutating func push(payload: ArraySlice<UInt8>, timestamp: UInt32, marker: Bool, followsGap: Bool) -> [Output] {
        var out: [Output] = []
        if followsGap { current?.isBroken = true }
        if let building = current, building.timestamp != timestamp {
            out += finish(building)
        }
        var building = current ?? Building(timestamp: timestamp)
        // The lost packets may have been this picture's first ones.
        if followsGap { building.isBroken = true }
        Self.add(payload, to: &building)
        if marker {
            out += finish(building)
            current = nil
        } else {
            current = building
        }
        return out
    }

    private mutating func finish(_ building: Building) -> [Output] {
        current = nil
        if building.isBroken || building.fragment != nil {
            dropped += 1
            return [.dropped(timestamp: building.timestamp)]
        }
        guard !building.units.isEmpty else { return [] }
        completed += 1
        return [.accessUnit(AccessUnit(timestamp: building.timestamp, units: building.units))]
    }

    /// Adds one payload's NAL units (or fragment) to `building`.
    private static func add(_ payload: ArraySlice<UInt8>, to building: inout Building) {
        guard let header = payload.first else { return }
        switch header & 0x1F {
        case 1...23:
            building.append(Array(payload))
        case 24:  // STAP-A: 16-bit size, NAL unit, repeated
            var rest = payload.dropFirst()
            while rest.count >= 2 {
                let size = Int(rest[rest.startIndex]) << 8 | Int(rest[rest.startIndex + 1])
                rest = rest.dropFirst(2)
                guard size > 0, size <= rest.count else { break }
                building.append(Array(rest.prefix(size)))
                rest = rest.dropFirst(size)
            }
            if !rest.isEmpty { building.isBroken = true }
        case 28:  // FU-A: indicator, FU header (S, E, type), fragment
            guard payload.count > 2 else {
                building.isBroken = true
                return
            }
            let fu = payload[payload.startIndex + 1]
            let data = payload.dropFirst(2)
            if fu & 0x80 != 0 {
                if building.fragment != nil { building.isBroken = true }
                building.fragment = [header & 0xE0 | fu & 0x1F] + data
            } else if building.fragment == nil {
                building.isBroken = true  // a middle or end without its start
                return
            } else {
                building.fragment?.append(contentsOf: data)
            }
            if fu & 0x40 != 0, let unit = building.fragment {
                building.fragment = nil
                building.append(unit)
            } else if (building.fragment?.count ?? 0) > maxAccessUnitBytes {
                building.fragment = nil
                building.isBroken = true
            }
        default:
            // STAP-B, MTAP and FU-B belong to interleaved mode, which we do not offer; 0, 30
            // and 31 are undefined (§5.2). Either way the picture is incomplete.
            building.isBroken = true
        }
    }
}
