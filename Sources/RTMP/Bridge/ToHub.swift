import Core
import NIOCore

/// Maps RTMP audio, video and data messages (FLV tag bodies, FLV spec v10 §E.4.2–E.4.3) to hub
/// packets. H.264 and AAC are unpacked; anything else FLV carries passes through whole.
enum ToHub {
    /// FLV codec ID of AVC (H.264) in a video tag.
    static let avcCodecID: UInt8 = 7
    /// FLV sound format of AAC in an audio tag.
    static let aacSoundFormat: UInt8 = 10

    /// The hub packet for a message, or nil for messages that carry no media (empty tags,
    /// AVC end-of-sequence, data other than metadata).
    static func packet(from message: RTMPMessage) -> MediaPacket? {
        let ts = Int64(message.timestamp)
        var body = message.payload
        switch message.type {
        case .video:
            guard let first = body.getInteger(at: body.readerIndex, as: UInt8.self) else { return nil }
            let isKey = first >> 4 == 1
            guard first & 0x0F == avcCodecID, first & 0x80 == 0 else {
                return MediaPacket(kind: .video, codec: .flv(first), dts: ts, isKeyframe: isKey, payload: body)
            }
            guard body.readableBytes >= 5, let header = body.readBytes(length: 5) else { return nil }
            var cts = Int32(header[2]) << 16 | Int32(header[3]) << 8 | Int32(header[4])
            if cts & 0x80_0000 != 0 { cts -= 0x100_0000 }
            switch header[1] {
            case 0:
                return MediaPacket(kind: .video, codec: .h264, dts: ts, isKeyframe: true, isConfig: true, payload: body)
            case 1:
                return MediaPacket(kind: .video, codec: .h264, dts: ts, pts: ts + Int64(cts), isKeyframe: isKey,
                                   payload: body)
            default:
                return nil
            }
        case .audio:
            guard let first = body.getInteger(at: body.readerIndex, as: UInt8.self) else { return nil }
            guard first >> 4 == aacSoundFormat else {
                return MediaPacket(kind: .audio, codec: .flv(first), dts: ts, isKeyframe: true, payload: body)
            }
            guard body.readableBytes >= 2, let header = body.readBytes(length: 2) else { return nil }
            return MediaPacket(kind: .audio, codec: .aac, dts: ts, isKeyframe: true, isConfig: header[1] == 0,
                               payload: body)
        case .dataAMF0, .dataAMF3:
            return metadata(from: message)
        default:
            return nil
        }
    }

    /// `@setDataFrame("onMetaData", {...})` or `onMetaData({...})` as a data packet whose payload
    /// is the AMF0 of `"onMetaData", {...}` (the form players receive); nil for other data.
    static func metadata(from message: RTMPMessage) -> MediaPacket? {
        var body = message.payload
        if message.type == .dataAMF3 { body.moveReaderIndex(forwardBy: 1) }
        let start = body.readerIndex
        // Data that is not well-formed AMF0 is not metadata; it is dropped, not an error.
        guard case .string(let first)? = try? body.readAMF0() else { return nil }
        var payload: ByteBuffer
        if first == "@setDataFrame" {
            payload = body.slice()
            guard case .string("onMetaData")? = try? payload.readAMF0() else { return nil }
            payload = body.slice()
        } else if first == "onMetaData" {
            body.moveReaderIndex(to: start)
            payload = body.slice()
        } else {
            return nil
        }
        return MediaPacket(kind: .data, codec: .amf0, dts: Int64(message.timestamp), isKeyframe: true, payload: payload)
    }
}
