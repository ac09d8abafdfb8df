import Foundation
import NIOCore

/// What a session sent, for the sender info of its reports (RFC 3550 §6.4.1); shared by a
/// call's audio and video.
struct RTPSendCounts {
    /// RTP packets sent since the session started.
    private(set) var packets = 0
    /// Their payload octets (headers and padding not counted).
    private(set) var octets = 0
    /// `packets` at the last report: more since then makes the next one a sender report.
    private var packetsAtReport = 0

    /// Counts packets sent with `octets` of payload in all.
    mutating func sent(packets count: Int = 1, octets: Int) {
        packets += count
        self.octets += octets
    }

    /// The sender info of a report sent now, when RTP went out since the last one (this report
    /// then becomes the last); nil otherwise, or when the RTP clock has no time for now yet.
    mutating func senderInfo(rtpTimestamp: UInt32?) -> RTCPReport.SenderInfo? {
        guard packets > packetsAtReport, let rtpTimestamp else { return nil }
        packetsAtReport = packets
        return RTCPReport.SenderInfo(ntpTime: RTCPReport.ntpTime(unixSeconds: Date().timeIntervalSince1970),
                                     rtpTimestamp: rtpTimestamp, packets: UInt32(truncatingIfNeeded: packets),
                                     octets: UInt32(truncatingIfNeeded: octets))
    }
}

extension RTCPPeer {
    /// Completes a report for sending now: where it goes and its LSR/DLSR. nil when it would
    /// say nothing (no sender info and no report block) or has nowhere to go.
    func address(_ content: RTCPReport.Content, forRTP remote: SocketAddress,
                 at now: NIODeadline) -> (SocketAddress, RTCPReport.Content)? {
        guard content.sender != nil || content.block != nil, let target = reportTarget(forRTP: remote) else { return nil }
        var content = content
        (content.lastSR, content.delaySinceLastSR) = senderReportTimes(at: now)
        return (target, content)
    }
}
