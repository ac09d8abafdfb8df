import NIOCore
import Testing

@testable import RTMP

@Suite("server session")
struct ServerSessionTests {
    static func command(_ name: String, _ txn: Double, _ object: AMF0Value = .null, _ args: [AMF0Value] = [],
                        stream: UInt32 = 0) -> RTMPMessage {
        Command(name: name, transactionID: txn, object: object, arguments: args).message(streamID: stream)
    }

    @Test("connect, createStream and publish give the replies and actions a publisher needs")
    func publishFlow() throws {
        var session = ServerSession()
        let connect = try session.handle(Self.command("connect", 1, .object([("app", .string("live/")),
                                                                             ("tcUrl", .string("rtmp://h/live"))])))
        #expect(connect.contains(.connected(app: "live", tcUrl: "rtmp://h/live")))
        let replies = connect.compactMap { action -> Command? in
            guard case .send(let m) = action, m.type == .commandAMF0 else { return nil }
            return try? Command(message: m)  // non-command sends are control messages
        }
        #expect(replies.first?.name == "_result" && replies.first?.statusCode == "NetConnection.Connect.Success")
        let created = try session.handle(Self.command("createStream", 2))
        guard case .send(let m)? = created.first else { Issue.record("no createStream result"); return }
        #expect(try Command(message: m).arguments == [.number(1)])
        let publish = try session.handle(Self.command("publish", 0, .null, [.string("cam?token=1"), .string("live")], stream: 1))
        #expect(publish == [.publish(name: "cam", streamID: 1)])
    }

    @Test("commands before connect are refused")
    func beforeConnect() {
        var session = ServerSession()
        #expect(throws: RTMPError.protocolViolation("command before connect")) {
            try session.handle(Self.command("play", 0, .null, [.string("x")], stream: 1))
        }
    }

    @Test("a ping request gets a ping response")
    func ping() throws {
        var session = ServerSession()
        let actions = try session.handle(ControlMessages.userControl(.pingRequest, 1234))
        #expect(actions == [.send(ControlMessages.userControl(.pingResponse, 1234))])
    }

    @Test("deleteStream with a non-number or absurd id stops nothing in particular and never traps",
          arguments: [AMF0Value.number(.nan), .number(-1), .number(1e300), .string("x")])
    func deleteStream(arg: AMF0Value) throws {
        var session = ServerSession()
        #expect(try session.handle(Self.command("deleteStream", 0, .null, [arg])) == [.stop(streamID: nil)])
    }
}
