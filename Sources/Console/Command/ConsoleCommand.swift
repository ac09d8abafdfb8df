/// A console command, typed after `:` or given to `-x`. Targets are optional: in the UI the
/// selected row is the default; `-x` needs them spelled out.
public enum ConsoleCommand: Equatable, Sendable {
    case quit
    case help
    /// Show (UI) or print (`-x`) a table.
    case show(Tab)
    /// Print the server info.
    case info
    /// Terminate an object; `tab` narrows where `target` is looked up.
    case terminate(tab: Tab?, target: String?)
    /// Mute (true) or unmute (false) a transponder (a call is refused: WCS has no call mute method).
    case mute(Bool, target: String?)
    /// Start (true), stop (false) or toggle (nil) recording a stream.
    case record(Bool?, target: String?)
    /// Inject a sound file into a transponder.
    case soundOn(target: String?, file: String, loop: Bool)
    /// Stop injecting sound.
    case soundOff(target: String?)
    /// Republish a stream to an RTMP URL.
    case push(target: String?, rtmpURL: String)
    /// Save a PNG of a stream.
    case snapshot(target: String?, file: String?)
    /// Filter the current table.
    case filter(String)

    /// The command words, for completion and help.
    public static let words = [
        "quit", "help", "info", "terminate", "mute", "unmute", "record", "sound", "push", "snapshot", "filter",
    ] + Tab.allCases.map(\.command)

    /// Parses a command line.
    /// - Parameters:
    ///   - line: the text after `:` or the `-x` argument.
    ///   - hasSelection: true in the UI, where a missing target means the selected row; then a
    ///     single argument of `push`/`snapshot`/`sound` is the URL or file, not the target.
    /// - Throws: `ConsoleError.usage` with the correct form.
    public static func parse(_ line: String, hasSelection: Bool) throws -> ConsoleCommand {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty else { throw ConsoleError.usage("empty command") }
        let verb = words.removeFirst().lowercased()
        func need(_ n: Int, _ usage: String) throws {
            guard words.count >= n else { throw ConsoleError.usage("usage: \(usage)") }
        }
        switch verb {
        case "q", "q!", "quit", "exit": return .quit
        case "help", "?", "h": return .help
        case "info", "server": return .info
        case "filter", "/": return .filter(words.joined(separator: " "))
        case "terminate", "kill", "x":
            if let first = words.first, let tab = Tab.named(first), words.count >= 1 {
                let rest = words.dropFirst().joined(separator: " ")
                if rest.isEmpty, !hasSelection { throw ConsoleError.usage("usage: terminate <table> <name|id>") }
                return .terminate(tab: tab, target: rest.isEmpty ? nil : rest)
            }
            if words.isEmpty, !hasSelection { throw ConsoleError.usage("usage: terminate <table> <name|id>") }
            return .terminate(tab: nil, target: words.isEmpty ? nil : words.joined(separator: " "))
        case "mute", "unmute":
            if !hasSelection { try need(1, "\(verb) <transponder|call>") }
            return .mute(verb == "mute", target: words.first)
        case "record", "rec":
            var start: Bool? = nil
            if let w = words.first?.lowercased(), ["start", "stop", "on", "off"].contains(w) {
                start = w == "start" || w == "on"
                words.removeFirst()
            }
            if !hasSelection { try need(1, "record [start|stop] <stream>") }
            return .record(start, target: words.first)
        case "sound":
            if words.first?.lowercased() == "off" {
                words.removeFirst()
                if !hasSelection { try need(1, "sound off <transponder>") }
                return .soundOff(target: words.first)
            }
            if words.first?.lowercased() == "on" { words.removeFirst() }
            var loop = false
            if let last = words.last?.lowercased(), ["loop", "noloop"].contains(last) {
                loop = last == "loop"
                words.removeLast()
            }
            if hasSelection, words.count == 1 { return .soundOn(target: nil, file: words[0], loop: loop) }
            try need(2, "sound <transponder> <file.wav> [loop]")
            return .soundOn(target: words[0], file: words[1], loop: loop)
        case "push":
            if words.isEmpty { return .show(.transponders) }  // `:push` alone names the table
            if hasSelection, words.count == 1 { return .push(target: nil, rtmpURL: words[0]) }
            try need(2, hasSelection ? "push <rtmp://url>" : "push <stream> <rtmp://url>")
            return .push(target: words[0], rtmpURL: words[1])
        case "snapshot", "snap":
            if hasSelection { return .snapshot(target: nil, file: words.first) }
            try need(1, "snapshot <stream> [file.png]")
            return .snapshot(target: words[0], file: words.count > 1 ? words[1] : nil)
        default:
            if let tab = Tab.named(verb) { return .show(tab) }
            throw ConsoleError.usage("unknown command '\(verb)' (try :help)")
        }
    }

    /// Completions of the word being typed: command words first, then table names.
    /// - Returns: the candidates that start with `prefix`, sorted.
    public static func completions(_ prefix: String) -> [String] {
        let p = prefix.lowercased()
        guard !p.contains(" ") else { return [] }
        return Array(Set(words.filter { $0.hasPrefix(p) })).sorted()
    }

    /// The longest common prefix of `candidates` (what Tab inserts).
    public static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
