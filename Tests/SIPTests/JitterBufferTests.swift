import Testing

@testable import SIP

@Suite("JitterBuffer")
struct JitterBufferTests {
    /// A 4-sample packet whose samples all equal its sequence number.
    static func packet(_ sequence: UInt16, base: UInt32 = 1_000) -> JitterBuffer.Packet {
        let index = UInt32(sequence &- 65_530)
        return JitterBuffer.Packet(sequence: sequence, timestamp: base &+ index &* 4,
                                   samples: [Int16](repeating: Int16(truncatingIfNeeded: sequence), count: 4))
    }

    @Test("packets in order pass straight through, across the sequence wrap")
    func inOrder() {
        var buffer = JitterBuffer()
        var out: [Int16] = []
        for sequence: UInt16 in [65_534, 65_535, 0, 1] { out += buffer.insert(Self.packet(sequence)) }
        #expect(out == [65_534, 65_535, 0, 1].flatMap { [Int16](repeating: Int16(truncatingIfNeeded: $0), count: 4) })
    }

    @Test("a swapped pair comes out in order")
    func reorder() {
        var buffer = JitterBuffer()
        #expect(buffer.insert(Self.packet(65_530)).count == 4)
        #expect(buffer.insert(Self.packet(65_532)).isEmpty)
        let out = buffer.insert(Self.packet(65_531))
        #expect(out == [Int16](repeating: -5, count: 4) + [Int16](repeating: -4, count: 4))
        #expect(buffer.lost == 0)
    }

    @Test("late and duplicate packets are dropped and counted")
    func lateAndDuplicate() {
        var buffer = JitterBuffer()
        _ = buffer.insert(Self.packet(65_531))
        #expect(buffer.insert(Self.packet(65_530)).isEmpty)
        #expect(buffer.insert(Self.packet(65_531)).isEmpty)
        #expect(buffer.insert(Self.packet(65_533)).isEmpty)
        #expect(buffer.insert(Self.packet(65_533)).isEmpty)
        #expect(buffer.dropped == 3)
    }

    @Test("a lost packet is given up after three later ones and its time is filled with silence")
    func loss() {
        var buffer = JitterBuffer()
        _ = buffer.insert(Self.packet(65_530))
        #expect(buffer.insert(Self.packet(65_532)).isEmpty)
        #expect(buffer.insert(Self.packet(65_533)).isEmpty)
        #expect(buffer.insert(Self.packet(65_534)).isEmpty)
        let out = buffer.insert(Self.packet(65_535))
        #expect(out.count == 4 * 5, "4 samples of silence, then four packets")
        #expect(out.prefix(4) == [0, 0, 0, 0])
        #expect(buffer.lost == 1)
    }

    @Test("a sender that restarts with a far sequence number is followed, not dropped")
    func resync() {
        var buffer = JitterBuffer()
        _ = buffer.insert(Self.packet(65_530))
        #expect(buffer.insert(Self.packet(30_000, base: 9)).count == 4)
        #expect(buffer.insert(Self.packet(30_001, base: 9)).count == 4)
        #expect(buffer.dropped == 0)
    }
}
