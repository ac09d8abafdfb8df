import Testing

@testable import SIP

@Suite("VideoTimeline")
struct VideoTimelineTests {
    @Test("the first picture sits at its arrival, later ones at their 90 kHz distance, across the wrap")
    func distance() {
        var timeline = VideoTimeline()
        let start = UInt32.max - 1_799
        #expect(timeline.milliseconds(timestamp: start, arrival: 120) == 120)
        #expect(timeline.milliseconds(timestamp: start &+ 3_600, arrival: 999) == 160)
        #expect(timeline.milliseconds(timestamp: start &+ 90_000, arrival: 999) == 1_120)
    }

    @Test("a backward step keeps the last time; a jump of more than 10 s starts again at the arrival")
    func jumps() {
        var timeline = VideoTimeline()
        #expect(timeline.milliseconds(timestamp: 90_000, arrival: 0) == 0)
        #expect(timeline.milliseconds(timestamp: 86_400, arrival: 10) == 0)
        #expect(timeline.milliseconds(timestamp: 3_000_000_000, arrival: 500) == 500)
        #expect(timeline.milliseconds(timestamp: 3_000_003_600, arrival: 900) == 540)
    }
}
