import Core
import Foundation
import Logging

/// The console's UI state and its reaction to keys: a pure value. The screen draws it; the
/// program carries out the effects it returns. Nothing here touches the terminal or the network.
public struct ConsoleView: Sendable {
    public private(set) var tab: Tab = .streams
    public internal(set) var tables: [Tab: TableModel]
    public internal(set) var pane: Pane = .table
    public internal(set) var prompt: Prompt?
    public internal(set) var status: StatusMessage?
    /// The log pane's settings.
    public var log = LogPaneState()
    /// `--readonly`: actions refused.
    public let isReadOnly: Bool
    /// The table bindings in force (without actions when read-only).
    public let keys: KeyMap
    /// Rows the table shows per page (set by the screen from the terminal size).
    public var pageSize = 10
    /// Resyncs of the model already reported in the status line.
    private var reportedResyncs = 0

    /// A view on `startTab` with empty tables.
    public init(isReadOnly: Bool, startTab: Tab = .streams) {
        self.isReadOnly = isReadOnly
        self.keys = isReadOnly ? KeyMap.table.readOnly() : KeyMap.table
        self.tab = startTab
        var tables: [Tab: TableModel] = [:]
        for t in Tab.allCases { tables[t] = TableModel(columns: Renderers.renderer(for: t).columns) }
        self.tables = tables
    }

    /// The current table.
    public var table: TableModel { tables[tab] ?? TableModel(columns: []) }

    /// Re-renders the current table's rows from `model`.
    public mutating func refresh(_ model: LiveModel, now: Int64) {
        tables[tab]?.setRows(Renderers.rows(tab, model: model, now: now))
        tables[tab]?.scroll(toFit: pageSize)
        if model.resyncCount > reportedResyncs {
            reportedResyncs = model.resyncCount
            setStatus("the server dropped events for this console (too slow): snapshot re-taken", .warn)
        }
    }

    /// Shows a status message.
    public mutating func setStatus(_ text: String, _ level: StatusMessage.Level) { status = StatusMessage(text, level) }

    /// Records an action's outcome.
    public mutating func finish(_ result: Result<String, ConsoleError>) {
        switch result {
        case .success(let text): setStatus(text, .ok)
        case .failure(let error): setStatus(error.description, .error)
        }
    }

    /// The server's media files arrived (nil: it cannot list them; the prompt stays free text).
    public mutating func setMediaChoices(_ choices: [String]?) {
        guard case .soundFile(let o, let text, _)? = prompt else { return }
        prompt = .soundFile(o, text, choices: FileCompletion(files: choices))
    }

    /// The object of the selected row in `model`.
    public func selectedObject(_ model: LiveModel) -> LiveObject? {
        guard let id = table.selectedRow?.id else { return nil }
        return Self.object(rowID: id, model)
    }

    /// The object a row id names.
    public static func object(rowID: String, _ model: LiveModel) -> LiveObject? {
        guard let slash = rowID.firstIndex(of: "/"), let kind = ObjectKind(rawValue: String(rowID[..<slash])) else {
            return nil
        }
        return model.objects[kind]?[String(rowID[rowID.index(after: slash)...])]
    }

    // MARK: keys

    /// Reacts to one key.
    /// - Returns: what the program must do.
    public mutating func handle(_ key: Key, model: LiveModel, now: Int64) -> [Effect] {
        if key == .resize { return [.redrawAll] }
        if key == .ctrl("c") { return [.quit] }  // everywhere, prompts included: it only quits the console
        if prompt != nil { return handlePrompt(key, model: model, now: now) }
        switch pane {
        case .table: break
        case .detail, .help:
            guard let action = KeyMap.pane.action(for: key) else {
                // Actions work on the object being looked at, too.
                if case .detail = pane, let a = keys.action(for: key), a.isAction { return run(a.command, model, now) }
                return []
            }
            return run(action.command, model, now)
        }
        guard let action = keys.action(for: key) else {
            if KeyMap.table.action(for: key)?.isAction == true { setStatus(ConsoleError.readOnly.description, .warn) }
            return []
        }
        return run(action.command, model, now)
    }

