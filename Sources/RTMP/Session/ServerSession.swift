import NIOCore

/// The server side of one RTMP connection as a state machine (RTMP §7.2): it reads control
/// messages and NetConnection/NetStream commands and says what to do. Publishing into and
/// playing from the hub is left to `ServerSessionHandler`.
struct ServerSession {
    /// What the handler must do.
    enum Action: Equatable {
        /// Send a message.
        case send(RTMPMessage)
        /// Start publishing `name` on message stream `streamID`.
        case publish(name: String, streamID: UInt32)
        /// Start playing `name` on message stream `streamID`.
        case play(name: String, streamID: UInt32)
        /// Stop whatever runs on message stream `streamID` (deleteStream, closeStream, FCUnpublish).
        case stop(streamID: UInt32?)
        /// Media or data for the publisher on this connection.
        case media(RTMPMessage)
        /// The client connected to `app`.
        case connected(app: String, tcUrl: String?)
    }

    /// Chunk size this server sends with: large enough that most audio frames fit one chunk.
    static let outgoingChunkSize = 4096
    /// Acknowledgement window and peer bandwidth announced to clients (what nginx-rtmp uses).
    static let window: UInt32 = 5_000_000

    /// The application the client connected to ("live"), nil before `connect`.
    private(set) var app: String?
    private var nextStreamID: UInt32 = 1
    private var control = PeerControl()

    /// Handles one message.
    /// - Throws: `RTMPError` for a malformed command or one that comes in the wrong state.
    mutating func handle(_ message: RTMPMessage) throws(RTMPError) -> [Action] {
        var actions = control.handle(message).map { Action.send($0) }
        switch message.type {
        case .commandAMF0, .commandAMF3:
            actions += try handle(Command(message: message), streamID: message.streamID)
        case .audio, .video, .dataAMF0, .dataAMF3:
            actions.append(.media(message))
        default:
            break
        }
        return actions
    }

    private mutating func handle(_ command: Command, streamID: UInt32) throws(RTMPError) -> [Action] {
        switch command.name {
        case "connect":
            guard case .string(let rawApp)? = command.object["app"] else {
                throw .protocolViolation("connect without app")
            }
            let app = Self.cleanApp(rawApp)
            self.app = app
            let result = Command(name: "_result", transactionID: command.transactionID, object: .object([
                ("fmsVer", .string("FMS/3,0,1,123")), ("capabilities", .number(31)),
            ]), arguments: [.object([
                ("level", .string("status")), ("code", .string("NetConnection.Connect.Success")),
                ("description", .string("Connection succeeded.")), ("objectEncoding", .number(0)),
            ])])
            return [
                .send(ControlMessages.windowAckSize(Self.window)),
                .send(ControlMessages.setPeerBandwidth(Self.window)),
                .send(ControlMessages.setChunkSize(Self.outgoingChunkSize)),
                .send(ControlMessages.userControl(.streamBegin, 0)),
                .connected(app: app, tcUrl: command.object["tcUrl"]?.stringValue),
                .send(result.message()),
            ]
        case "createStream":
            try requireConnected()
            let id = nextStreamID
            nextStreamID += 1
            return [.send(Command(name: "_result", transactionID: command.transactionID,
                                  arguments: [.number(Double(id))]).message())]
        case "publish":
            try requireConnected()
            guard let name = command.arguments.first?.stringValue else { throw .protocolViolation("publish without a name") }
            return [.publish(name: Self.cleanName(name), streamID: streamID)]
        case "play":
            try requireConnected()
            guard let name = command.arguments.first?.stringValue else { throw .protocolViolation("play without a name") }
            return [.play(name: Self.cleanName(name), streamID: streamID)]
        case "deleteStream":
            let id = command.arguments.first?.numberValue.flatMap { UInt32(exactly: $0.rounded()) }
            return [.stop(streamID: id)]
        case "closeStream", "FCUnpublish":
            return [.stop(streamID: streamID == 0 ? nil : streamID)] + reply(to: command)
        default:
            // releaseStream, FCPublish, getStreamLength...: an empty result keeps clients going.
            return reply(to: command)
        }
    }

    private func reply(to command: Command) -> [Action] {
        guard command.transactionID > 0 else { return [] }
        return [.send(Command(name: "_result", transactionID: command.transactionID, arguments: [.undefined]).message())]
    }

    private func requireConnected() throws(RTMPError) {
        guard app != nil else { throw .protocolViolation("command before connect") }
    }

    /// "live/" → "live"; a query ("live?token=x") is dropped.
    static func cleanApp(_ app: String) -> String {
        let path = app.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        return path.trimmingCharacters(in: "/")
    }

    /// "cam?key=x" → "cam"; an "mp4:"/"flv:" prefix is dropped.
    static func cleanName(_ name: String) -> String {
        var n = name.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        for prefix in ["flv:", "mp4:"] where n.hasPrefix(prefix) { n.removeFirst(prefix.count) }
        return n
    }
}

extension String {
    /// The string without leading and trailing characters from `set`.
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
