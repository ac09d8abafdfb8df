import NIOCore
import Synchronization

/// RTCP: our reports, and the far end's sender reports' times.
extension RTPSession {
    /// Sends a sender report when we sent RTP since the last report, else a receiver report
    /// once something arrived (RFC 3550 §6.4); nothing before either.
    func sendReport() {
        let now = NIODeadline.now()
        let report = state.withLock { s -> (SocketAddress, RTCPReport.Content)? in
            guard let remote = s.remote else { return nil }
            let sender = s.sendCounts.senderInfo(rtpTimestamp: s.timestamp(at: now))
            let content = RTCPReport.Content(ssrc: s.ssrc, sender: sender, block: s.stats.block())
            guard let report = s.rtcpPeer.address(content, forRTP: remote, at: now) else { return nil }
            s.sentReports += 1
            if content.sender != nil { s.sentSenderReports += 1 }
            return report
        }
        guard let (target, content) = report else { return }
        let packet = RTCPReport.compound(content, cname: sockets.cname,
                                         allocator: rtcp.allocator)
        rtcp.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: packet), promise: nil)
    }

    /// Notes where the far end's RTCP comes from and the time of its sender reports.
    func receiveRTCP(_ envelope: AddressedEnvelope<ByteBuffer>) {
        let now = NIODeadline.now()
        state.withLock { $0.rtcpPeer.received(envelope, at: now) }
    }
}
