import CFFmpeg

/// A time base or frame rate: `numerator / denominator` (FFmpeg's AVRational, without the C type).
public struct Rational: Sendable, Hashable, CustomStringConvertible {
    public var numerator: Int32
    public var denominator: Int32

    /// - Parameters:
    ///   - numerator: top of the fraction.
    ///   - denominator: bottom of the fraction; 0 means "unknown".
    public init(_ numerator: Int32, _ denominator: Int32) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Milliseconds: the time base of RTMP/FLV timestamps.
    public static let milliseconds = Rational(1, 1000)
    /// 90 kHz: the RTP video clock.
    public static let rtpVideo = Rational(1, 90000)

    /// The value as a Double (0 when the denominator is 0).
    public var doubleValue: Double { denominator == 0 ? 0 : Double(numerator) / Double(denominator) }

    /// `value` in this time base re-expressed in `other`, rounded to nearest.
    public func rescale(_ value: Int64, to other: Rational) -> Int64 {
        av_rescale_q(value, av, other.av)
    }

    public var description: String { "\(numerator)/\(denominator)" }

    var av: AVRational { AVRational(num: numerator, den: denominator) }
    init(_ av: AVRational) { self.init(av.num, av.den) }
}
