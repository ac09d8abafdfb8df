import NIOCore

/// Reads the picture size out of an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1).
public enum H264SPS {
    /// Width and height of the first SPS in an AVCDecoderConfigurationRecord
    /// (ISO/IEC 14496-15 §5.2.4.1), or nil when the record or SPS is malformed.
    public static func pictureSize(avcRecord: ByteBuffer) -> (width: Int, height: Int)? {
        var record = avcRecord
        guard record.readableBytes >= 8, record.readInteger(as: UInt8.self) == 1 else { return nil }
        record.moveReaderIndex(forwardBy: 4)
        guard let count = record.readInteger(as: UInt8.self), count & 0x1F > 0,
              let length = record.readInteger(as: UInt16.self),
              let sps = record.readBytes(length: Int(length)) else { return nil }
        return pictureSize(spsNAL: sps)
    }

    /// Width and height from one SPS NAL unit (with its one-byte NAL header), or nil when malformed.
    public static func pictureSize(spsNAL: [UInt8]) -> (width: Int, height: Int)? {
        guard spsNAL.count > 4, spsNAL[0] & 0x1F == 7 else { return nil }
        var bits = BitReader(removingEmulationPrevention(spsNAL.dropFirst()))
        // A truncated or exotic SPS only means the size stays unknown (0x0).
        return try? parse(&bits)
    }

    private static let highProfiles: Set<UInt32> = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]

    private static func parse(_ r: inout BitReader) throws(BitReader.OutOfData) -> (width: Int, height: Int) {
        let profile = try r.bits(8)
        _ = try r.bits(16)  // constraint flags, level
        _ = try r.ue()  // seq_parameter_set_id
        var chroma: UInt32 = 1
        if highProfiles.contains(profile) {
            chroma = try r.ue()
            if chroma == 3 { _ = try r.bits(1) }
            _ = try r.ue()
            _ = try r.ue()
            _ = try r.bits(1)
            if try r.bits(1) == 1 {
                for i in 0..<(chroma == 3 ? 12 : 8) where try r.bits(1) == 1 {
                    try skipScalingList(&r, size: i < 6 ? 16 : 64)
                }
            }
        }
        _ = try r.ue()  // log2_max_frame_num_minus4
        let pocType = try r.ue()
        if pocType == 0 {
            _ = try r.ue()
        } else if pocType == 1 {
            _ = try r.bits(1)
            _ = try r.se()
            _ = try r.se()
            let cycle = try r.ue()
            guard cycle < 256 else { throw BitReader.OutOfData() }
            for _ in 0..<cycle { _ = try r.se() }
        }
        _ = try r.ue()  // max_num_ref_frames
        _ = try r.bits(1)
        let widthMBs = Int(try r.ue()) + 1
        let heightUnits = Int(try r.ue()) + 1
        let frameMBsOnly = Int(try r.bits(1))
        if frameMBsOnly == 0 { _ = try r.bits(1) }
        _ = try r.bits(1)
        var crop = (left: 0, right: 0, top: 0, bottom: 0)
        if try r.bits(1) == 1 {
            crop = (Int(try r.ue()), Int(try r.ue()), Int(try r.ue()), Int(try r.ue()))
        }
        let subWidth = chroma == 1 || chroma == 2 ? 2 : 1
        let subHeight = chroma == 1 ? 2 : 1
        let unitX = chroma == 0 ? 1 : subWidth
        let unitY = (chroma == 0 ? 1 : subHeight) * (2 - frameMBsOnly)
        let width = widthMBs * 16 - unitX * (crop.left + crop.right)
        let height = (2 - frameMBsOnly) * heightUnits * 16 - unitY * (crop.top + crop.bottom)
        guard width > 0, height > 0 else { throw BitReader.OutOfData() }
        return (width, height)
    }

    private static func skipScalingList(_ r: inout BitReader, size: Int) throws(BitReader.OutOfData) {
        var last: Int32 = 8
        var next: Int32 = 8
        for _ in 0..<size {
            if next != 0 { next = (last + (try r.se()) + 256) % 256 }
            last = next == 0 ? last : next
        }
    }

    /// Drops the 0x03 of every 0x00 0x00 0x03 sequence (§7.4.1).
    static func removingEmulationPrevention(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var zeros = 0
        for byte in bytes {
            if zeros >= 2, byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            out.append(byte)
        }
        return out
    }
}

/// Reads bits MSB first, with Exp-Golomb codes (H.264 §9.1).
struct BitReader {
    /// Thrown when a read runs past the end.
    struct OutOfData: Error {}

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func bits(_ count: Int) throws(OutOfData) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard position < bytes.count * 8 else { throw OutOfData() }
            let bit = (bytes[position / 8] >> (7 - UInt8(position % 8))) & 1
            value = value << 1 | UInt32(bit)
            position += 1
        }
        return value
    }

    mutating func ue() throws(OutOfData) -> UInt32 {
        var zeros = 0
        while try bits(1) == 0 {
            zeros += 1
            guard zeros < 32 else { throw OutOfData() }
        }
        return (UInt32(1) << zeros) - 1 + (try bits(zeros))
    }

    mutating func se() throws(OutOfData) -> Int32 {
        let k = try ue()
        return k & 1 == 1 ? Int32((k + 1) / 2) : -Int32(k / 2)
    }
}
