import NIOCore
import Synchronization

/// A packet's encoded forms, shared by every subscriber of one protocol: the first RTMP player
/// that sends a packet chunk-encodes it and the others reuse the bytes, so fan-out costs one
/// encoding per packet instead of one per player. Keys are chosen by the sink (e.g. message
/// stream ID and chunk size); copies of a packet share one cache.
public final class WireCache: Sendable {
    private let entries = Mutex<[Int: ByteBuffer]>([:])

    /// Makes an empty cache.
    public init() {}

    /// The bytes stored under `key`, made by `make` on first use.
    public func bytes(for key: Int, make: () -> ByteBuffer) -> ByteBuffer {
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let made = make()
        return entries.withLock { entries in
            if let raced = entries[key] { return raced }
            entries[key] = made
            return made
        }
    }
}
