import NIOCore

/// Protocol control (RTMP §5.4) and user control (RTMP §6.2, §7.1.7) messages.
enum ControlMessages {
    /// User control event types (RTMP §7.1.7).
    enum UserControlEvent: UInt16 {
        case streamBegin = 0
        case streamEOF = 1
        case streamDry = 2
        case setBufferLength = 3
        case streamIsRecorded = 4
        case pingRequest = 6
        case pingResponse = 7
    }

    /// Set Chunk Size (§5.4.1).
    static func setChunkSize(_ size: Int) -> RTMPMessage {
        uint32(.setChunkSize, UInt32(size))
    }

    /// Acknowledgement of `bytes` received so far (§5.4.3).
    static func acknowledgement(_ bytes: UInt32) -> RTMPMessage {
        uint32(.acknowledgement, bytes)
    }

    /// Window Acknowledgement Size (§5.4.4).
    static func windowAckSize(_ size: UInt32) -> RTMPMessage {
        uint32(.windowAckSize, size)
    }

    /// Set Peer Bandwidth with limit type 2, dynamic (§5.4.5).
    static func setPeerBandwidth(_ size: UInt32) -> RTMPMessage {
        var payload = ByteBuffer()
        payload.writeInteger(size)
        payload.writeInteger(UInt8(2))
        return RTMPMessage(chunkStreamID: RTMPMessage.Channel.control, type: .setPeerBandwidth, payload: payload)
    }

    /// A user control event with one 32-bit argument (stream ID or timestamp).
    static func userControl(_ event: UserControlEvent, _ value: UInt32) -> RTMPMessage {
        var payload = ByteBuffer()
        payload.writeInteger(event.rawValue)
        payload.writeInteger(value)
        return RTMPMessage(chunkStreamID: RTMPMessage.Channel.control, type: .userControl, payload: payload)
    }

    /// The 32-bit value a Set Chunk Size, Acknowledgement or Window Acknowledgement Size carries.
    static func uint32Value(of message: RTMPMessage) -> UInt32? {
        message.payload.getInteger(at: message.payload.readerIndex, as: UInt32.self)
    }

    private static func uint32(_ type: RTMPMessage.TypeID, _ value: UInt32) -> RTMPMessage {
        var payload = ByteBuffer()
        payload.writeInteger(value)
        return RTMPMessage(chunkStreamID: RTMPMessage.Channel.control, type: type, payload: payload)
    }
}

extension ControlMessages {
    /// Set Buffer Length (user control event 3, RTMP §7.1.7): stream ID and buffer in milliseconds.
    static func setBufferLength(streamID: UInt32, milliseconds: UInt32) -> RTMPMessage {
        var payload = ByteBuffer()
        payload.writeInteger(UserControlEvent.setBufferLength.rawValue)
        payload.writeInteger(streamID)
        payload.writeInteger(milliseconds)
        return RTMPMessage(chunkStreamID: RTMPMessage.Channel.control, type: .userControl, payload: payload)
    }
}
