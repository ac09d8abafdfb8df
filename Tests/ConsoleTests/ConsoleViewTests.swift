@testable import Console
import Core
import Testing

@Suite("Console view: keys to effects")
struct ConsoleViewTests {
    let model = Fixtures.model([Fixtures.stream("cam1"), Fixtures.stream("cam2"), Fixtures.stream("lobby")])

    func view(readOnly: Bool = false) -> ConsoleView {
        var v = ConsoleView(isReadOnly: readOnly)
        v.refresh(model, now: Fixtures.now)
        return v
    }

    func type(_ text: String, into v: inout ConsoleView) -> [Effect] {
        var effects: [Effect] = []
        for c in text { effects += v.handle(.char(c), model: model, now: Fixtures.now) }
        return effects
    }

    @Test("x asks first; y terminates the selected stream, anything else cancels")
    func terminateConfirm() throws {
        var v = view()
        #expect(v.handle(.char("x"), model: model, now: Fixtures.now).isEmpty)
        guard case .confirm(let action)? = v.prompt else { Issue.record("no confirmation"); return }
        #expect(action.question == "Terminate stream cam1?")
        let effects = v.handle(.char("y"), model: model, now: Fixtures.now)
        guard case .perform(.terminate(let o))? = effects.first else { Issue.record("no terminate"); return }
        #expect(o.name == "cam1")
        _ = v.handle(.char("x"), model: model, now: Fixtures.now)
        #expect(v.handle(.char("n"), model: model, now: Fixtures.now).isEmpty)
        #expect(v.status?.text == "cancelled")
    }

    @Test("read-only mode refuses actions with a message")
    func readOnly() {
        var v = view(readOnly: true)
        #expect(v.handle(.char("x"), model: model, now: Fixtures.now).isEmpty)
        #expect(v.prompt == nil)
        #expect(v.status?.level == .warn)
        #expect(type(":terminate stream cam1\r", into: &v).isEmpty)
    }

    @Test("/ filters as it is typed; Esc clears")
    func filter() {
        var v = view()
        _ = type("/cam", into: &v)
        #expect(v.table.rows.count == 2)
        _ = v.handle(.enter, model: model, now: Fixtures.now)
        #expect(v.prompt == nil)
        #expect(v.table.rows.count == 2)
        _ = v.handle(.escape, model: model, now: Fixtures.now)
        #expect(v.table.rows.count == 3)
    }

    @Test(": commands switch tables, with Tab completion")
    func command() {
        var v = view()
        _ = type(":pul", into: &v)
        _ = v.handle(.tab, model: model, now: Fixtures.now)
        guard case .command(let text, _)? = v.prompt else { Issue.record("no prompt"); return }
        #expect(text == "pulls ")
        _ = v.handle(.enter, model: model, now: Fixtures.now)
        #expect(v.tab == .pulls)
        _ = type("2", into: &v)
        #expect(v.tab == .streams)
        _ = v.handle(.backTab, model: model, now: Fixtures.now)
        #expect(v.tab == .calls)
    }

    @Test("r toggles recording of the selected stream without asking")
    func record() {
        var v = view()
        let effects = type("jr", into: &v)
        guard case .perform(.record(let o, let start))? = effects.first else { Issue.record("no record"); return }
        #expect(o.name == "cam2")
        #expect(start)
    }

    @Test("Enter opens the detail pane, Esc goes back; q and Ctrl-C quit")
    func detail() {
        var v = view()
        _ = v.handle(.enter, model: model, now: Fixtures.now)
        #expect(v.pane == .detail(rowID: "stream/id-cam1-true", scroll: 0))
        _ = v.handle(.escape, model: model, now: Fixtures.now)
        #expect(v.pane == .table)
        guard case .quit? = v.handle(.ctrl("c"), model: model, now: Fixtures.now).first else {
            Issue.record("Ctrl-C does not quit"); return
        }
    }

    @Test("the sound prompt asks for a file, completes from the server's list, then asks loop")
    func sound() {
        let t = Transponder(mediaSessionId: "t1", localStreamName: "cam1", streamName: "rtmp_cam1",
                            rtmpUrl: "rtmp://x/live", createDate: 0)
        var m = model
        m.apply(.created(LiveObject(t)))
        var v = ConsoleView(isReadOnly: false, startTab: .transponders)
        v.refresh(m, now: Fixtures.now)
        guard case .fetchMediaList? = v.handle(.char("s"), model: m, now: Fixtures.now).first else {
            Issue.record("no media fetch"); return
        }
        v.setMediaChoices(["beep.wav", "music.wav"])
        _ = v.handle(.char("b"), model: m, now: Fixtures.now)
        _ = v.handle(.tab, model: m, now: Fixtures.now)
        _ = v.handle(.enter, model: m, now: Fixtures.now)
        guard case .perform(.soundOn(_, let file, let loop))? = v.handle(.char("y"), model: m, now: Fixtures.now).first
        else { Issue.record("no sound_on"); return }
        #expect(file == "beep.wav")
        #expect(loop)
    }
}

