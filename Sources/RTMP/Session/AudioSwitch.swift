import Core
import Synchronization

/// A transponder's `AudioReplacer`, shared between the REST side (mute, sound_on, …) and the
/// connection's event loop that writes packets. It outlives connections.
final class AudioSwitch: Sendable {
    /// What replaces the stream's audio, as shown by the `Transponder` object.
    enum Mode: Sendable, Equatable {
        case stream, muted, sound
    }

    private struct State {
        var replacer = AudioReplacer()
        var mode = Mode.stream
    }

    private let state = Mutex(State())

    /// What plays now.
    var mode: Mode { state.withLock { $0.mode } }

    /// Plays `clip` in place of the stream's audio (see `AudioReplacer.replace`).
    func replace(with clip: AudioClip, loop: Bool, then tail: AudioClip?, mode: Mode) {
        state.withLock {
            $0.replacer.replace(with: clip, loop: loop, then: tail)
            $0.mode = mode
        }
    }

    /// Returns to the stream's audio when `mode` is what plays; returns whether it did.
    @discardableResult
    func restore(from mode: Mode) -> Bool {
        state.withLock {
            guard $0.mode == mode else { return false }
            $0.replacer.restore()
            $0.mode = .stream
            return true
        }
    }

    /// A new connection starts (see `AudioReplacer.startSegment`).
    func startSegment() {
        state.withLock { $0.replacer.startSegment() }
    }

    /// What to send for `packet` (see `AudioReplacer.process`).
    func process(_ packet: MediaPacket) -> [MediaPacket] {
        state.withLock { $0.replacer.process(packet) }
    }
}
