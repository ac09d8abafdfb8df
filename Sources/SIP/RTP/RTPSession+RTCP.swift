import Foundation
import NIOCore
import Synchronization

/// RTCP: our reports, and the far end's sender reports' times.
extension RTPSession {
    /// Sends a sender report when we sent RTP since the last report, else a receiver report
    /// once something arrived (RFC 3550 §6.4); nothing before either.
    func sendReport() {
        let now = NIODeadline.now()
        let wallclock = Date().timeIntervalSince1970
        let report = state.withLock { s -> (SocketAddress, RTCPReport.Content)? in
            guard let remote = s.remote else { return nil }
            var content = RTCPReport.Content(ssrc: s.ssrc, block: s.stats.block())
            if s.sentPackets > s.sentPacketsAtReport, let rtpTimestamp = s.timestamp(at: now) {
                content.sender = RTCPReport.SenderInfo(
                    ntpTime: RTCPReport.ntpTime(unixSeconds: wallclock), rtpTimestamp: rtpTimestamp,
                    packets: UInt32(truncatingIfNeeded: s.sentPackets),
                    octets: UInt32(truncatingIfNeeded: s.sentOctets))
                s.sentPacketsAtReport = s.sentPackets
            }
            guard content.sender != nil || content.block != nil else { return nil }
            guard let target = s.rtcpPeer.reportTarget(forRTP: remote) else { return nil }
            (content.lastSR, content.delaySinceLastSR) = s.rtcpPeer.senderReportTimes(at: now)
            s.sentReports += 1
            if content.sender != nil { s.sentSenderReports += 1 }
            return (target, content)
        }
        guard let (target, content) = report else { return }
        let packet = RTCPReport.compound(content, cname: "switchboard@\(rtcp.localAddress?.ipAddress ?? "")",
                                         allocator: rtcp.allocator)
        rtcp.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: packet), promise: nil)
    }

    /// Notes where the far end's RTCP comes from and the time of its sender reports.
    func receiveRTCP(_ envelope: AddressedEnvelope<ByteBuffer>) {
        let now = NIODeadline.now()
        state.withLock { $0.rtcpPeer.received(envelope, at: now) }
    }
}
