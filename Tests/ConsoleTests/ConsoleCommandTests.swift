@testable import Console
import Core
import Testing

@Suite("Console commands")
struct ConsoleCommandTests {
    @Test("-x commands parse with explicit targets", arguments: [
        ("streams", ConsoleCommand.show(.streams)),
        ("st", .show(.streams)),
        ("push", .show(.transponders)),
        ("terminate stream cam1", .terminate(tab: .streams, target: "cam1")),
        ("kill cam1", .terminate(tab: nil, target: "cam1")),
        ("record start cam1", .record(true, target: "cam1")),
        ("record cam1", .record(nil, target: "cam1")),
        ("mute t-1", .mute(true, target: "t-1")),
        ("unmute t-1", .mute(false, target: "t-1")),
        ("sound t-1 beep.wav loop", .soundOn(target: "t-1", file: "beep.wav", loop: true)),
        ("sound off t-1", .soundOff(target: "t-1")),
        ("push cam1 rtmp://h/live", .push(target: "cam1", rtmpURL: "rtmp://h/live")),
        ("snapshot cam1 a.png", .snapshot(target: "cam1", file: "a.png")),
        ("q", .quit),
    ])
    func oneShot(line: String, expected: ConsoleCommand) throws {
        #expect(try ConsoleCommand.parse(line, hasSelection: false) == expected)
    }

    @Test("in the UI a missing target means the selection")
    func selection() throws {
        #expect(try ConsoleCommand.parse("push rtmp://h/live", hasSelection: true) == .push(target: nil, rtmpURL: "rtmp://h/live"))
        #expect(try ConsoleCommand.parse("snapshot", hasSelection: true) == .snapshot(target: nil, file: nil))
        #expect(try ConsoleCommand.parse("snapshot x.png", hasSelection: true) == .snapshot(target: nil, file: "x.png"))
        #expect(try ConsoleCommand.parse("x", hasSelection: true) == .terminate(tab: nil, target: nil))
    }

    @Test("bad commands explain themselves", arguments: ["terminate", "frobnicate", "push cam1", "record", ""])
    func usage(line: String) {
        #expect(throws: ConsoleError.self) { try ConsoleCommand.parse(line, hasSelection: false) }
    }

    @Test("completion offers commands and tables by prefix")
    func completion() {
        #expect(ConsoleCommand.completions("st") == ["streams"])
        #expect(ConsoleCommand.completions("s").contains("snapshot"))
        #expect(ConsoleCommand.commonPrefix(["transcoders", "transponders"]) == "trans")
    }

    @Test("targets resolve by id or name; the publisher wins among a stream's players")
    func resolve() throws {
        let model = Fixtures.model([Fixtures.stream("cam1"), Fixtures.stream("cam1", published: false)])
        let o = try Resolver.resolve("cam1", in: [.streams], model: model)
        #expect((o.typed as? Core.Stream)?.published == true)
        #expect(throws: ConsoleError.self) { try Resolver.resolve("nope", in: [.streams], model: model) }
        let action = try ConsoleView.action(for: .terminate(tab: .streams, target: "cam1"), selected: nil, tab: nil, model: model)
        let request = try action.request()
        #expect(request.path == "stream/terminate")
        #expect(request.body["mediaSessionId"] == .string(o.id))
    }

    @Test("actions map to the WCS REST methods")
    func requests() throws {
        let t = LiveObject(Transponder(mediaSessionId: "t1", localStreamName: "cam1", streamName: "rtmp_cam1",
                                       rtmpUrl: "rtmp://x/live", createDate: 0))
        #expect(try Action.mute(t, true).request().path == "push/mute")
        #expect(try Action.soundOn(t, file: "a.wav", loop: true).request().body["loop"] == .bool(true))
        #expect(try Action.terminate(t).request().path == "push/terminate")
        let s = LiveObject(Fixtures.stream("cam1"))
        #expect(try Action.record(s, start: false).request().path == "stream/stopRecording")
        #expect(throws: ConsoleError.self) { try Action.mute(s, true).request() }
    }
}
