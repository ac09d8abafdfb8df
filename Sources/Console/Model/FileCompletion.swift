/// Completion of a file name from the server's media folder (`/media/find_all`), for the sound
/// prompt: names that start with what is typed, and Tab extends the text to their longest
/// common prefix (a folder name such as `jingles/` first, then the file). A pure value.
public struct FileCompletion: Sendable, Equatable {
    /// Where the names stand.
    public enum Source: Sendable, Equatable {
        /// Asked the server; no answer yet.
        case loading
        /// The server's files, sorted.
        case listed([String])
        /// The server cannot list its media folder (an older server): the name is typed freely.
        case unavailable
    }

    /// Where the names stand.
    public var source: Source

    /// Names shown in the hint at most: the status line has room for a few.
    public static let hintLimit = 6

    /// Completion from `source`.
    public init(_ source: Source = .loading) { self.source = source }

    /// Completion from the server's answer: nil means it cannot list.
    public init(files: [String]?) { self.source = files.map { .listed($0.sorted()) } ?? .unavailable }

    /// The names that start with `text`, in order.
    public func matches(_ text: String) -> [String] {
        guard case .listed(let names) = source else { return [] }
        return names.filter { $0.hasPrefix(text) }
    }

    /// `text` extended to the longest prefix all its matches share (unchanged without matches).
    public func complete(_ text: String) -> String {
        let common = ConsoleCommand.commonPrefix(matches(text))
        return common.count > text.count ? common : text
    }

    /// The line under the prompt: a few matches, or why there are none.
    public func hint(_ text: String) -> String {
        switch source {
        case .loading: return "listing media files…"
        case .unavailable: return "the server does not list its media folder: type the name"
        case .listed(let names) where names.isEmpty: return "the media folder is empty"
        case .listed:
            let m = matches(text)
            if m.isEmpty { return "no file starts with \(text)" }
            let shown = m.prefix(Self.hintLimit).joined(separator: "  ")
            return m.count > Self.hintLimit ? "\(shown)  (+\(m.count - Self.hintLimit), Tab)" : shown
        }
    }
}
