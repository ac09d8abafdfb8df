import Core

/// Turns access units from any FFmpeg source (Annex B or length-prefixed, parameter sets in
/// extradata or only in-band) into what the stream hub carries: length-prefixed access units
/// plus a decoder configuration record whenever the parameter sets first appear or change.
protocol VideoPackaging {
    /// The hub codec of the packets.
    var codec: MediaCodec { get }
    /// The current decoder configuration record, once the parameter sets are known.
    var record: [UInt8]? { get }
    /// The hub form of one access unit, and a new configuration record when this unit
    /// carried parameter sets that differ from the current ones.
    mutating func package(_ bytes: [UInt8]) -> (record: [UInt8]?, payload: [UInt8], isKeyframe: Bool)
}

/// The packager for an FFmpeg codec name ("h264", "hevc"), or nil for other codecs.
func videoPackager(codecName: String, extradata: [UInt8]) -> (any VideoPackaging)? {
    switch codecName {
    case "h264": H264Packager(extradata: extradata)
    case "hevc": H265Packager(extradata: extradata)
    default: nil
    }
}

/// The H.265 packager: hvcC records, length-prefixed access units, IRAP pictures as keyframes.
struct H265Packager: VideoPackaging {
    var codec: MediaCodec { .h265 }
    private(set) var record: [UInt8]?

    /// - Parameter extradata: the stream's extradata (hvcC or Annex B), possibly empty.
    init(extradata: [UInt8]) {
        if let sets = HEVCFormat.parameterSets(extradata: extradata) {
            record = HEVCFormat.decoderConfigurationRecord(vps: sets.vps, sps: sets.sps, pps: sets.pps)
        }
    }

    mutating func package(_ bytes: [UInt8]) -> (record: [UInt8]?, payload: [UInt8], isKeyframe: Bool) {
        let units = AVCFormat.units(bytes)
        var newRecord: [UInt8]?
        if let sets = HEVCFormat.parameterSets(extradata: AVCFormat.annexB(units)),
           let candidate = HEVCFormat.decoderConfigurationRecord(vps: sets.vps, sps: sets.sps, pps: sets.pps),
           candidate != record {
            record = candidate
            newRecord = candidate
        }
        let kept = units.filter { HEVCFormat.type($0) != HEVCFormat.accessUnitDelimiter }
        return (newRecord, AVCFormat.joinAVCC(kept), units.contains(where: HEVCFormat.isRandomAccess))
    }
}