    private mutating func run(_ command: Command, _ model: LiveModel, _ now: Int64) -> [Effect] {
        switch command {
        case .quit: return [.quit]
        case .help: pane = .help(scroll: 0)
        case .back:
            switch pane {
            case .table:
                if !table.filter.isEmpty { tables[tab]?.setFilter("") } else { status = nil }
            default: pane = .table
            }
        case .openDetail:
            if let row = table.selectedRow { pane = .detail(rowID: row.id, scroll: 0) }
        case .command: prompt = .command("", hint: "")
        case .filter: prompt = .filter(table.filter.text)
        case .showTab(let t): show(t, model, now)
        case .nextTab: show(Tab(rawValue: (tab.rawValue + 1) % Tab.allCases.count) ?? .streams, model, now)
        case .previousTab:
            show(Tab(rawValue: (tab.rawValue + Tab.allCases.count - 1) % Tab.allCases.count) ?? .streams, model, now)
        case .up, .down, .pageUp, .pageDown, .top, .bottom: move(command)
        case .sortNext: tables[tab]?.shiftSort(1)
        case .sortPrevious: tables[tab]?.shiftSort(-1)
        case .sortReverse: tables[tab]?.reverseSort()
        case .toggleLog: log.isVisible.toggle()
        case .cycleLogLevel:
            let levels = LogPaneState.levels
            let i = levels.firstIndex(of: log.minLevel) ?? 0
            log.minLevel = levels[(i + 1) % levels.count]
            log.isVisible = true
            setStatus("log level: \(log.minLevel.rawValue) and above", .info)
        case .toggleFollow:
            log.isFollowing.toggle()
            log.frozenCount = model.logCount
            setStatus(log.isFollowing ? "log: following" : "log: paused", .info)
        case .toggleWrap: log.isWrapping.toggle()
        case .logFocus: break
        case .redraw: return [.redrawAll]
        case .terminate, .toggleMute, .soundOn, .soundOff, .toggleRecording:
            return actOnSelection(command, model)
        }
        return []
    }

    private mutating func show(_ t: Tab, _ model: LiveModel, _ now: Int64) {
        tab = t
        pane = .table
        refresh(model, now: now)
    }

    private mutating func move(_ command: Command) {
        if case .detail(let id, let scroll) = pane {
            pane = .detail(rowID: id, scroll: max(0, scroll + scrollDelta(command)))
            return
        }
        if case .help(let scroll) = pane {
            pane = .help(scroll: max(0, scroll + scrollDelta(command)))
            return
        }
        switch command {
        case .up: tables[tab]?.moveSelection(-1)
        case .down: tables[tab]?.moveSelection(1)
        case .pageUp: tables[tab]?.moveSelection(-pageSize)
        case .pageDown: tables[tab]?.moveSelection(pageSize)
        case .top: tables[tab]?.select(index: 0)
        case .bottom: tables[tab]?.select(index: Int.max / 2)
        default: break
        }
        tables[tab]?.scroll(toFit: pageSize)
    }

    private func scrollDelta(_ command: Command) -> Int {
        switch command {
        case .up: -1
        case .down: 1
        case .pageUp: -pageSize
        case .pageDown: pageSize
        default: 0
        }
    }

    /// The object an action applies to: the detail pane's, else the selected row's.
    private func target(_ model: LiveModel) -> LiveObject? {
        if case .detail(let id, _) = pane { return Self.object(rowID: id, model) }
        return selectedObject(model)
    }

    private mutating func actOnSelection(_ command: Command, _ model: LiveModel) -> [Effect] {
        guard !isReadOnly else {
            setStatus(ConsoleError.readOnly.description, .warn)
            return []
        }
        guard let object = target(model) else {
            setStatus("nothing selected", .warn)
            return []
        }
        switch command {
        case .terminate: return request(.terminate(object))
        case .toggleMute:
            let muted = (object.typed as? Transponder)?.muted ?? (object.typed as? Call)?.muted ?? false
            return request(.mute(object, !muted))
        case .toggleRecording:
            let recording = (object.typed as? Core.Stream)?.record ?? false
            return request(.record(object, start: !recording))
        case .soundOn:
            guard object.kind == .transponder else {
                setStatus("sound injection works on transponders (table 3)", .warn)
                return []
            }
            prompt = .soundFile(object, "", choices: FileCompletion())
            return [.fetchMediaList(object)]
        case .soundOff: return request(.soundOff(object))
        default: return []
        }
    }

    /// Asks first when the action is destructive.
    private mutating func request(_ action: Action) -> [Effect] {
        do {
            _ = try action.request()  // refuse unsupported kinds before asking
        } catch {
            setStatus((error as? ConsoleError)?.description ?? "\(error)", .warn)
            return []
        }
        if action.isDangerous {
            prompt = .confirm(action)
            return []
        }
        setStatus("…", .info)
        return [.perform(action)]
    }
}
