import Core

/// Turns H.264 access units from any FFmpeg source (Annex B or AVCC, parameter sets in
/// extradata or only in-band) into what the stream hub carries: AVCC access units plus an
/// AVCDecoderConfigurationRecord whenever the SPS/PPS first appear or change.
public struct H264Packager: VideoPackaging {
    public var codec: MediaCodec { .h264 }
    /// The current decoder configuration record, once SPS and PPS are known.
    public private(set) var record: [UInt8]?

    /// - Parameter extradata: the stream's extradata (avcC or Annex B), possibly empty.
    public init(extradata: [UInt8]) {
        if let sets = AVCFormat.parameterSets(extradata: extradata) {
            record = AVCFormat.decoderConfigurationRecord(sps: sets.sps, pps: sets.pps)
        }
    }

    /// The AVCC form of one access unit, and a new configuration record when this unit
    /// carried parameter sets that differ from the current ones.
    public mutating func package(_ bytes: [UInt8]) -> (record: [UInt8]?, payload: [UInt8], isKeyframe: Bool) {
        let units = AVCFormat.units(bytes)
        var newRecord: [UInt8]?
        if let sps = units.first(where: { AVCFormat.type($0) == AVCFormat.sps }),
           let pps = units.first(where: { AVCFormat.type($0) == AVCFormat.pps }) {
            let candidate = AVCFormat.decoderConfigurationRecord(sps: sps, pps: pps)
            if candidate != record {
                record = candidate
                newRecord = candidate
            }
        }
        let kept = units.filter { AVCFormat.type($0) != AVCFormat.accessUnitDelimiter }
        let isKeyframe = units.contains { AVCFormat.type($0) == AVCFormat.idr }
        return (newRecord, AVCFormat.joinAVCC(kept), isKeyframe)
    }
}
