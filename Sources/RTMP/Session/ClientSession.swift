import NIOCore

/// The client side of one RTMP connection as a state machine: connect, createStream, then
/// publish or play (RTMP §7.2.1–7.2.2), and the control messages around them.
struct ClientSession {
    /// What the connection is for.
    enum Mode: Equatable {
        /// Publish `name` to the far end.
        case publish(String)
        /// Play `name` from the far end.
        case play(String)
    }

    /// What the handler must do.
    enum Action: Equatable {
        /// Send a message.
        case send(RTMPMessage)
        /// Publishing or playing has started on message stream `streamID`.
        case started(streamID: UInt32)
        /// Media or data from the far end (play mode).
        case media(RTMPMessage)
        /// The far end refused or ended the session; carries its status code.
        case failed(String)
    }

    private enum Phase { case connecting, creatingStream, starting, running }

    private let url: RTMPURL
    private let mode: Mode
    private var phase = Phase.connecting
    private(set) var streamID: UInt32 = 0
    private var control = PeerControl()

    init(url: RTMPURL, mode: Mode) {
        self.url = url
        self.mode = mode
    }

    /// What to send once the handshake is done.
    func start() -> [Action] {
        let connect = Command(name: "connect", transactionID: 1, object: .object([
            ("app", .string(url.connectApp)), ("type", .string("nonprivate")),
            ("flashVer", .string("FMLE/3.0 (compatible; Switchboard)")), ("tcUrl", .string(url.tcUrl)),
            ("fpad", .boolean(false)), ("capabilities", .number(15)), ("audioCodecs", .number(3191)),
            ("videoCodecs", .number(252)), ("videoFunction", .number(1)),
        ]))
        return [.send(ControlMessages.setChunkSize(ServerSession.outgoingChunkSize)), .send(connect.message())]
    }

    /// Handles one message from the far end.
    /// - Throws: `RTMPError.malformedAMF0` for an undecodable command.
    mutating func handle(_ message: RTMPMessage) throws(RTMPError) -> [Action] {
        var actions = control.handle(message).map { Action.send($0) }
        switch message.type {
        case .commandAMF0, .commandAMF3:
            actions += handle(try Command(message: message))
        case .audio, .video, .dataAMF0, .dataAMF3:
            if phase == .running, case .play = mode { actions.append(.media(message)) }
        default:
            break
        }
        return actions
    }

    private mutating func handle(_ command: Command) -> [Action] {
        switch (command.name, phase) {
        case ("_result", .connecting) where command.transactionID == 1:
            phase = .creatingStream
            var out: [Action] = []
            if case .publish(let name) = mode {
                out.append(.send(Command(name: "releaseStream", transactionID: 2, arguments: [.string(name)]).message()))
                out.append(.send(Command(name: "FCPublish", transactionID: 3, arguments: [.string(name)]).message()))
            }
            out.append(.send(Command(name: "createStream", transactionID: 4).message()))
            return out
        case ("_result", .creatingStream) where command.transactionID == 4:
            streamID = command.arguments.first?.numberValue.flatMap { UInt32(exactly: $0.rounded()) } ?? 1
            phase = .starting
            switch mode {
            case .publish(let name):
                return [.send(Command(name: "publish", transactionID: 5, arguments: [.string(name), .string("live")])
                    .message(streamID: streamID, chunkStreamID: RTMPMessage.Channel.data))]
            case .play(let name):
                return [
                    .send(Command(name: "play", transactionID: 5, arguments: [.string(name), .number(-2000)])
                        .message(streamID: streamID, chunkStreamID: RTMPMessage.Channel.data)),
                    .send(ControlMessages.setBufferLength(streamID: streamID, milliseconds: 3000)),
                ]
            }
        case ("_error", _):
            return [.failed(command.statusCode ?? "_error")]
        case ("onStatus", _):
            let code = command.statusCode ?? ""
            if command.arguments.first?["level"]?.stringValue == "error" { return [.failed(code)] }
            if phase == .starting, code == "NetStream.Publish.Start" || code == "NetStream.Play.Start" {
                phase = .running
                return [.started(streamID: streamID)]
            }
            if code == "NetStream.Play.Stop" || code == "NetStream.Play.UnpublishNotify" || code == "NetStream.Unpublish.Success" {
                return [.failed(code)]
            }
            return []
        default:
            return []
        }
    }

    /// The message that stops publishing or playing politely before closing.
    func goodbye() -> [RTMPMessage] {
        guard streamID != 0 else { return [] }
        var out: [RTMPMessage] = []
        if case .publish(let name) = mode {
            out.append(Command(name: "FCUnpublish", transactionID: 6, arguments: [.string(name)]).message())
        }
        out.append(Command(name: "deleteStream", transactionID: 7, arguments: [.number(Double(streamID))]).message())
        return out
    }
}
