import Core
import NIOCore

/// Maps hub packets back to RTMP message bodies (FLV tag bodies, FLV spec v10 §E.4.2–E.4.3).
enum FromHub {
    /// The message for a packet on `streamID`, with `timestamp` (milliseconds) in place of the
    /// packet's own, so that sessions can keep their output monotonic.
    static func message(for packet: MediaPacket, streamID: UInt32, timestamp: UInt32,
                        allocator: ByteBufferAllocator) -> RTMPMessage? {
        switch (packet.kind, packet.codec) {
        case (.video, .h264):
            var body = allocator.buffer(capacity: packet.payload.readableBytes + 5)
            let cts = Int32(clamping: packet.pts - packet.dts) & 0xFF_FFFF
            body.writeInteger(UInt8(packet.isKeyframe ? 0x17 : 0x27))
            body.writeInteger(UInt8(packet.isConfig ? 0 : 1))
            body.writeBytes([UInt8(cts >> 16 & 0xFF), UInt8(cts >> 8 & 0xFF), UInt8(cts & 0xFF)])
            var payload = packet.payload
            body.writeBuffer(&payload)
            return RTMPMessage(chunkStreamID: RTMPMessage.Channel.video, type: .video, streamID: streamID,
                               timestamp: timestamp, payload: body)
        case (.audio, .aac):
            var body = allocator.buffer(capacity: packet.payload.readableBytes + 2)
            let flags: UInt8 = ToHub.aacSoundFormat << 4 | 0x0F  // 44 kHz, 16-bit, stereo: fixed for AAC
            body.writeInteger(flags)
            body.writeInteger(UInt8(packet.isConfig ? 0 : 1))
            var payload = packet.payload
            body.writeBuffer(&payload)
            return RTMPMessage(chunkStreamID: RTMPMessage.Channel.audio, type: .audio, streamID: streamID,
                               timestamp: timestamp, payload: body)
        case (.video, .flv):
            return RTMPMessage(chunkStreamID: RTMPMessage.Channel.video, type: .video, streamID: streamID,
                               timestamp: timestamp, payload: packet.payload)
        case (.audio, .flv):
            return RTMPMessage(chunkStreamID: RTMPMessage.Channel.audio, type: .audio, streamID: streamID,
                               timestamp: timestamp, payload: packet.payload)
        case (.data, .amf0):
            return RTMPMessage(chunkStreamID: RTMPMessage.Channel.data, type: .dataAMF0, streamID: streamID,
                               timestamp: timestamp, payload: packet.payload)
        case (.data, _), (.video, _), (.audio, _):
            return nil
        }
    }

    /// The data message a publishing client sends for metadata: `@setDataFrame` before the packet's AMF0.
    static func setDataFrame(for packet: MediaPacket, streamID: UInt32) -> RTMPMessage {
        var body = ByteBuffer()
        body.writeAMF0(.string("@setDataFrame"))
        var payload = packet.payload
        body.writeBuffer(&payload)
        return RTMPMessage(chunkStreamID: RTMPMessage.Channel.data, type: .dataAMF0, streamID: streamID,
                           timestamp: 0, payload: body)
    }
}
