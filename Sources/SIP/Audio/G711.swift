/// G.711 companding (ITU-T G.711): µ-law and A-law bytes to and from 16-bit linear PCM.
enum G711 {
    /// Which companding law.
    enum Law: Sendable, Equatable {
        /// µ-law (PCMU, RTP payload type 0).
        case mu
        /// A-law (PCMA, RTP payload type 8).
        case a
    }

    /// Decodes one byte.
    static func decode(_ byte: UInt8, law: Law) -> Int16 {
        law == .mu ? muTable[Int(byte)] : aTable[Int(byte)]
    }

    /// Decodes a payload into samples.
    static func decode(_ bytes: some Sequence<UInt8>, law: Law) -> [Int16] {
        let table = law == .mu ? muTable : aTable
        return bytes.map { table[Int($0)] }
    }

    /// Encodes one sample.
    static func encode(_ sample: Int16, law: Law) -> UInt8 {
        law == .mu ? encodeMu(sample) : encodeA(sample)
    }

    private static let muTable: [Int16] = (0...255).map { decodeMu(UInt8($0)) }
    private static let aTable: [Int16] = (0...255).map { decodeA(UInt8($0)) }

    private static func decodeMu(_ byte: UInt8) -> Int16 {
        let u = ~byte
        let exponent = Int((u >> 4) & 0x07)
        let mantissa = Int(u & 0x0F)
        let magnitude = ((mantissa << 3) + 0x84) << exponent
        let value = magnitude - 0x84
        return Int16(u & 0x80 != 0 ? -value : value)
    }

    private static func decodeA(_ byte: UInt8) -> Int16 {
        let a = byte ^ 0x55
        let exponent = Int((a >> 4) & 0x07)
        let mantissa = Int(a & 0x0F)
        let magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1)
        return Int16(a & 0x80 != 0 ? magnitude : -magnitude)
    }

    private static func encodeMu(_ sample: Int16) -> UInt8 {
        let bias = 0x84
        var value = Int(sample)
        let sign: UInt8 = value < 0 ? 0x80 : 0
        if value < 0 { value = -value }
        value = min(value, 32_635) + bias
        var exponent = 7
        var mask = 0x4000
        while exponent > 0, value & mask == 0 {
            exponent -= 1
            mask >>= 1
        }
        let mantissa = (value >> (exponent + 3)) & 0x0F
        return ~(sign | UInt8(exponent << 4) | UInt8(mantissa))
    }

    private static func encodeA(_ sample: Int16) -> UInt8 {
        var value = Int(sample)
        let sign: UInt8 = value >= 0 ? 0x80 : 0
        if value < 0 { value = -value - 1 }
        value = min(value, 32_767)
        let byte: UInt8
        if value < 256 {
            byte = UInt8(value >> 4)
        } else {
            var exponent = 1
            while exponent < 7, value >= (256 << exponent) { exponent += 1 }
            byte = UInt8(exponent << 4) | UInt8((value >> (exponent + 3)) & 0x0F)
        }
        return (sign | byte) ^ 0x55
    }
}
