import Testing

@testable import SIP

@Suite("CallAudioFeed")
struct CallAudioFeedTests {
    @Test("silence until something plays, then the clip in frames, then silence again")
    func clipThenSilence() {
        let feed = CallAudioFeed()
        #expect(feed.nextFrame(count: 4) == [0, 0, 0, 0])
        _ = feed.play([1, 2, 3, 4, 5, 6], isLooping: false)
        #expect(feed.isPlaying)
        #expect(feed.nextFrame(count: 4) == [1, 2, 3, 4])
        #expect(feed.nextFrame(count: 4) == [5, 6, 0, 0])
        #expect(!feed.isPlaying)
        #expect(feed.nextFrame(count: 4) == [0, 0, 0, 0])
    }

    @Test("a looping clip wraps around inside a frame and keeps playing")
    func loop() {
        let feed = CallAudioFeed()
        _ = feed.play([1, 2, 3], isLooping: true)
        #expect(feed.nextFrame(count: 4) == [1, 2, 3, 1])
        #expect(feed.nextFrame(count: 4) == [2, 3, 1, 2])
        #expect(feed.isPlaying)
    }

    @Test("live samples of a replaced source are ignored, and an ended source falls back to silence")
    func liveGenerations() {
        let feed = CallAudioFeed()
        let first = feed.beginLive().generation
        feed.appendLive([7, 7], generation: first)
        let second = feed.beginLive().generation
        feed.appendLive([9, 9], generation: first)
        feed.appendLive([5], generation: second)
        #expect(feed.nextFrame(count: 3) == [5, 0, 0])
        feed.endLive(generation: first)
        #expect(feed.isPlaying)
        feed.endLive(generation: second)
        #expect(!feed.isPlaying)
    }

    @Test("a live backlog beyond 500 ms drops its oldest samples and counts them")
    func backlog() {
        let feed = CallAudioFeed()
        let generation = feed.beginLive().generation
        feed.appendLive(Array(repeating: 1, count: feed.maxLiveSamples), generation: generation)
        feed.appendLive([2, 3], generation: generation)
        #expect(feed.droppedSamples == 2)
        var last: [Int16] = []
        for _ in 0..<(feed.maxLiveSamples / 160) { last = feed.nextFrame(count: 160) }
        #expect(last.suffix(2) == [2, 3])
    }
}
