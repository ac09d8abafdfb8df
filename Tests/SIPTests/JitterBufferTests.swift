import NIOCore
import Testing

@testable import SIP

@Suite("JitterBuffer")
struct JitterBufferTests {
    /// The output as samples: each payload byte as a signed sample, a hole as zeros per tick.
    static func samples(_ output: [JitterBuffer.Output]) -> [Int16] {
        output.flatMap { item -> [Int16] in
            switch item {
            case .payload(let bytes): bytes.map { Int16(Int8(bitPattern: $0)) }
            case .hole(let ticks, _, _): [Int16](repeating: 0, count: ticks)
            }
        }
    }

    /// A 4-tick packet whose 4 payload bytes all equal its sequence number's low byte.
    static func packet(_ sequence: UInt16, base: UInt32 = 1_000) -> JitterBuffer.Packet {
        let index = UInt32(sequence &- 65_530)
        return JitterBuffer.Packet(sequence: sequence, timestamp: base &+ index &* 4,
                                   payload: [UInt8](repeating: UInt8(truncatingIfNeeded: sequence), count: 4), ticks: 4)
    }

    @Test("packets in order pass straight through, across the sequence wrap")
    func inOrder() {
        var buffer = JitterBuffer()
        var out: [Int16] = []
        for sequence: UInt16 in [65_534, 65_535, 0, 1] { out += Self.samples(buffer.insert(Self.packet(sequence))) }
        #expect(out == [65_534, 65_535, 0, 1].flatMap { [Int16](repeating: Int16(truncatingIfNeeded: $0), count: 4) })
    }

    @Test("a swapped pair comes out in order")
    func reorder() {
        var buffer = JitterBuffer()
        #expect(Self.samples(buffer.insert(Self.packet(65_530))).count == 4)
        #expect(buffer.insert(Self.packet(65_532)).isEmpty)
        let out = Self.samples(buffer.insert(Self.packet(65_531)))
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

    @Test("a lost packet is given up after three later ones and its time is left as a hole")
    func loss() {
        var buffer = JitterBuffer()
        _ = buffer.insert(Self.packet(65_530))
        #expect(buffer.insert(Self.packet(65_532)).isEmpty)
        #expect(buffer.insert(Self.packet(65_533)).isEmpty)
        #expect(buffer.insert(Self.packet(65_534)).isEmpty)
        let out = Self.samples(buffer.insert(Self.packet(65_535)))
        #expect(out.count == 4 * 5, "a 4-tick hole, then four packets")
        #expect(out.prefix(4) == [0, 0, 0, 0])
        #expect(buffer.lost == 1)
    }

    @Test("a hole comes with its size, the packets lost in it and the payload after it, for the decoder to conceal")
    func holeBeforePayload() {
        var buffer = JitterBuffer()
        _ = buffer.insert(Self.packet(65_530))
        for sequence: UInt16 in [65_533, 65_534, 65_535] { #expect(buffer.insert(Self.packet(sequence)).isEmpty) }
        let out = buffer.insert(Self.packet(0))
        #expect(out.first == .hole(ticks: 8, lost: 2, next: [0xFD, 0xFD, 0xFD, 0xFD]), "two 4-tick packets lost")
        #expect(out.dropFirst().first == .payload([0xFD, 0xFD, 0xFD, 0xFD]))
        #expect(out.count == 5)
        // A timestamp jump with no sequence gap is the sender pausing (silence suppression, DTX):
        // nothing was lost, so the next payload has no FEC for the hole.
        var next = Self.packet(1)
        next.timestamp &+= 40
        #expect(buffer.insert(next) == [.hole(ticks: 40, lost: 0, next: next.payload), .payload(next.payload)])
    }

    @Test("a sender that restarts with a far sequence number is followed, not dropped")
    func resync() {
        var buffer = JitterBuffer()
        _ = buffer.insert(Self.packet(65_530))
        #expect(Self.samples(buffer.insert(Self.packet(30_000, base: 9))).count == 4)
        #expect(Self.samples(buffer.insert(Self.packet(30_001, base: 9))).count == 4)
        #expect(buffer.dropped == 0)
    }

    @Test("packets held behind a gap at the end of a talkspurt come out once they waited 60 ms")
    func timerRelease() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var buffer = JitterBuffer()
        #expect(buffer.releaseDeadline == nil)
        _ = buffer.insert(Self.packet(65_530), at: start)
        #expect(buffer.insert(Self.packet(65_532), at: start + .milliseconds(20)).isEmpty)
        #expect(buffer.insert(Self.packet(65_533), at: start + .milliseconds(40)).isEmpty)
        #expect(buffer.releaseDeadline == start + .milliseconds(80), "60 ms after the first packet was held")
        #expect(buffer.releaseExpired(at: start + .milliseconds(79)).isEmpty, "not before its time")
        let out = buffer.releaseExpired(at: start + .milliseconds(80))
        #expect(out == [.hole(ticks: 4, lost: 1, next: [0xFC, 0xFC, 0xFC, 0xFC]), .payload([0xFC, 0xFC, 0xFC, 0xFC]),
                        .payload([0xFD, 0xFD, 0xFD, 0xFD])])
        #expect(buffer.lost == 1)
        #expect(buffer.releaseDeadline == nil)
        #expect(Self.samples(buffer.insert(Self.packet(65_534), at: start + .milliseconds(100))).count == 4,
                "the stream goes on in order after the release")
    }

    @Test("a gap filled in time cancels the release")
    func timerCancelledByFill() {
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        var buffer = JitterBuffer()
        _ = buffer.insert(Self.packet(65_530), at: start)
        _ = buffer.insert(Self.packet(65_532), at: start + .milliseconds(20))
        #expect(buffer.insert(Self.packet(65_531), at: start + .milliseconds(30)).count == 2)
        #expect(buffer.releaseDeadline == nil)
        #expect(buffer.releaseExpired(at: start + .seconds(1)).isEmpty)
        #expect(buffer.lost == 0)
    }
}
