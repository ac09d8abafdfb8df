import NIOCore

/// The packets since the last video keyframe, so a new subscriber starts on a keyframe at once.
/// Audio-only streams cache nothing: any audio packet is a valid start.
struct GOPCache {
    /// Most packets kept; a longer GOP stops being cached until the next keyframe, so a
    /// stream with a huge or missing keyframe interval cannot grow memory without bound.
    static let maxPackets = 1_500
    /// Most payload bytes kept, for the same reason (32 MiB).
    static let maxBytes = 32 << 20

    private(set) var packets: [MediaPacket] = []
    private var bytes = 0
    private var isOverflowed = false

    /// Adds a media packet: a video keyframe starts a new GOP.
    mutating func add(_ packet: MediaPacket) {
        guard !packet.isEssential else { return }
        if packet.kind == .video, packet.isKeyframe {
            packets.removeAll(keepingCapacity: true)
            bytes = 0
            isOverflowed = false
        } else if packets.isEmpty || isOverflowed {
            return
        }
        if packets.count >= Self.maxPackets || bytes + packet.payload.readableBytes > Self.maxBytes {
            packets.removeAll()
            bytes = 0
            isOverflowed = true
            return
        }
        packets.append(packet)
        bytes += packet.payload.readableBytes
    }
}
