/// Errors of the RTMP module.
public enum RTMPError: Error, Sendable, Equatable {
    /// The peer sent bytes that do not follow the protocol; the text says where.
    case protocolViolation(String)
}
