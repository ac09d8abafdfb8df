import NIOCore
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

    @Test("a new hole is reported missing once, when the packet after it arrives; late ones fill it")
    func newlyMissing() {
        var buffer = RTPReorderBuffer<UInt16>(depth: 8)
        var missing: [[UInt16]] = []
        for sequence: UInt16 in [65_533, 0, 1, 65_535, 3] {
            _ = buffer.insert(sequence, sequence: sequence)
            missing.append(buffer.newlyMissing)
        }
        #expect(missing == [[], [65_534, 65_535], [], [], [2]])
    }

    @Test("with maxWait a hole is given up on once it is that old, seen by the next packet")
    func maxWait() {
        var buffer = RTPReorderBuffer<UInt16>(depth: 64, maxWait: .milliseconds(100))
        let start = NIODeadline.now()
        _ = buffer.insert(1, sequence: 1, at: start)
        #expect(buffer.insert(3, sequence: 3, at: start + .milliseconds(10)).isEmpty)
        #expect(buffer.insert(4, sequence: 4, at: start + .milliseconds(99)).isEmpty)
        #expect(buffer.insert(5, sequence: 5, at: start + .milliseconds(110)).map(\.sequence) == [3, 4, 5])
        #expect(buffer.lost == 1)
    }
}
