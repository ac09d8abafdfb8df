import NIOCore
import Testing

@testable import SIP

@Suite("KeyframeRequester")
struct KeyframeRequesterTests {
    static func at(_ ms: Int64) -> NIODeadline { .uptimeNanoseconds(UInt64(1_000_000_000 + ms * 1_000_000)) }

    /// Whether the requester asks at each of `times` (ms).
    static func asks(_ r: inout KeyframeRequester, at times: [Int64]) -> [Bool] {
        times.map { r.shouldRequest(at: at($0)) }
    }

    @Test("it asks at once, then once a second until a keyframe arrives")
    func untilKeyframe() {
        var r = KeyframeRequester()
        #expect(Self.asks(&r, at: [0, 500, 1_000]) == [true, false, true])
        r.keyframeArrived()
        #expect(Self.asks(&r, at: [5_000]) == [false])
        #expect(r.requests == 2)
    }

    @Test("a lost picture asks again after the minimum gap, not the full retry interval")
    func afterLoss() {
        var r = KeyframeRequester()
        #expect(Self.asks(&r, at: [0]) == [true])
        r.keyframeArrived()
        r.pictureLost(at: Self.at(100))
        #expect(Self.asks(&r, at: [200, 300]) == [false, true])
        r.pictureLost(at: Self.at(350))
        #expect(Self.asks(&r, at: [400, 600]) == [false, true])
    }
}
