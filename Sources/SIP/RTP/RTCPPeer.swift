import NIOCore

/// What we know of the far end's RTCP: where it comes from (we answer there, symmetric RTP)
/// and its last sender report, for the LSR and DLSR fields of our reports (RFC 3550 §6.4.1).
struct RTCPPeer {
    /// Where its RTCP came from last, nil before any.
    private(set) var address: SocketAddress?
    private var lastSenderReport: (ntpMiddle: UInt32, arrival: NIODeadline)?

    /// Takes note of one incoming RTCP packet.
    mutating func received(_ envelope: AddressedEnvelope<ByteBuffer>, at now: NIODeadline) {
        address = envelope.remoteAddress
        if let middle = RTCPReport.senderReportNTPMiddle(envelope.data) { lastSenderReport = (middle, now) }
    }

    /// Where our reports go: where its RTCP comes from, else its RTP port + 1 (RFC 3550 §11);
    /// nil when that address cannot be formed (the report is skipped).
    func reportTarget(forRTP remote: SocketAddress) -> SocketAddress? {
        if let address { return address }
        guard let ip = remote.ipAddress else { return nil }
        return try? SocketAddress(ipAddress: ip, port: (remote.port ?? 0) + 1)
    }

    /// Forgets where its RTCP came from (a re-INVITE moved the media).
    mutating func forgetAddress() { address = nil }

    /// LSR and DLSR (in 1/65536 s) for a report sent `now`; zeros before any sender report.
    func senderReportTimes(at now: NIODeadline) -> (lsr: UInt32, dlsr: UInt32) {
        guard let last = lastSenderReport else { return (0, 0) }
        return (last.ntpMiddle, UInt32(clamping: (now - last.arrival).nanoseconds * 65_536 / 1_000_000_000))
    }
}
