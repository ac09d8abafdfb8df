import Core

/// Silence as AAC hub packets, for muting a transponder: the receiver keeps its audio track
/// (same codec, rate and channels as `SoundFile`) but hears nothing.
public final class SilenceSource {
    private let encoding: AACEncoding
    private var nextMilliseconds: Int64

    /// - Parameter startMilliseconds: timestamp of the first silent packet (continue the stream's clock).
    /// - Throws: `MediaError` when the AAC encoder cannot be opened.
    public init(startMilliseconds: Int64) throws(MediaError) {
        encoding = try AACEncoding()
        nextMilliseconds = startMilliseconds
    }

    /// The AudioSpecificConfig packet to send before the first silent packet.
    public var configPacket: MediaPacket { encoding.configPacket }

    /// Silent packets covering the time up to `milliseconds` (call it as the stream's clock advances).
    /// - Throws: `MediaError` when encoding fails.
    public func packets(until milliseconds: Int64) throws(MediaError) -> [MediaPacket] {
        guard milliseconds > nextMilliseconds else { return [] }
        let span = Int(milliseconds - nextMilliseconds)
        defer { nextMilliseconds = milliseconds }
        return try encoding.silence(startMilliseconds: nextMilliseconds, milliseconds: span)
    }
}

/// A silence source belongs to the one thread that feeds a transponder.
@available(*, unavailable) extension SilenceSource: Sendable {}
