import Core
import Foundation
import Synchronization

/// Results that come back to the UI thread from REST tasks.
enum UIMessage: Sendable {
    case actionResult(Result<String, ConsoleError>)
    case mediaChoices([String]?)
}

/// A queue from tasks to the UI thread.
final class Mailbox: Sendable {
    private let messages = Mutex<[UIMessage]>([])
    /// Queues a message for the UI thread.
    func post(_ m: UIMessage) { messages.withLock { $0.append(m) } }
    /// Takes every queued message.
    func drain() -> [UIMessage] { messages.withLock { m in defer { m = [] }; return m } }
}

/// The interactive console: the event client in a task, the UI loop on its own thread (curses
/// is single-threaded and its input wait blocks), REST actions in tasks whose results come back
/// through a mailbox.
struct ConsoleApp {
    /// Where the server is.
    let endpoint: Endpoint
    /// `--readonly`: no actions.
    let isReadOnly: Bool
    /// Styles per role.
    let theme: Theme
    /// Why the theme fell back, shown in the status line at start.
    let themeWarning: String?
    /// False for `--no-color` and `NO_COLOR`.
    let useColor: Bool
    /// Unicode or ASCII line drawing.
    let glyphs: Glyphs

    /// Repaints caused only by model changes are spaced at least this far apart, so a flood of
    /// events costs a few frames a second, not one per event.
    static let modelFrameInterval: Int64 = 250

    /// Runs until the operator quits.
    /// - Throws: `ConsoleError` when the terminal cannot be used.
    func run() async throws {
        let http = HTTPClient(endpoint: endpoint)
        let rest = RESTClient(http: http)
        let client = EventClient(http: http)
        let events = Task { await client.run() }
        defer { events.cancel() }
        let mailbox = Mailbox()
        let app = self
        let outcome: Result<Void, ConsoleError> = await withCheckedContinuation { done in
            let thread = Thread {
                do {
                    try app.uiLoop(client: client, rest: rest, mailbox: mailbox)
                    done.resume(returning: .success(()))
                } catch {
                    done.resume(returning: .failure((error as? ConsoleError) ?? .usage("\(error)")))
                }
            }
            thread.name = "console-ui"
            thread.start()
        }
        try outcome.get()
    }

    private static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    private func uiLoop(client: EventClient, rest: RESTClient, mailbox: Mailbox) throws {
        let screen = try CursesScreen(theme: theme, color: useColor)
        defer { screen.end() }
        var view = ConsoleView(isReadOnly: isReadOnly)
        if let themeWarning { view.setStatus(themeWarning, .warn) }
        let painter = Painter(glyphs: glyphs, endpoint: endpoint.description)
        var model = client.model
        var lastGeneration = -1
        var lastFrame: Int64 = 0
        var lastSecond: Int64 = -1
        var needsFrame = true
        while true {
            let key = screen.readKey()
            let now = Self.now()
            var effects: [Effect] = []
            if screen.syncSize() { needsFrame = true }
            if let key {
                if client.generation != model.generation { model = client.model }
                effects = view.handle(key, model: model, now: now)
                needsFrame = true
            }
            for message in mailbox.drain() {
                switch message {
                case .actionResult(let r): view.finish(r)
                case .mediaChoices(let c): view.setMediaChoices(c)
                }
                needsFrame = true
            }
            for effect in effects {
                switch effect {
                case .quit: return
                case .redrawAll:
                    _ = screen.syncSize()
                    screen.invalidate()
                case .perform(let action):
                    Task {
                        do {
                            mailbox.post(.actionResult(.success(try await action.perform(rest))))
                        } catch {
                            mailbox.post(.actionResult(.failure((error as? ConsoleError) ?? .connection("\(error)"))))
                        }
                    }
                case .fetchMediaList:
                    Task { mailbox.post(.mediaChoices(await Self.mediaFiles(rest))) }
                }
            }
            let generation = client.generation
            if generation != lastGeneration, now - lastFrame >= Self.modelFrameInterval { needsFrame = true }
            if now / 1000 != lastSecond { needsFrame = true }  // ages, uptime, retry countdown
            guard needsFrame else { continue }
            if generation != model.generation { model = client.model }
            lastGeneration = model.generation
            let size = screen.size
            view.pageSize = Painter.layout(rows: size.rows, logVisible: view.log.isVisible).tableRows
            view.refresh(model, now: now)
            screen.beginFrame()
            var canvas = CursesCanvas(screen)
            painter.paint(view, model, now: now, on: &canvas)
            screen.endFrame()
            lastFrame = now
            lastSecond = now / 1000
            needsFrame = false
        }
    }

    /// The server's media files for sound completion (`/media/find_all`, a Switchboard
    /// extension), or nil when it cannot list them (an older server answers 404, or a WCS
    /// server): the prompt then takes the name as typed.
    static func mediaFiles(_ rest: RESTClient) async -> [String]? {
        // Any failure only turns completion off; the sound request itself reports real errors.
        guard let response = try? await rest.post("media/find_all"),
            let list = try? TapeDecoder.decode([MediaFile].self, from: response.body)
        else { return nil }
        return list.map(\.fileName)
    }
}