extension ConsoleViewTests {
    @Test("m on a call says in the status line that WCS cannot mute calls, and sends nothing")
    func muteCall() {
        var m = model
        m.apply(.created(LiveObject(Call(callId: "c1", callee: "100", createDate: 0))))
        var v = ConsoleView(isReadOnly: false, startTab: .calls)
        v.refresh(m, now: Fixtures.now)
        #expect(v.handle(.char("m"), model: m, now: Fixtures.now).isEmpty)
        #expect(v.prompt == nil)
        #expect(v.status == StatusMessage(Action.noCallMute, .warn))
    }
}

@Suite("Painter")
struct PainterTests {
    func paint(_ view: ConsoleView, _ model: LiveModel, rows: Int = 24, cols: Int = 80, ascii: Bool = false) -> TextCanvas {
        var canvas = TextCanvas(rows: rows, cols: cols)
        Painter(glyphs: ascii ? .ascii : .unicode, endpoint: "var/run/switchboard.sock")
            .paint(view, model, now: Fixtures.now, on: &canvas)
        return canvas
    }

    @Test("80x24 shows the header, all eight tables, the rows and the footer")
    func standardTerminal() {
        let model = Fixtures.model([Fixtures.stream("cam1", bitrate: 2500), Fixtures.stream("lobby")])
        var view = ConsoleView(isReadOnly: false)
        view.refresh(model, now: Fixtures.now)
        let lines = paint(view, model).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 24)
        #expect(lines[0].contains("v1.2.3"))
        #expect(lines[0].contains("pid 42"))
        #expect(lines[0].contains("up 1h00m"))
        #expect(lines[0].contains("in 3.5M"))
        for label in ["Calls", "Streams 2", "Push", "Mix", "Transc", "Pulls", "VOD", "Conns"] {
            #expect(lines[1].contains(label), "tab bar lacks \(label)")
        }
        #expect(lines[2].contains("Streams 2"))
        #expect(lines[3].hasPrefix("NAME"))
        #expect(lines[4].hasPrefix("cam1"))
        #expect(lines[4].contains("PUBLISHING"))
        #expect(lines[4].contains("1280x720"))
        #expect(lines[5].hasPrefix("lobby"))
        #expect(lines[23].contains("q quit"))
    }

    @Test("an empty table says so; a detached console says why and when it retries")
    func emptyAndDetached() {
        var model = Fixtures.model([])
        var view = ConsoleView(isReadOnly: true)
        view.refresh(model, now: Fixtures.now)
        var text = paint(view, model).text
        #expect(text.contains("no streams"))
        #expect(text.contains("READONLY"))
        model.setConnection(.detached(reason: "connection refused", retryAt: Fixtures.now + 2000))
        text = paint(view, model).text
        #expect(text.contains("DETACHED"))
        #expect(text.contains("retry in 2s"))
    }

    @Test("ASCII mode draws no non-ASCII line characters")
    func ascii() {
        let model = Fixtures.model([Fixtures.stream("cam1")])
        var view = ConsoleView(isReadOnly: false)
        view.refresh(model, now: Fixtures.now)
        let text = paint(view, model, ascii: true).text
        let isASCII = text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(isASCII)
    }

    @Test("the log pane shows records coloured by level")
    func logPane() {
        var model = Fixtures.model([Fixtures.stream("cam1")])
        model.appendLog(LogRecord(time: "2026-11-27T07:00:00.123Z", level: "error", label: "switchboard.rtmp",
                                  message: "publish failed", metadata: ["stream": "cam1"]))
        var view = ConsoleView(isReadOnly: false)
        view.log.isVisible = true
        view.refresh(model, now: Fixtures.now)
        let canvas = paint(view, model)
        guard let row = canvas.lines.firstIndex(where: { String($0).contains("publish failed") }) else {
            Issue.record("log line missing"); return
        }
        #expect(String(canvas.lines[row]).contains("07:00:00.123 ERRO switchboard.rtmp publish failed stream=cam1"))
        #expect(canvas.roles[row][0] == .logError)
    }

    @Test("column layout never exceeds the terminal width", arguments: [40, 60, 80, 100, 160])
    func layoutFits(width: Int) {
        for tab in Tab.allCases {
            let widths = TextFit.layout(Renderers.renderer(for: tab).columns, total: width)
            let shown = widths.filter { $0 > 0 }
            #expect(shown.reduce(0, +) + shown.count - 1 <= width, "\(tab) at \(width)")
        }
    }

    @Test("text fits by display width with an ellipsis")
    func fit() {
        #expect(TextFit.fit("stage-left", 6) == "stage…")
        #expect(TextFit.fit("ab", 4, .right) == "  ab")
        #expect(TextFit.width("日本") == 4)
        #expect(TextFit.truncate("日本語", 5) == "日本…")
        #expect(TextFit.wrap("abcdef", 4) == ["abcd", "ef"])
    }
}
