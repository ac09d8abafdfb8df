import NIOCore

/// Reads an H.265 sequence parameter set (ITU-T H.265 §7.3.2.2) far enough for the picture
/// size and the fields of an HEVCDecoderConfigurationRecord.
public enum H265SPS {
    /// What the SPS says.
    public struct Info: Sendable, Equatable {
        /// Cropped picture width and height in pixels.
        public var width: Int
        public var height: Int
        /// general_profile_space … general_level_idc: the 12 bytes an hvcC record copies (RBSP).
        public var profileTierLevel: [UInt8]
        public var chromaFormat: Int
        public var bitDepthLuma: Int
        public var bitDepthChroma: Int
        /// sps_max_sub_layers_minus1 + 1.
        public var temporalLayers: Int
        public var isTemporalIDNested: Bool
    }

    /// NAL unit types (H.265 Table 7-1).
    public static let vpsType: UInt8 = 32
    public static let spsType: UInt8 = 33
    public static let ppsType: UInt8 = 34

    /// The type of an H.265 NAL unit (bits 1–6 of its first header byte).
    public static func type(_ unit: some Collection<UInt8>) -> UInt8 { ((unit.first ?? 0) >> 1) & 0x3F }

    /// Width and height of the SPS in an HEVCDecoderConfigurationRecord (ISO/IEC 14496-15
    /// §8.3.3.1), or nil when the record or SPS is malformed.
    public static func pictureSize(hvcRecord: ByteBuffer) -> (width: Int, height: Int)? {
        var record = hvcRecord
        guard record.readableBytes > 23, record.readInteger(as: UInt8.self) == 1 else { return nil }
        record.moveReaderIndex(forwardBy: 21)
        guard let arrays = record.readInteger(as: UInt8.self) else { return nil }
        for _ in 0..<arrays {
            guard let header = record.readInteger(as: UInt8.self), let count = record.readInteger(as: UInt16.self)
            else { return nil }
            for _ in 0..<count {
                guard let length = record.readInteger(as: UInt16.self),
                      let unit = record.readBytes(length: Int(length)) else { return nil }
                if header & 0x3F == spsType, let info = parse(spsNAL: unit) { return (info.width, info.height) }
            }
        }
        return nil
    }

    /// What one SPS NAL unit (with its two-byte NAL header) says, or nil when malformed.
    public static func parse(spsNAL: [UInt8]) -> Info? {
        guard spsNAL.count > 14, type(spsNAL) == spsType else { return nil }
        let rbsp = H264SPS.removingEmulationPrevention(spsNAL.dropFirst(2))
        var bits = BitReader(rbsp)
        return try? parse(&bits, rbsp: rbsp)
    }

    private static func parse(_ r: inout BitReader, rbsp: [UInt8]) throws(BitReader.OutOfData) -> Info {
        _ = try r.bits(4)  // sps_video_parameter_set_id
        let maxSubLayersMinus1 = Int(try r.bits(3))
        let isNested = try r.bits(1) == 1
        guard rbsp.count > 13 else { throw BitReader.OutOfData() }
        let profileTierLevel = Array(rbsp[1...12])
        for _ in 0..<3 { _ = try r.bits(32) }  // general profile, flags, level: 96 bits
        var subProfile: [Bool] = []
        var subLevel: [Bool] = []
        for _ in 0..<maxSubLayersMinus1 {
            subProfile.append(try r.bits(1) == 1)
            subLevel.append(try r.bits(1) == 1)
        }
        if maxSubLayersMinus1 > 0 { for _ in maxSubLayersMinus1..<8 { _ = try r.bits(2) } }
        for i in 0..<maxSubLayersMinus1 {
            if subProfile[i] { for width in [32, 32, 24] { _ = try r.bits(width) } }  // 88 bits
            if subLevel[i] { _ = try r.bits(8) }
        }
        _ = try r.ue()  // sps_seq_parameter_set_id
        let chroma = Int(try r.ue())
        guard chroma <= 3 else { throw BitReader.OutOfData() }
        if chroma == 3 { _ = try r.bits(1) }  // separate_colour_plane_flag
        let codedWidth = Int(try r.ue())
        let codedHeight = Int(try r.ue())
        var crop = (left: 0, right: 0, top: 0, bottom: 0)
        if try r.bits(1) == 1 {
            crop = (Int(try r.ue()), Int(try r.ue()), Int(try r.ue()), Int(try r.ue()))
        }
        let lumaDepth = Int(try r.ue()) + 8
        let chromaDepth = Int(try r.ue()) + 8
        let subWidth = chroma == 1 || chroma == 2 ? 2 : 1
        let subHeight = chroma == 1 ? 2 : 1
        let width = codedWidth - subWidth * (crop.left + crop.right)
        let height = codedHeight - subHeight * (crop.top + crop.bottom)
        guard width > 0, height > 0 else { throw BitReader.OutOfData() }
        return Info(width: width, height: height, profileTierLevel: profileTierLevel, chromaFormat: chroma,
                    bitDepthLuma: lumaDepth, bitDepthChroma: chromaDepth, temporalLayers: maxSubLayersMinus1 + 1,
                    isTemporalIDNested: isNested)
    }
}
