import Core
import Logging

/// A message for the status line.
public struct StatusMessage: Sendable, Equatable {
    /// How it is coloured.
    public enum Level: Sendable, Equatable { case info, ok, warn, error }
    /// The message.
    public var text: String
    /// How it is coloured.
    public var level: Level
    /// A message.
    public init(_ text: String, _ level: Level) {
        self.text = text
        self.level = level
    }
}

/// The one-line prompt at the bottom, when the console is asking for something.
public enum Prompt: Sendable {
    /// `/` typed: the filter is applied as it is typed.
    case filter(String)
    /// `:` typed; `hint` shows the completions.
    case command(String, hint: String)
    /// A destructive action waiting for y/n.
    case confirm(Action)
    /// `s`: the sound file, completed from the server's media folder when it lists it.
    case soundFile(LiveObject, String, choices: FileCompletion)
    /// `s`, second step: loop or not.
    case soundLoop(LiveObject, file: String)
}

/// What fills the middle of the screen.
public enum Pane: Sendable, Equatable {
    case table
    /// Every field of one object (by row id), scrolled by `scroll` lines.
    case detail(rowID: String, scroll: Int)
    /// Every key binding.
    case help(scroll: Int)
}

/// What the view asks the program to do after a key.
public enum Effect: Sendable {
    case quit
    /// Run an action over REST; its result comes back through `ConsoleView.finish`.
    case perform(Action)
    /// Ask the server for its media files (sound completion); answered through `setMediaChoices`.
    case fetchMediaList(LiveObject)
    /// Clear and repaint the whole terminal.
    case redrawAll
}

/// The log pane's settings.
public struct LogPaneState: Sendable, Equatable {
    /// Whether the pane is shown (`l`).
    public var isVisible = false
    /// The lowest level shown; `L` cycles through `levels`.
    public var minLevel: Logger.Level = .info
    /// Follow new lines; when paused, show the log as it was at `frozenCount`.
    public var isFollowing = true
    /// `LiveModel.logCount` when the log was paused.
    public var frozenCount = 0
    /// Wrap long lines (`w`).
    public var isWrapping = false
    /// The levels `L` cycles through.
    public static let levels: [Logger.Level] = [.debug, .info, .notice, .warning, .error]
}
