import Core
import Foundation

extension ConsoleView {
    /// Keys while a prompt is open: editing, Enter to accept, Esc to cancel, Tab to complete.
    mutating func handlePrompt(_ key: Key, model: LiveModel, now: Int64) -> [Effect] {
        guard let current = prompt else { return [] }
        switch current {
        case .confirm(let action):
            prompt = nil
            if key == .char("y") || key == .char("Y") {
                setStatus("…", .info)
                return [.perform(action)]
            }
            setStatus("cancelled", .info)
            return []
        case .soundLoop(let object, let file):
            switch key {
            case .char("y"), .char("Y"):
                prompt = nil
                return [.perform(.soundOn(object, file: file, loop: true))]
            case .char("n"), .char("N"), .enter:
                prompt = nil
                return [.perform(.soundOn(object, file: file, loop: false))]
            case .escape, .ctrl("c"):
                prompt = nil
                setStatus("cancelled", .info)
            default: break
            }
            return []
        case .filter(let text):
            switch edit(text, key) {
            case .changed(let t):
                prompt = .filter(t)
                setFilter(t)
            case .accepted: prompt = nil
            case .cancelled:
                prompt = nil
                setFilter("")
            case .complete, .ignored: break
            }
            return []
        case .command(let text, _):
            switch edit(text, key) {
            case .changed(let t): prompt = .command(t, hint: Self.hint(t))
            case .complete:
                let candidates = ConsoleCommand.completions(text)
                let common = ConsoleCommand.commonPrefix(candidates)
                let completed = candidates.count == 1 ? common + " " : (common.count > text.count ? common : text)
                prompt = .command(completed, hint: candidates.count > 1 ? candidates.joined(separator: " ") : "")
            case .accepted:
                prompt = nil
                return runLine(text, model: model, now: now)
            case .cancelled: prompt = nil
            case .ignored: break
            }
            return []
        case .soundFile(let object, let text, let choices):
            switch edit(text, key) {
            case .changed(let t): prompt = .soundFile(object, t, choices: choices)
            case .complete: prompt = .soundFile(object, choices.complete(text), choices: choices)
            case .accepted:
                guard !text.isEmpty else { return [] }
                prompt = .soundLoop(object, file: text)
            case .cancelled:
                prompt = nil
                setStatus("cancelled", .info)
            case .ignored: break
            }
            return []
        }
    }

    private enum EditResult { case changed(String), accepted, cancelled, complete, ignored }

    private func edit(_ text: String, _ key: Key) -> EditResult {
        switch key {
        case .enter: return .accepted
        case .escape, .ctrl("c"), .ctrl("g"): return .cancelled
        case .tab: return .complete
        case .backspace, .delete, .ctrl("h"):
            return text.isEmpty ? .cancelled : .changed(String(text.dropLast()))
        case .ctrl("u"): return .changed("")
        case .char(let c): return .changed(text + String(c))
        default: return .ignored
        }
    }

    private mutating func setFilter(_ text: String) {
        var t = table
        t.setFilter(text)
        t.scroll(toFit: pageSize)
        replaceTable(t)
    }

    /// The completions shown under a command being typed.
    static func hint(_ text: String) -> String {
        let c = ConsoleCommand.completions(text)
        return text.isEmpty || c.count > 8 ? "" : c.joined(separator: " ")
    }

    /// Runs a `:` command line.
    mutating func runLine(_ line: String, model: LiveModel, now: Int64) -> [Effect] {
        let command: ConsoleCommand
        do {
            command = try ConsoleCommand.parse(line, hasSelection: true)
        } catch {
            setStatus((error as? ConsoleError)?.description ?? "\(error)", .error)
            return []
        }
        switch command {
        case .quit: return [.quit]
        case .help: return handleCommand(.help, model, now)
        case .show(let t): return handleCommand(.showTab(t), model, now)
        case .filter(let f):
            setFilter(f)
            return []
        case .info:
            if let s = model.server {
                setStatus("switchboard \(s.version) pid \(s.pid) up \(Format.duration(Int64(s.uptime(now: now))))", .info)
            } else {
                setStatus("not attached", .warn)
            }
            return []
        default: break
        }
        guard !isReadOnly else {
            setStatus(ConsoleError.readOnly.description, .warn)
            return []
        }
        do {
            let action = try Self.action(for: command, selected: selectedObject(model), tab: tab, model: model)
            if action.isDangerous {
                prompt = .confirm(action)
                return []
            }
            setStatus("…", .info)
            return [.perform(action)]
        } catch {
            setStatus((error as? ConsoleError)?.description ?? "\(error)", .error)
            return []
        }
    }

    private mutating func handleCommand(_ c: Command, _ model: LiveModel, _ now: Int64) -> [Effect] {
        guard let action = KeyMap.table.actions.first(where: { $0.command == c }) else { return [] }
        return handle(action.key, model: model, now: now)
    }

    /// The action a command asks for; a missing target is `selected`, else looked up in `tab`
    /// first, then everywhere.
    /// - Throws: `ConsoleError` when the target is missing, unknown or of the wrong kind.
    public static func action(for command: ConsoleCommand, selected: LiveObject?, tab: Tab?, model: LiveModel)
        throws -> Action
    {
        func find(_ target: String?, _ tabs: [Tab]) throws -> LiveObject {
            guard let target else {
                guard let selected else { throw ConsoleError.usage("nothing selected") }
                return selected
            }
            if let tab, let o = try? Resolver.resolve(target, in: [tab], model: model) { return o }
            return try Resolver.resolve(target, in: tabs, model: model)
        }
        let action: Action
        switch command {
        case .terminate(let t, let target):
            action = .terminate(try find(target, t.map { [$0] } ?? Tab.allCases))
        case .mute(let on, let target): action = .mute(try find(target, [.transponders, .calls]), on)
        case .record(let start, let target):
            let o = try find(target, [.streams])
            action = .record(o, start: start ?? !((o.typed as? Core.Stream)?.record ?? false))
        case .soundOn(let target, let file, let loop):
            action = .soundOn(try find(target, [.transponders]), file: file, loop: loop)
        case .soundOff(let target): action = .soundOff(try find(target, [.transponders]))
        case .push(let target, let url):
            let o = try find(target, [.streams])
            action = .push(streamName: o.name, rtmpURL: url)
        case .snapshot(let target, let file):
            let o = try find(target, [.streams])
            action = .snapshot(streamName: o.name, file: file ?? Action.snapshotFileName(o.name))
        case .quit, .help, .show, .info, .filter: throw ConsoleError.usage("not an action")
        }
        _ = try action.request()  // rejects kinds the action does not apply to
        return action
    }

    private mutating func replaceTable(_ t: TableModel) { tables[tab] = t }
}
