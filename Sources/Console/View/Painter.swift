import Core
import Foundation
import Logging

/// Draws the whole console (header, tabs, table or pane, log, status, footer) onto a canvas.
/// Pure: the same view and model always give the same cells.
public struct Painter {
    /// Line drawing characters.
    public var glyphs: Glyphs
    /// Where the console is attached (shown in the header).
    public var endpoint: String

    /// A painter.
    public init(glyphs: Glyphs, endpoint: String) {
        self.glyphs = glyphs
        self.endpoint = endpoint
    }

    /// Rows of table body that fit, given the terminal and whether the log pane is shown.
    public static func layout(rows: Int, logVisible: Bool) -> (tableRows: Int, logRows: Int) {
        let chrome = 6  // header, tabs, column titles, status, footer, table title
        let free = max(1, rows - chrome)
        guard logVisible else { return (free, 0) }
        let log = max(2, min(free / 2, max(4, free / 3)))
        return (max(1, free - log), log)
    }

    /// Paints everything.
    public func paint(_ view: ConsoleView, _ model: LiveModel, now: Int64, on canvas: inout some Canvas) {
        let (rows, cols) = canvas.size
        guard rows >= 4, cols >= 20 else {
            canvas.put(0, 0, TextFit.truncate("switchboard: terminal too small", cols, ellipsis: glyphs.ellipsis), .statusWarn)
            return
        }
        header(view, model, now: now, cols: cols, on: &canvas)
        tabBar(view, model, cols: cols, on: &canvas)
        let layout = Self.layout(rows: rows, logVisible: view.log.isVisible)
        let bodyTop = 2
        let bodyHeight = layout.tableRows + 2
        switch view.pane {
        case .table: table(view, top: bodyTop, height: bodyHeight, cols: cols, on: &canvas)
        case .detail(let id, let scroll):
            detail(id, scroll: scroll, model, top: bodyTop, height: bodyHeight, cols: cols, on: &canvas)
        case .help(let scroll): help(view, scroll: scroll, top: bodyTop, height: bodyHeight, cols: cols, on: &canvas)
        }
        if layout.logRows > 0 {
            logPane(view, model, top: bodyTop + bodyHeight, height: layout.logRows, cols: cols, on: &canvas)
        }
        statusLine(view, row: rows - 2, cols: cols, on: &canvas)
        footer(view, row: rows - 1, cols: cols, on: &canvas)
    }

    private func fit(_ s: String, _ n: Int, _ a: Alignment = .left) -> String {
        TextFit.fit(s, n, a, ellipsis: glyphs.ellipsis)
    }

    // MARK: header

    private func header(_ view: ConsoleView, _ model: LiveModel, now: Int64, cols: Int, on canvas: inout some Canvas) {
        canvas.put(0, 0, String(repeating: " ", count: cols), .header)
        var x = 0
        func item(_ label: String, _ value: String) {
            guard x < cols else { return }
            canvas.put(0, x, label, .headerLabel)
            x += TextFit.width(label)
            canvas.put(0, x, value, .header)
            x += TextFit.width(value) + 2
        }
        canvas.put(0, 0, "switchboard", .title)
        x = 13
        switch model.connection {
        case .attached:
            if let s = model.server {
                item("", "v\(s.version)")
                item("pid ", "\(s.pid)")
                item("up ", Format.duration(Int64(s.uptime(now: now))))
            }
            let rate = model.bitrate
            item("in ", Format.bitrate(rate.inKbps))
            item("out ", Format.bitrate(rate.outKbps))
            item("@", endpoint)
        case .connecting:
            canvas.put(0, x, fit(" connecting to \(endpoint)… ", max(0, cols - x)), .statusWarn)
        case .detached(let reason, let retryAt):
            let wait = max(0, (retryAt - now + 999) / 1000)
            let text = " DETACHED \(glyphs.separator) \(reason) \(glyphs.separator) retry in \(wait)s \(glyphs.separator) \(endpoint) "
            canvas.put(0, x, fit(text, max(0, cols - x)), .detached)
        }
        if view.isReadOnly, cols > 30 { canvas.put(0, cols - 10, " READONLY ", .statusWarn) }
    }

    /// Short labels keep all eight tabs and their counts within 80 columns.
    static func shortLabel(_ tab: Tab) -> String {
        switch tab {
        case .transponders: "Push"
        case .transcoders: "Transc"
        case .connections: "Conns"
        case .mixers: "Mix"
        default: tab.title
        }
    }

    private func tabBar(_ view: ConsoleView, _ model: LiveModel, cols: Int, on canvas: inout some Canvas) {
        var x = 0
        // Wide terminals show the key of each tab; at 80 columns the short labels and counts
        // fit only without them (the footer says 1-8).
        let wide = cols >= 110
        for tab in Tab.allCases {
            let count = tab.kinds.reduce(0) { $0 + model.count($1) }
            let label = wide ? " \(tab.rawValue + 1) \(tab.title) \(count) " : " \(Self.shortLabel(tab)) \(count) "
            canvas.put(1, x, label, tab == view.tab ? .selected : (count > 0 ? .text : .dim))
            x += TextFit.width(label)
        }
        if x < cols { canvas.put(1, x, String(repeating: " ", count: cols - x), .text) }
    }

