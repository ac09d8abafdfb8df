import NIOCore

/// Where a session's far end is, as a call's audio and video state both keep it: the SDP
/// address until symmetric RTP latches onto where its RTP comes from, and where its RTCP goes.
protocol RTPRemoteState {
    /// Where RTP goes.
    var remote: SocketAddress? { get set }
    var isLatched: Bool { get set }
    /// Where RTP went before a re-INVITE moved it: late packets from there must not latch us back.
    var formerRemote: SocketAddress? { get set }
    var rtcpPeer: RTCPPeer { get set }
}

extension RTPRemoteState {
    /// A re-INVITE moved the far end to `address`: RTP and RTCP go there, and symmetric RTP
    /// latches again on the next packet from anywhere but the old place.
    mutating func move(to address: SocketAddress) {
        formerRemote = remote
        remote = address
        isLatched = false
        rtcpPeer.forgetAddress()
    }

    /// RTP arrived from `source`: the first packet (not from where a re-INVITE moved us away) is where replies go.
    mutating func latch(onto source: SocketAddress) {
        guard !isLatched, source != formerRemote else { return }
        isLatched = true
        remote = source
    }
}
