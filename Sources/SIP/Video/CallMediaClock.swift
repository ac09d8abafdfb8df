import Synchronization

/// The zero of a call's hub stream timeline: the arrival of its first media, audio or video.
/// Audio times count samples from its first packet, so when audio is first (the usual case:
/// a phone's first picture takes longer to encode) both tracks share the same zero; a picture
/// that comes first starts at 0 and the audio is late by the difference (tens of ms).
final class CallMediaClock: Sendable {
    private let start = Mutex<ContinuousClock.Instant?>(nil)

    /// Milliseconds since the first media; the first call starts the clock.
    @discardableResult
    func now() -> Int64 {
        let now = ContinuousClock.now
        let origin = start.withLock { value in
            if value == nil { value = now }
            return value ?? now
        }
        let elapsed = (now - origin).components
        return elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
    }
}
