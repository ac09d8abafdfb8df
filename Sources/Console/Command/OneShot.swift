import Core
import Foundation

/// `switchboard -x "<command>"`: runs one command without curses and prints the result, like
/// `asterisk -rx`. Tables print as plain aligned text; actions print their result.
struct OneShot {
    /// Where the server is.
    let endpoint: Endpoint
    /// `--readonly`: refuse actions.
    let isReadOnly: Bool

    /// Runs `line`.
    /// - Returns: the exit code: 0 success, 1 a server or lookup error, 2 a usage error.
    func run(_ line: String) async -> Int32 {
        let http = HTTPClient(endpoint: endpoint)
        do {
            let command = try ConsoleCommand.parse(line, hasSelection: false)
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            switch command {
            case .quit: return 0
            case .help:
                print("commands: " + ConsoleCommand.words.joined(separator: " "))
                return 0
            case .filter: throw ConsoleError.usage("filter works in the console only")
            case .info:
                let info = try await RESTClient(http: http).serverInfo()
                for key in info.raw.keys.sorted() { print("\(key): \(info.raw[key]?.displayText ?? "-")") }
                return 0
            case .show(let tab):
                let model = try await EventClient.fetchSnapshot(http: http)
                print(Self.plainTable(tab, model: model, now: now), terminator: "")
                return 0
            default:
                guard !isReadOnly else { throw ConsoleError.readOnly }
                let model = try await EventClient.fetchSnapshot(http: http)
                let action = try ConsoleView.action(for: command, selected: nil, tab: nil, model: model)
                print(try await action.perform(RESTClient(http: http)))
                return 0
            }
        } catch let error as ConsoleError {
            FileHandle.standardError.write(Data("switchboard: \(error)\n".utf8))
            if case .usage = error { return 2 }
            return 1
        } catch {
            FileHandle.standardError.write(Data("switchboard: \(error)\n".utf8))
            return 1
        }
    }

    /// A table as aligned plain text, sorted by its first column; columns as wide as their
    /// widest cell (at most 60).
    static func plainTable(_ tab: Tab, model: LiveModel, now: Int64) -> String {
        var table = TableModel(columns: Renderers.renderer(for: tab).columns)
        table.setRows(Renderers.rows(tab, model: model, now: now))
        let columns = table.columns
        var widths = columns.map { TextFit.width($0.title) }
        for row in table.rows {
            for (i, c) in row.cells.enumerated() where i < widths.count {
                widths[i] = min(60, max(widths[i], TextFit.width(c.text)))
            }
        }
        func line(_ texts: [String]) -> String {
            var parts: [String] = []
            for (i, t) in texts.enumerated() { parts.append(TextFit.fit(t, widths[i], columns[i].alignment, ellipsis: "~")) }
            var s = parts.joined(separator: "  ")
            while s.last == " " { s.removeLast() }
            return s + "\n"
        }
        var out = line(columns.map(\.title))
        for row in table.rows { out += line(row.cells.map(\.text)) }
        if table.rows.isEmpty { out += "(no \(tab.title.lowercased()))\n" }
        return out
    }
}