    // MARK: table

    private func titleBar(_ title: String, row: Int, cols: Int, on canvas: inout some Canvas) {
        let text = glyphs.horizontal + " " + title + " "
        canvas.put(row, 0, String(repeating: glyphs.horizontal, count: cols), .border)
        canvas.put(row, 0, TextFit.truncate(text, cols, ellipsis: glyphs.ellipsis), .title)
    }

    private func table(_ view: ConsoleView, top: Int, height: Int, cols: Int, on canvas: inout some Canvas) {
        let t = view.table
        var title = t.title(view.tab.title)
        if t.columns.indices.contains(t.sortColumn) {
            title += " \(glyphs.separator) sort \(t.columns[t.sortColumn].title) \(t.isAscending ? glyphs.up : glyphs.down)"
        }
        if !t.filter.isEmpty { title += " \(glyphs.separator) /\(t.filter.text)" }
        titleBar(title, row: top, cols: cols, on: &canvas)
        let widths = TextFit.layout(t.columns, total: cols)
        var x = 0
        for (i, c) in t.columns.enumerated() where widths[i] > 0 {
            let name = i == t.sortColumn ? c.title + (t.isAscending ? glyphs.up : glyphs.down) : c.title
            canvas.put(top + 1, x, fit(name, widths[i], c.alignment), .tableHeader)
            x += widths[i] + 1
        }
        let bodyRows = height - 2
        if t.rows.isEmpty {
            let text = t.allRows.isEmpty ? "no \(view.tab.title.lowercased())" : "no rows match /\(t.filter.text)"
            canvas.put(top + 2, 1, fit(text, cols - 1), .dim)
            return
        }
        for line in 0..<bodyRows {
            let index = t.scrollOffset + line
            guard index < t.rows.count else { break }
            let row = t.rows[index].formatted()  // only the rows on screen are formatted
            let isSelected = index == t.selectedIndex
            let role: Role = isSelected ? .selected : tone(row.tone)
            var text = ""
            for (i, c) in t.columns.enumerated() where widths[i] > 0 {
                if !text.isEmpty { text += " " }
                text += fit(i < row.cells.count ? row.cells[i].text : "", widths[i], c.alignment)
            }
            canvas.put(top + 2 + line, 0, fit(text, cols), role)
        }
    }

    private func tone(_ t: RowTone) -> Role {
        switch t {
        case .normal: .text
        case .good: .rowGood
        case .warn: .rowWarn
        case .bad: .rowBad
        }
    }

    // MARK: panes

    private func detail(_ id: String, scroll: Int, _ model: LiveModel, top: Int, height: Int, cols: Int,
                        on canvas: inout some Canvas) {
        guard let object = ConsoleView.object(rowID: id, model) else {
            titleBar("gone", row: top, cols: cols, on: &canvas)
            canvas.put(top + 1, 1, "the object no longer exists (Esc: back)", .dim)
            return
        }
        titleBar("\(object.kind.rawValue) \(object.name)", row: top, cols: cols, on: &canvas)
        let keys = object.raw.keys.sorted()
        let keyWidth = min(24, (keys.map { TextFit.width($0) }.max() ?? 4) + 1)
        var lines: [(String, String)] = []
        for key in keys {
            let value = object.raw[key]?.displayText ?? "-"
            let wrapped = TextFit.wrap(value, max(10, cols - keyWidth - 2))
            for (i, part) in wrapped.enumerated() { lines.append((i == 0 ? key : "", part)) }
        }
        for (i, line) in lines.dropFirst(min(scroll, max(0, lines.count - 1))).prefix(height - 1).enumerated() {
            canvas.put(top + 1 + i, 1, fit(line.0, keyWidth), .headerLabel)
            canvas.put(top + 1 + i, keyWidth + 2, line.1, .text)
        }
    }

    private func help(_ view: ConsoleView, scroll: Int, top: Int, height: Int, cols: Int, on canvas: inout some Canvas) {
        titleBar("Keys (Esc: back)", row: top, cols: cols, on: &canvas)
        var lines: [(String, String, Bool)] = []
        var seen = Set<String>()
        for a in KeyMap.table.actions {
            let line = a.help + (view.isReadOnly && a.isAction ? " (read-only: off)" : "")
            let keysForCommand = KeyMap.table.actions.filter { $0.command == a.command }.map(\.key.label)
            let label = keysForCommand.joined(separator: " ")
            guard seen.insert(label + line).inserted else { continue }
            lines.append((label, line, a.isDangerous))
        }
        lines.append(("", "", false))
        lines.append((":", "commands: " + ConsoleCommand.words.joined(separator: " "), false))
        lines.append(("/", "filter: text, a|b alternatives, !text inverts; Esc clears", false))
        for (i, line) in lines.dropFirst(min(scroll, max(0, lines.count - 1))).prefix(height - 1).enumerated() {
            canvas.put(top + 1 + i, 1, fit(line.0, 12), line.2 ? .danger : .footerKey)
            canvas.put(top + 1 + i, 14, TextFit.truncate(line.1, max(0, cols - 14), ellipsis: glyphs.ellipsis), .text)
        }
    }

