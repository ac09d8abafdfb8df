import Core
import Media
import NIOCore

/// Takes the H.264 pictures of a hub stream for sending into a call: NAL units per picture,
/// starting at a keyframe, with SPS and PPS put in front of every keyframe (a phone joins at
/// one and has no other way to get them), and an RTP timestamp from the presentation time.
struct HubVideoReader {
    private var parameterSets: [ArraySlice<UInt8>] = []
    private var hasStarted = false
    private let timestampBase = UInt32.random(in: 0...UInt32.max)

    /// The NAL units and 90 kHz RTP timestamp of a hub packet, nil for what is not sent
    /// (configuration, other tracks and codecs, pictures before the first keyframe).
    mutating func picture(_ packet: MediaPacket) -> (units: [ArraySlice<UInt8>], timestamp: UInt32)? {
        guard packet.kind == .video, packet.codec == .h264 else { return nil }
        let bytes = packet.payload.getBytes(at: packet.payload.readerIndex, length: packet.payload.readableBytes) ?? []
        if packet.isConfig {
            if let sets = AVCFormat.parameterSets(extradata: bytes) { parameterSets = [sets.sps, sets.pps] }
            return nil
        }
        guard hasStarted || packet.isKeyframe else { return nil }
        hasStarted = true
        var units = AVCFormat.splitAVCC(bytes)
        if packet.isKeyframe, !units.contains(where: { AVCFormat.type($0) == AVCFormat.sps }) {
            units = parameterSets + units
        }
        let ticks = packet.ptsMilliseconds * VideoTimeline.clockRate / 1000
        return (units, timestampBase &+ UInt32(truncatingIfNeeded: ticks))
    }
}
