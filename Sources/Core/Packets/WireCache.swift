import NIOCore
import Synchronization

/// A packet's encoded forms, shared by every subscriber of one protocol: the first RTMP player
/// that sends a packet chunk-encodes it and the others reuse the bytes, so fan-out costs one
/// encoding per packet instead of one per player. Keys are chosen by the sink (e.g. message
/// stream ID and chunk size); copies of a packet share one cache.
public final class WireCache: Sendable {
    /// Almost every packet has one form (one protocol, one chunk size), so the first is kept
    /// apart from the others: the lookup every player makes is then a key comparison.
    private struct Entries {
        var first: (key: Int, bytes: ByteBuffer)?
        var others: [Int: ByteBuffer] = [:]

        func bytes(for key: Int) -> ByteBuffer? {
            if let first, first.key == key { return first.bytes }
            return others.isEmpty ? nil : others[key]
        }
    }

    private let entries = Mutex(Entries())

    /// Makes an empty cache.
    public init() {}

    /// The bytes stored under `key`, made by `make` on first use.
    public func bytes(for key: Int, make: () -> ByteBuffer) -> ByteBuffer {
        if let cached = entries.withLock({ $0.bytes(for: key) }) { return cached }
        let made = make()
        return entries.withLock { entries in
            if let raced = entries.bytes(for: key) { return raced }
            if entries.first == nil {
                entries.first = (key, made)
            } else {
                entries.others[key] = made
            }
            return made
        }
    }
}
