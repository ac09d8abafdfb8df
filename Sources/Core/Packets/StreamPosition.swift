/// Where a packet sits in its published stream, set by the hub as it sends the packet. A sink
/// that sends a packet as a delta from the previous one of the same kind (RTMP players' shared
/// chunks with format-1 headers) checks with it that its subscriber got that previous packet.
public struct StreamPosition: Sendable, Equatable {
    /// The packet's number in its stream, from 1.
    public let sequence: Int64
    /// The number of the previous packet of the same kind; 0 for the first of its kind.
    public let previousSequence: Int64
    /// The decode time of that previous packet, in milliseconds.
    public let previousDtsMilliseconds: Int64
}
