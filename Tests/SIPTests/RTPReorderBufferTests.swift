import Testing

@testable import SIP

@Suite("RTPReorderBuffer")
struct RTPReorderBufferTests {
    static func feed(_ sequences: [UInt16], depth: Int = 3) -> (out: [String], buffer: RTPReorderBuffer<UInt16>) {
        var buffer = RTPReorderBuffer<UInt16>(depth: depth)
        let out = sequences.flatMap { buffer.insert($0, sequence: $0) }
            .map { "\($0.sequence)\($0.followsGap ? "!" : "")" }
        return (out, buffer)
    }

    @Test("packets in order pass straight through, across the sequence wrap")
    func inOrder() {
        #expect(Self.feed([65_534, 65_535, 0, 1]).out == ["65534", "65535", "0", "1"])
    }

    @Test("a swapped pair comes out in order")
    func swapped() {
        #expect(Self.feed([10, 12, 11, 13]).out == ["10", "11", "12", "13"])
    }

    @Test("a hole is given up on once depth packets wait, and the next packet is marked")
    func loss() {
        let (out, buffer) = Self.feed([10, 12, 13, 14, 15])
        #expect(out == ["10", "12!", "13", "14", "15"])
        #expect(buffer.lost == 1)
    }

    @Test("late and duplicate packets are dropped")
    func late() {
        let (out, buffer) = Self.feed([10, 11, 11, 9])
        #expect(out == ["10", "11"])
        #expect(buffer.late == 2)
    }

    @Test("a big jump confirmed by the next packet is a restarted sender; a stray one is dropped")
    func restart() {
        #expect(Self.feed([10, 11, 5_000, 5_001, 5_002]).out == ["10", "11", "5001!", "5002"])
        #expect(Self.feed([10, 11, 60_000, 12]).out == ["10", "11", "12"])
    }
}