    private func logRole(_ level: Logger.Level) -> Role {
        switch level {
        case .trace: .logTrace
        case .debug: .logDebug
        case .info: .logInfo
        case .notice: .logNotice
        case .warning: .logWarning
        case .error: .logError
        case .critical: .logCritical
        }
    }

    private func logPane(_ view: ConsoleView, _ model: LiveModel, top: Int, height: Int, cols: Int,
                         on canvas: inout some Canvas) {
        let state = view.log
        let mode = state.isFollowing ? "follow" : "paused"
        titleBar("Log \(state.minLevel.rawValue)+ \(glyphs.separator) \(mode)\(state.isWrapping ? " \(glyphs.separator) wrap" : "")",
                 row: top, cols: cols, on: &canvas)
        let first = model.logCount - model.logs.count
        let end = state.isFollowing ? model.logs.count : max(0, min(model.logs.count, state.frozenCount - first))
        var lines: [(String, Role)] = []
        var i = end - 1
        let rows = height - 1
        while i >= 0, lines.count < rows {
            let r = model.logs[i]
            i -= 1
            guard r.logLevel >= state.minLevel else { continue }
            let time = r.time.count >= 23 ? String(r.time.dropFirst(11).prefix(12)) : r.time
            let meta = r.metadata.keys.sorted().map { "\($0)=\(r.metadata[$0] ?? "")" }.joined(separator: " ")
            let text = "\(time) \(r.level.prefix(4).uppercased()) \(r.label) \(r.message)" + (meta.isEmpty ? "" : " " + meta)
            let parts = state.isWrapping ? TextFit.wrap(text, cols) : [text]
            for part in parts.reversed() where lines.count < rows { lines.append((part, logRole(r.logLevel))) }
        }
        for (n, line) in lines.reversed().enumerated() {
            canvas.put(top + 1 + n, 0, TextFit.truncate(line.0, cols, ellipsis: glyphs.ellipsis), line.1)
        }
    }

    // MARK: bottom lines

    private func statusLine(_ view: ConsoleView, row: Int, cols: Int, on canvas: inout some Canvas) {
        if let prompt = view.prompt {
            let (label, text, hint): (String, String, String) = switch prompt {
            case .filter(let t): ("/", t, "Enter keep  Esc clear")
            case .command(let t, let h): (":", t, h.isEmpty ? "Tab complete" : h)
            case .confirm(let a): (a.question + " [y/N] ", "", "")
            case .soundFile(_, let t, let choices): ("sound file: ", t, choices.hint(t))
            case .soundLoop(_, let file): ("loop \(file)? [y/N] ", "", "")
            }
            let isDanger: Bool = if case .confirm = prompt { true } else { false }
            canvas.put(row, 0, label, isDanger ? .danger : .prompt)
            let x = TextFit.width(label)
            canvas.put(row, x, text + "_", .text)
            let hx = x + TextFit.width(text) + 3
            if !hint.isEmpty, hx < cols { canvas.put(row, hx, TextFit.truncate(hint, cols - hx, ellipsis: glyphs.ellipsis), .dim) }
            return
        }
        guard let status = view.status else { return }
        let role: Role = switch status.level {
        case .info: .text
        case .ok: .statusOK
        case .warn: .statusWarn
        case .error: .statusError
        }
        canvas.put(row, 0, TextFit.truncate(status.text, cols, ellipsis: glyphs.ellipsis), role)
    }

    private func footer(_ view: ConsoleView, row: Int, cols: Int, on canvas: inout some Canvas) {
        let hints: [(key: String, description: String, isDangerous: Bool)] = switch view.pane {
        case .table: view.keys.hints + [("1-8", "tables", false)]
        case .detail:
            [("Esc", "back", false)] + view.keys.hints.filter { h in
                KeyMap.table.actions.contains { $0.key.label == h.key && $0.isAction }
            }
        case .help: KeyMap.pane.hints
        }
        var x = 0
        for h in hints {
            let need = TextFit.width(h.key) + TextFit.width(h.description) + 2
            guard x + need <= cols else { break }
            canvas.put(row, x, h.key, h.isDangerous ? .danger : .footerKey)
            x += TextFit.width(h.key)
            canvas.put(row, x, " " + h.description + " ", .footerText)
            x += TextFit.width(h.description) + 2
        }
    }
}
