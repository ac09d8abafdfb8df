import Media
import Synchronization

/// What a call hears from us: silence, a sound file (`/call/inject_sound`) or the audio of a
/// hub stream (`/call/inject_stream`), as mono samples at the call's rate (its first codec's,
/// set once the call is answered) taken one RTP frame at a time.
///
/// The RTP sender takes frames on its clock; a stream tap adds samples on its own thread.
/// Live samples wait in a queue of at most `maxLiveSamples` (500 ms); beyond that the oldest go
/// (the publisher runs ahead of our clock, or a cached GOP arrived at once) and are counted.
final class CallAudioFeed: Sendable {
    private enum Source {
        case silence
        case clip(samples: [Int16], position: Int, isLooping: Bool)
        case live(generation: Int)
    }

    private struct State {
        var source = Source.silence
        var live: [Int16] = []
        var generation = 0
        var tap: StreamPCMTap?
        var droppedSamples = 0
        var sampleRate = 8_000
    }

    private let state = Mutex(State())

    /// Plays `samples` from the start, again and again when `isLooping`, then silence.
    /// - Returns: the stream tap this replaces, for the caller to stop.
    func play(_ samples: [Int16], isLooping: Bool) -> StreamPCMTap? {
        state.withLock { s in
            s.generation += 1
            s.live.removeAll()
            s.source = samples.isEmpty ? .silence : .clip(samples: samples, position: 0, isLooping: isLooping)
            defer { s.tap = nil }
            return s.tap
        }
    }

    /// Starts a live source; pass the generation to `appendLive` and `attach`.
    /// - Returns: the new generation and the tap it replaces, for the caller to stop.
    func beginLive() -> (generation: Int, replaced: StreamPCMTap?) {
        state.withLock { s in
            s.generation += 1
            s.live.removeAll()
            s.source = .live(generation: s.generation)
            defer { s.tap = nil }
            return (s.generation, s.tap)
        }
    }

    /// Keeps the tap of live source `generation`.
    /// - Returns: false when that source was replaced meanwhile (the caller stops the tap).
    func attach(_ tap: StreamPCMTap, generation: Int) -> Bool {
        state.withLock { s in
            guard case .live(let current) = s.source, current == generation else { return false }
            s.tap = tap
            return true
        }
    }

    /// Adds decoded samples of live source `generation` (ignored once it was replaced).
    func appendLive(_ samples: [Int16], generation: Int) {
        state.withLock { s in
            guard case .live(let current) = s.source, current == generation else { return }
            s.live.append(contentsOf: samples)
            let excess = s.live.count - s.sampleRate / 2 // maxLiveSamples, under the lock already held
            if excess > 0 {
                s.live.removeFirst(excess)
                s.droppedSamples += excess
            }
        }
    }

    /// The live source `generation` ended (its stream stopped): back to silence.
    func endLive(generation: Int) {
        state.withLock { s in
            guard case .live(let current) = s.source, current == generation else { return }
            s.source = .silence
            s.live.removeAll()
            s.tap = nil
        }
    }

    /// Ends the feed at the end of the call.
    /// - Returns: the tap to stop, if a stream was playing.
    func stop() -> StreamPCMTap? {
        state.withLock { s in
            s.generation += 1
            s.source = .silence
            s.live.removeAll()
            defer { s.tap = nil }
            return s.tap
        }
    }

    /// The call's PCM rate: what sounds and streams are converted to (8 kHz until set).
    var sampleRate: Int {
        get { state.withLock { $0.sampleRate } }
        set { state.withLock { $0.sampleRate = newValue } }
    }

    /// Longest live backlog: 500 ms. More only adds delay to what the call hears.
    var maxLiveSamples: Int { sampleRate / 2 }

    /// Live samples dropped because the backlog was full.
    var droppedSamples: Int { state.withLock { $0.droppedSamples } }

    /// true while a sound file or a stream plays.
    var isPlaying: Bool {
        state.withLock { s in
            if case .silence = s.source { return false }
            return true
        }
    }

    /// The next `count` samples; silence fills what the source lacks.
    func nextFrame(count: Int) -> [Int16] {
        state.withLock { s in
            var frame: [Int16] = []
            frame.reserveCapacity(count)
            switch s.source {
            case .silence:
                break
            case .clip(let samples, var position, let isLooping):
                while frame.count < count, position < samples.count {
                    let take = min(count - frame.count, samples.count - position)
                    frame += samples[position..<(position + take)]
                    position += take
                    if position == samples.count, isLooping { position = 0 }
                }
                s.source = position < samples.count ? .clip(samples: samples, position: position, isLooping: isLooping)
                    : .silence
            case .live:
                let take = min(count, s.live.count)
                frame += s.live[..<take]
                s.live.removeFirst(take)
            }
            if frame.count < count { frame += repeatElement(0, count: count - frame.count) }
            return frame
        }
    }
}
