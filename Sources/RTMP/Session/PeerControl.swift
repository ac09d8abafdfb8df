import NIOCore

/// What both ends of a connection do with the peer's protocol control messages, whatever the
/// session is for: count the bytes received and acknowledge each window of them (RTMP §5.4.3,
/// §5.4.4), and answer ping requests (§7.1.7). `ServerSession` and `ClientSession` each keep one.
struct PeerControl {
    private var ackWindow: UInt32 = 0
    private var received: UInt64 = 0
    private var lastAck: UInt64 = 0

    /// Counts `message` and takes in its control content; returns the messages to send back
    /// (an Acknowledgement once a window's worth arrived, a ping response), in order. The
    /// count is message bytes plus a 12-byte header estimate per message, since the chunk
    /// layer is below the sessions; peers use acknowledgements only for flow estimates.
    mutating func handle(_ message: RTMPMessage) -> [RTMPMessage] {
        received += UInt64(message.payload.readableBytes + 12)
        var replies: [RTMPMessage] = []
        if ackWindow > 0, received - lastAck >= UInt64(ackWindow) {
            lastAck = received
            replies.append(ControlMessages.acknowledgement(UInt32(truncatingIfNeeded: received)))
        }
        switch message.type {
        case .windowAckSize:
            ackWindow = ControlMessages.uint32Value(of: message) ?? 0
        case .userControl:
            var payload = message.payload
            if payload.readInteger(as: UInt16.self) == ControlMessages.UserControlEvent.pingRequest.rawValue,
               let time = payload.readInteger(as: UInt32.self) {
                replies.append(ControlMessages.userControl(.pingResponse, time))
            }
        default:
            break
        }
        return replies
    }
}
