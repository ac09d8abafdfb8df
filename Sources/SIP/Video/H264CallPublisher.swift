import Core
import Media
import NIOCore

/// Turns a call's H.264 access units into hub packets: AVCC pictures with keyframe flags and
/// an AVC decoder configuration record whenever SPS/PPS appear or change (the `H264Packager`
/// every video source uses), at times on the call's media clock. Pictures before the first
/// keyframe with known parameter sets are held back: nothing could decode them.
struct H264CallPublisher {
    private var packager: H264Packager
    private var timeline = VideoTimeline()
    private var isStarted = false
    /// A record from the SDP's sprop-parameter-sets, sent with the first picture.
    private var pendingRecord: [UInt8]?

    /// Pictures published so far.
    private(set) var published = 0
    /// Pictures held back while waiting for the first keyframe.
    private(set) var skipped = 0

    /// - Parameter parameterSets: SPS and PPS announced in the SDP, possibly none.
    init(parameterSets: [[UInt8]]) {
        packager = H264Packager(extradata: AVCFormat.annexB(parameterSets.map { $0[...] }))
        pendingRecord = packager.record
    }

    /// The hub packets of one access unit (none while waiting for the first keyframe).
    /// - Parameters:
    ///   - arrival: the call media clock's time now (places the first picture).
    mutating func packets(for unit: H264Depacketizer.AccessUnit, arrival: Int64) -> [MediaPacket] {
        let (record, payload, isKeyframe) = packager.package(AVCFormat.joinAVCC(unit.units.map { $0[...] }))
        if let record { pendingRecord = record }
        guard isStarted || (isKeyframe && packager.record != nil) else {
            skipped += 1
            return []
        }
        isStarted = true
        let dts = timeline.milliseconds(timestamp: unit.timestamp, arrival: arrival)
        var out: [MediaPacket] = []
        if let config = pendingRecord {
            pendingRecord = nil
            out.append(MediaPacket(kind: .video, codec: .h264, dts: dts, timebase: 1000, isKeyframe: true,
                                   isConfig: true, payload: ByteBuffer(bytes: config)))
        }
        published += 1
        out.append(MediaPacket(kind: .video, codec: .h264, dts: dts, timebase: 1000, isKeyframe: isKeyframe,
                               payload: ByteBuffer(bytes: payload)))
        return out
    }
}
