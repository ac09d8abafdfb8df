import CFFmpeg

/// One encoded access unit, owning an `AVPacket` (freed in deinit).
///
/// Timestamps are in `timeBase`, which travels with the packet because demuxers,
/// encoders and muxers each use their own.
public final class Packet {
    let pointer: UnsafeMutablePointer<AVPacket>
    /// The time base of `pts`, `dts` and `duration`.
    public var timeBase: Rational

    /// An empty packet (to be filled by a demuxer or an encoder).
    /// - Throws: `MediaError.outOfMemory` when FFmpeg cannot allocate it.
    public init(timeBase: Rational = .milliseconds) throws(MediaError) {
        guard let packet = av_packet_alloc() else { throw .outOfMemory("AVPacket") }
        pointer = packet
        self.timeBase = timeBase
    }

    /// A packet holding a copy of `bytes`.
    /// - Parameters:
    ///   - bytes: the encoded access unit (Annex B or AVCC for H.264, raw AAC...).
    ///   - pts: presentation time in `timeBase`, nil for none.
    ///   - dts: decoding time in `timeBase`, nil for none.
    ///   - isKeyframe: sets AV_PKT_FLAG_KEY.
    ///   - timeBase: the unit of the timestamps.
    /// - Throws: `MediaError` when the buffer cannot be allocated.
    public convenience init(
        bytes: some Collection<UInt8>, pts: Int64?, dts: Int64?, isKeyframe: Bool, timeBase: Rational
    ) throws(MediaError) {
        try self.init(timeBase: timeBase)
        try check(av_new_packet(pointer, Int32(bytes.count)), "av_new_packet")
        if let data = pointer.pointee.data {
            let buffer = UnsafeMutableBufferPointer(start: data, count: bytes.count)
            _ = buffer.initialize(from: bytes)
        }
        self.pts = pts
        self.dts = dts
        self.isKeyframe = isKeyframe
    }

    deinit { var packet: UnsafeMutablePointer<AVPacket>? = pointer; av_packet_free(&packet) }

    /// Presentation time in `timeBase`, nil when unknown.
    public var pts: Int64? {
        get { pointer.pointee.pts == noPTS ? nil : pointer.pointee.pts }
        set { pointer.pointee.pts = newValue ?? noPTS }
    }

    /// Decoding time in `timeBase`, nil when unknown.
    public var dts: Int64? {
        get { pointer.pointee.dts == noPTS ? nil : pointer.pointee.dts }
        set { pointer.pointee.dts = newValue ?? noPTS }
    }

    /// Duration in `timeBase` (0 when unknown).
    public var duration: Int64 {
        get { pointer.pointee.duration }
        set { pointer.pointee.duration = newValue }
    }

    /// The index of the stream this packet belongs to (demuxer input or muxer output).
    public var streamIndex: Int {
        get { Int(pointer.pointee.stream_index) }
        set { pointer.pointee.stream_index = Int32(newValue) }
    }

    /// true when the packet starts a decodable picture sequence.
    public var isKeyframe: Bool {
        get { pointer.pointee.flags & AV_PKT_FLAG_KEY != 0 }
        set {
            if newValue { pointer.pointee.flags |= AV_PKT_FLAG_KEY } else { pointer.pointee.flags &= ~AV_PKT_FLAG_KEY }
        }
    }

    /// Payload size in bytes.
    public var size: Int { Int(pointer.pointee.size) }

    /// A copy of the payload.
    public var bytes: [UInt8] {
        guard let data = pointer.pointee.data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Calls `body` with the payload without copying it.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: pointer.pointee.data, count: size))
    }

    /// Re-expresses the timestamps in `newTimeBase`.
    public func rescale(to newTimeBase: Rational) {
        guard newTimeBase != timeBase else { return }
        av_packet_rescale_ts(pointer, timeBase.av, newTimeBase.av)
        timeBase = newTimeBase
    }

    /// Drops the payload and timestamps so the packet can be reused.
    func reset() { av_packet_unref(pointer) }
}

/// Packets belong to the one pipeline thread that uses them.
@available(*, unavailable) extension Packet: Sendable {}
