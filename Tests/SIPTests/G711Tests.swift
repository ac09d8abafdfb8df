import Testing
@testable import SIP

@Suite("G.711")
struct G711Tests {
    @Test("µ-law decodes the reference values", arguments: [
        (UInt8(0xFF), Int16(0)), (0x7F, 0), (0x80, 32_124), (0x00, -32_124), (0xF0, 120), (0x70, -120),
    ])
    func muLawReference(byte: UInt8, sample: Int16) {
        #expect(G711.decode(byte, law: .mu) == sample)
    }

    @Test("A-law decodes the reference values", arguments: [
        (UInt8(0xD5), Int16(8)), (0x55, -8), (0xAA, 32_256), (0x2A, -32_256),
    ])
    func aLawReference(byte: UInt8, sample: Int16) {
        #expect(G711.decode(byte, law: .a) == sample)
    }

    @Test("every A-law byte survives decode then encode")
    func aLawRoundTrip() {
        for byte in UInt8.min...UInt8.max {
            #expect(G711.encode(G711.decode(byte, law: .a), law: .a) == byte)
        }
    }

    @Test("every µ-law byte except negative zero survives decode then encode")
    func muLawRoundTrip() {
        for byte in UInt8.min...UInt8.max where byte != 0x7F {
            #expect(G711.encode(G711.decode(byte, law: .mu), law: .mu) == byte)
        }
    }

    @Test("encoding keeps the sign and stays within a segment step of the input")
    func encodeError() {
        for law in [G711.Law.mu, .a] {
            for sample in stride(from: -32_000, through: 32_000, by: 997) {
                let decoded = Int(G711.decode(G711.encode(Int16(sample), law: law), law: law))
                #expect(abs(decoded - sample) <= max(abs(sample) / 16, 16), "\(law) \(sample) -> \(decoded)")
            }
        }
    }
}
