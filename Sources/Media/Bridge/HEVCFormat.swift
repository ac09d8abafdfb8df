import Core

/// H.265 NAL unit types and the HEVCDecoderConfigurationRecord (ISO/IEC 14496-15 §8.3.3.1):
/// the H.265 counterpart of `AVCFormat`, whose Annex B and length-prefix helpers it shares
/// (they do not depend on the codec).
enum HEVCFormat {
    /// NAL unit types (H.265 Table 7-1) the packager cares about.
    static let vps = H265SPS.vpsType
    static let sps = H265SPS.spsType
    static let pps = H265SPS.ppsType
    static let accessUnitDelimiter: UInt8 = 35

    /// The type of a NAL unit (bits 1–6 of its first header byte).
    static func type(_ unit: ArraySlice<UInt8>) -> UInt8 { H265SPS.type(unit) }

    /// true for the random access points a decoder can start on (IRAP: BLA, IDR, CRA; types 16–23).
    static func isRandomAccess(_ unit: ArraySlice<UInt8>) -> Bool { (16...23).contains(type(unit)) }

    /// An hvcC record holding one VPS, SPS and PPS (4-byte lengths), or nil when the SPS
    /// cannot be read.
    static func decoderConfigurationRecord(vps: ArraySlice<UInt8>, sps: ArraySlice<UInt8>,
                                           pps: ArraySlice<UInt8>) -> [UInt8]? {
        guard let info = H265SPS.parse(spsNAL: Array(sps)) else { return nil }
        var record: [UInt8] = [1] + info.profileTierLevel
        record += [0xF0, 0x00,  // reserved, min_spatial_segmentation_idc 0
                   0xFC,  // reserved, parallelismType 0 (unknown)
                   0xFC | UInt8(info.chromaFormat & 0x03),
                   0xF8 | UInt8((info.bitDepthLuma - 8) & 0x07),
                   0xF8 | UInt8((info.bitDepthChroma - 8) & 0x07),
                   0x00, 0x00]  // avgFrameRate unknown
        // constantFrameRate 0, numTemporalLayers, temporalIdNested, lengthSizeMinusOne 3.
        record.append(UInt8(info.temporalLayers & 0x07) << 3 | (info.isTemporalIDNested ? 0x04 : 0) | 0x03)
        record.append(3)
        for (type, unit) in [(Self.vps, vps), (Self.sps, sps), (Self.pps, pps)] {
            record += [0x80 | type, 0x00, 0x01, UInt8(unit.count >> 8 & 0xFF), UInt8(unit.count & 0xFF)] + unit
        }
        return record
    }

    /// VPS, SPS and PPS out of extradata in either form (hvcC record or Annex B), or nil.
    static func parameterSets(extradata: [UInt8])
        -> (vps: ArraySlice<UInt8>, sps: ArraySlice<UInt8>, pps: ArraySlice<UInt8>)? {
        var units: [ArraySlice<UInt8>] = []
        if AVCFormat.isAnnexB(extradata) {
            units = AVCFormat.splitAnnexB(extradata)
        } else if extradata.count > 23, extradata[0] == 1 {
            var index = 23
            for _ in 0..<extradata[22] {
                guard index + 3 <= extradata.count else { break }
                let count = Int(extradata[index + 1]) << 8 | Int(extradata[index + 2])
                index += 3
                for _ in 0..<count {
                    guard index + 2 <= extradata.count else { break }
                    let length = Int(extradata[index]) << 8 | Int(extradata[index + 1])
                    index += 2
                    guard index + length <= extradata.count else { break }
                    units.append(extradata[index..<index + length])
                    index += length
                }
            }
        }
        guard let vps = units.first(where: { type($0) == Self.vps }), let sps = units.first(where: { type($0) == Self.sps }),
              let pps = units.first(where: { type($0) == Self.pps }) else { return nil }
        return (vps, sps, pps)
    }
}
