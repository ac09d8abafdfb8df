import CFFmpeg
import Synchronization

/// Lets another thread abort a blocking FFmpeg call (a read from a stalled RTSP camera)
/// through FFmpeg's interrupt callback.
public final class InterruptFlag: Sendable {
    private let isSet = Atomic<Bool>(false)

    public init() {}

    /// Makes the blocked call (and every later one) return AVERROR_EXIT.
    public func interrupt() { isSet.store(true, ordering: .relaxed) }

    /// true once `interrupt()` was called.
    public var isInterrupted: Bool { isSet.load(ordering: .relaxed) }

    /// The C callback record; `opaque` is this object, kept alive by the owner of the context.
    var callback: AVIOInterruptCB {
        AVIOInterruptCB(
            callback: { opaque in
                guard let opaque else { return 0 }
                return Unmanaged<InterruptFlag>.fromOpaque(opaque).takeUnretainedValue().isInterrupted ? 1 : 0
            },
            opaque: Unmanaged.passUnretained(self).toOpaque())
    }
}
