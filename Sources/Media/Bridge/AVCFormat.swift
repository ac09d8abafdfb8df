/// Converts H.264 between Annex B (start codes: x264 output, RTSP, MPEG-TS) and AVCC
/// (4-byte lengths: MP4, FLV/RTMP, the stream hub), and builds the
/// AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.2.4.1) from SPS and PPS.
public enum AVCFormat {
    /// NAL unit types (H.264 Table 7-1) the packager cares about.
    public static let idr: UInt8 = 5
    public static let sps: UInt8 = 7
    public static let pps: UInt8 = 8
    public static let accessUnitDelimiter: UInt8 = 9

    /// true when `bytes` start with a 3- or 4-byte start code.
    static func isAnnexB(_ bytes: some RandomAccessCollection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        let first = (iterator.next(), iterator.next(), iterator.next(), iterator.next())
        if first.0 == 0, first.1 == 0, first.2 == 1 { return true }
        return first.0 == 0 && first.1 == 0 && first.2 == 0 && first.3 == 1
    }

    /// The NAL units of an access unit in either form. Length-prefixed wins when its lengths
    /// cover the bytes exactly: a first NAL unit of 256–511 bytes starts with 00 00 01, which
    /// looks like a start code.
    public static func units(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var index = 0
        while index + 4 <= bytes.count {
            let length = bytes[index..<index + 4].reduce(0) { $0 << 8 | Int($1) }
            guard length > 0, index + 4 + length <= bytes.count else { break }
            index += 4 + length
        }
        return index == bytes.count && index > 0 ? splitAVCC(bytes) : splitAnnexB(bytes)
    }

    /// The NAL units of an Annex B byte stream, without their start codes.
    static func splitAnnexB(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var units: [ArraySlice<UInt8>] = []
        var index = 0
        var start: Int?
        let count = bytes.count
        while index + 2 < count {
            if bytes[index] == 0, bytes[index + 1] == 0, bytes[index + 2] == 1 {
                if let start {
                    var end = index
                    while end > start, bytes[end - 1] == 0 { end -= 1 }  // trailing zero of a 4-byte code
                    if end > start { units.append(bytes[start..<end]) }
                }
                index += 3
                start = index
            } else {
                index += 1
            }
        }
        if let start, start < count { units.append(bytes[start..<count]) }
        return units
    }

    /// The NAL units of an AVCC access unit (4-byte big-endian lengths); stops at a bad length.
    public static func splitAVCC(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var units: [ArraySlice<UInt8>] = []
        var index = 0
        while index + 4 <= bytes.count {
            let length = bytes[index..<index + 4].reduce(0) { $0 << 8 | Int($1) }
            index += 4
            guard length > 0, index + length <= bytes.count else { break }
            units.append(bytes[index..<index + length])
            index += length
        }
        return units
    }

    /// NAL units joined with 4-byte lengths.
    public static func joinAVCC(_ units: [ArraySlice<UInt8>]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(units.reduce(0) { $0 + $1.count + 4 })
        for unit in units {
            let length = UInt32(unit.count)
            out += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            out += unit
        }
        return out
    }

    /// NAL units joined with 4-byte start codes.
    public static func annexB(_ units: [ArraySlice<UInt8>]) -> [UInt8] {
        units.reduce(into: []) { $0 += [0, 0, 0, 1] + $1 }
    }

    /// The type of a NAL unit (low 5 bits of its header byte).
    public static func type(_ unit: ArraySlice<UInt8>) -> UInt8 { (unit.first ?? 0) & 0x1F }

    /// An AVCDecoderConfigurationRecord holding one SPS and one PPS (version 1, 4-byte lengths).
    static func decoderConfigurationRecord(sps: ArraySlice<UInt8>, pps: ArraySlice<UInt8>) -> [UInt8] {
        let s = Array(sps)
        let profile = s.count > 1 ? s[1] : 66
        let compatibility = s.count > 2 ? s[2] : 0
        let level = s.count > 3 ? s[3] : 30
        var record: [UInt8] = [1, profile, compatibility, level, 0xFF, 0xE1]
        record += [UInt8(s.count >> 8), UInt8(s.count & 0xFF)] + s
        record += [1, UInt8(pps.count >> 8), UInt8(pps.count & 0xFF)] + Array(pps)
        return record
    }

    /// SPS and PPS out of extradata in either form (avcC record or Annex B), or nil.
    public static func parameterSets(extradata: [UInt8]) -> (sps: ArraySlice<UInt8>, pps: ArraySlice<UInt8>)? {
        if isAnnexB(extradata) {
            let units = splitAnnexB(extradata)
            guard let sps = units.first(where: { type($0) == Self.sps }),
                  let pps = units.first(where: { type($0) == Self.pps }) else { return nil }
            return (sps, pps)
        }
        guard extradata.count > 8, extradata[0] == 1 else { return nil }
        var index = 5
        guard extradata[index] & 0x1F >= 1 else { return nil }
        index += 1
        let spsLength = Int(extradata[index]) << 8 | Int(extradata[index + 1])
        index += 2
        guard index + spsLength + 3 <= extradata.count else { return nil }
        let sps = extradata[index..<index + spsLength]
        index += spsLength
        index += 1  // PPS count
        let ppsLength = Int(extradata[index]) << 8 | Int(extradata[index + 1])
        index += 2
        guard index + ppsLength <= extradata.count else { return nil }
        return (sps, extradata[index..<index + ppsLength])
    }
}
