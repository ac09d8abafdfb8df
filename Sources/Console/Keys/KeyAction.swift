/// What a key does, named so the key map, the footer and the help screen share one table.
public enum Command: Hashable, Sendable {
    case quit, help, back, openDetail, command, filter
    case showTab(Tab), nextTab, previousTab
    case up, down, pageUp, pageDown, top, bottom
    case sortNext, sortPrevious, sortReverse
    case toggleLog, cycleLogLevel, toggleFollow, toggleWrap, logFocus
    case terminate, toggleMute, soundOn, soundOff, toggleRecording
    case redraw
}

/// One binding, k9s style: key, command, a description for footer and help, and options.
public struct KeyAction: Sendable, Equatable {
    /// The key.
    public var key: Key
    /// What it does.
    public var command: Command
    /// The short text the footer shows.
    public var description: String
    /// The longer text the help screen shows.
    public var help: String
    /// Destructive: asks y/n first, and is left out in read-only mode.
    public var isDangerous: Bool
    /// Changes server state (all actions): left out in read-only mode.
    public var isAction: Bool
    /// Shown in the footer (help lists every binding).
    public var isVisible: Bool

    /// A binding; `dangerous` implies `action`.
    public init(_ key: Key, _ command: Command, _ description: String, help: String? = nil,
                dangerous: Bool = false, action: Bool = false, visible: Bool = true) {
        self.key = key
        self.command = command
        self.description = description
        self.help = help ?? description
        self.isDangerous = dangerous
        self.isAction = action || dangerous
        self.isVisible = visible
    }
}

/// The bindings of a screen, looked up by key; built from data, never from scattered `switch`es.
public struct KeyMap: Sendable {
    public private(set) var actions: [KeyAction]
    private var byKey: [Key: Int] = [:]

    /// A map of `actions`; later bindings of a key win.
    public init(_ actions: [KeyAction]) {
        self.actions = []
        for action in actions { add(action) }
    }

    /// Adds a binding; a later binding of the same key replaces the earlier one.
    public mutating func add(_ action: KeyAction) {
        if let i = byKey[action.key] { actions[i] = action } else {
            byKey[action.key] = actions.count
            actions.append(action)
        }
    }

    /// The binding of `key`, if any.
    public func action(for key: Key) -> KeyAction? { byKey[key].map { actions[$0] } }

    /// The map without the bindings that change server state (`--readonly`).
    public func readOnly() -> KeyMap { KeyMap(actions.filter { !$0.isAction }) }

    /// The visible bindings as `key description` pairs, for the footer.
    public var hints: [(key: String, description: String, isDangerous: Bool)] {
        actions.filter(\.isVisible).map { ($0.key.label, $0.description, $0.isDangerous) }
    }

    /// The table screen's bindings.
    public static let table: KeyMap = {
        var list: [KeyAction] = [
            KeyAction(.char("?"), .help, "help", help: "this list of keys"),
            KeyAction(.char(":"), .command, "cmd", help: "command line (Tab completes)"),
            KeyAction(.char("/"), .filter, "filter", help: "filter rows (a|b alternatives, !x inverts)"),
            KeyAction(.enter, .openDetail, "detail", help: "every field of the selected object"),
            KeyAction(.char("x"), .terminate, "kill", help: "terminate the selected object (asks y/n)", dangerous: true),
            KeyAction(.char("r"), .toggleRecording, "rec", help: "start / stop recording the selected stream", action: true),
            KeyAction(.char("m"), .toggleMute, "mute", help: "mute / unmute the selected transponder or call", action: true),
            KeyAction(.char("s"), .soundOn, "sound", help: "inject a sound file into the selected transponder", action: true),
            KeyAction(.char("S"), .soundOff, "sound off", help: "stop the injected sound", action: true, visible: false),
            KeyAction(.char("l"), .toggleLog, "log", help: "show / hide the server log"),
            KeyAction(.char("L"), .cycleLogLevel, "log level", help: "cycle the lowest log level shown", visible: false),
            KeyAction(.char("f"), .toggleFollow, "follow", help: "follow / pause the log", visible: false),
            KeyAction(.char("w"), .toggleWrap, "wrap", help: "wrap long log lines", visible: false),
            KeyAction(.char("<"), .sortPrevious, "sort by previous column", visible: false),
            KeyAction(.char(">"), .sortNext, "sort by next column", visible: false),
            KeyAction(.char("o"), .sortReverse, "reverse sort order", visible: false),
            KeyAction(.tab, .nextTab, "next table", visible: false),
            KeyAction(.backTab, .previousTab, "previous table", visible: false),
            KeyAction(.up, .up, "up", visible: false), KeyAction(.char("k"), .up, "up", visible: false),
            KeyAction(.down, .down, "down", visible: false), KeyAction(.char("j"), .down, "down", visible: false),
            KeyAction(.pageUp, .pageUp, "page up", visible: false),
            KeyAction(.pageDown, .pageDown, "page down", visible: false),
            KeyAction(.home, .top, "first row", visible: false), KeyAction(.char("g"), .top, "first row", visible: false),
            KeyAction(.end, .bottom, "last row", visible: false), KeyAction(.char("G"), .bottom, "last row", visible: false),
            KeyAction(.ctrl("l"), .redraw, "redraw the screen", visible: false),
            KeyAction(.escape, .back, "clear filter / back", visible: false),
            KeyAction(.char("q"), .quit, "quit", help: "quit the console (the server keeps running)"),
            KeyAction(.ctrl("c"), .quit, "quit the console (the server keeps running)", visible: false),
        ]
        for tab in Tab.allCases {
            guard let digit = "12345678".dropFirst(tab.rawValue).first else { continue }
            list.append(KeyAction(.char(digit), .showTab(tab), tab.title, visible: false))
        }
        return KeyMap(list)
    }()

    /// The detail and help screens' bindings.
    public static let pane = KeyMap([
        KeyAction(.escape, .back, "back"), KeyAction(.char("q"), .back, "back"),
        KeyAction(.up, .up, "scroll", visible: false), KeyAction(.down, .down, "scroll", visible: false),
        KeyAction(.char("k"), .up, "scroll", visible: false), KeyAction(.char("j"), .down, "scroll", visible: false),
        KeyAction(.pageUp, .pageUp, "page up", visible: false), KeyAction(.pageDown, .pageDown, "page down", visible: false),
        KeyAction(.ctrl("c"), .quit, "quit", visible: false),
    ])
}
