/// What goes wrong in the SIP module.
public enum SIPError: Error, Sendable, Equatable {
    /// sofia-sip could not start (no free port, bind failure).
    case agentFailed(String)
    /// An SDP body could not be used; the text says why (no audio, no common codec...).
    case badSDP(String)
    /// An RTP packet is malformed; the text says why.
    case badRTP(String)
    /// No media ports are left in the configured range.
    case noMediaPorts
}
