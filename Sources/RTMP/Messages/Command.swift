import NIOCore

/// An AMF0 command message (RTMP §7.1.1, §7.2): name, transaction ID, command object and arguments.
struct Command: Equatable {
    /// Command name ("connect", "publish", "_result", "onStatus").
    var name: String
    /// Transaction ID; 0 for commands that need no answer.
    var transactionID: Double
    /// The command object (often null).
    var object: AMF0Value
    /// Further arguments.
    var arguments: [AMF0Value]

    init(name: String, transactionID: Double, object: AMF0Value = .null, arguments: [AMF0Value] = []) {
        self.name = name
        self.transactionID = transactionID
        self.object = object
        self.arguments = arguments
    }

    /// Decodes a command message (type 20, or 17 whose body starts with an AMF3 format byte 0).
    /// - Throws: `RTMPError.malformedAMF0` when the body is not a command.
    init(message: RTMPMessage) throws(RTMPError) {
        var payload = message.payload
        if message.type == .commandAMF3, payload.getInteger(at: payload.readerIndex, as: UInt8.self) == 0 {
            payload.moveReaderIndex(forwardBy: 1)
        }
        let values = try payload.readAMF0All()
        guard let name = values.first?.stringValue else { throw .malformedAMF0("command without a name") }
        self.name = name
        self.transactionID = values.count > 1 ? values[1].numberValue ?? 0 : 0
        self.object = values.count > 2 ? values[2] : .null
        self.arguments = Array(values.dropFirst(3))
    }

    /// The message carrying this command on `streamID`.
    func message(streamID: UInt32 = 0, chunkStreamID: UInt32 = RTMPMessage.Channel.command) -> RTMPMessage {
        var payload = ByteBuffer()
        payload.writeAMF0(.string(name))
        payload.writeAMF0(.number(transactionID))
        payload.writeAMF0(object)
        for argument in arguments { payload.writeAMF0(argument) }
        return RTMPMessage(chunkStreamID: chunkStreamID, type: .commandAMF0, streamID: streamID, payload: payload)
    }

    /// An `onStatus` event (RTMP §7.2.2) with level, code and description.
    static func onStatus(level: String = "status", code: String, description: String) -> Command {
        Command(name: "onStatus", transactionID: 0, object: .null, arguments: [
            .object([("level", .string(level)), ("code", .string(code)), ("description", .string(description))]),
        ])
    }

    /// The status code an `onStatus` or `_error` carries, if any.
    var statusCode: String? {
        arguments.first?["code"]?.stringValue ?? object["code"]?.stringValue
    }
}
