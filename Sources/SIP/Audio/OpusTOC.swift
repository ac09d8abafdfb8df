/// The length of an Opus packet from its TOC byte (RFC 6716 §3.1), in 48 kHz samples.
enum OpusTOC {
    /// Samples at 48 kHz of the packet's frames; 0 for an empty or malformed packet.
    static func samples48k(_ packet: [UInt8]) -> Int {
        guard let toc = packet.first else { return 0 }
        let config = Int(toc >> 3)
        let frameSamples: Int
        switch config {
        case 0..<12: frameSamples = [480, 960, 1_920, 2_880][config % 4]  // SILK: 10, 20, 40, 60 ms
        case 12..<16: frameSamples = [480, 960][config % 2]  // hybrid: 10, 20 ms
        default: frameSamples = [120, 240, 480, 960][config % 4]  // CELT: 2.5, 5, 10, 20 ms
        }
        let frames: Int
        switch toc & 0x03 {
        case 0: frames = 1
        case 1, 2: frames = 2
        default: frames = packet.count > 1 ? Int(packet[1] & 0x3F) : 0
        }
        return frameSamples * frames
    }
}
