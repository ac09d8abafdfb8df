/// Where the painter draws: the terminal (Screen/CursesCanvas) or a text grid in tests.
/// Coordinates are cells; text is clipped at the right edge.
public protocol Canvas {
    /// Rows and columns.
    var size: (rows: Int, cols: Int) { get }
    /// Writes `text` at row `y`, column `x` in `role`'s style.
    mutating func put(_ y: Int, _ x: Int, _ text: String, _ role: Role)
}

/// The characters for lines and marks: Unicode, or ASCII for terminals without UTF-8 (`--ascii`).
public struct Glyphs: Sendable {
    /// A horizontal line segment.
    public var horizontal: String
    /// A vertical line segment.
    public var vertical: String
    /// Marks cut text.
    public var ellipsis: String
    /// Ascending sort mark.
    public var up: String
    /// Descending sort mark.
    public var down: String
    /// Between items in a title.
    public var separator: String

    /// Box-drawing characters (UTF-8 terminals).
    public static let unicode = Glyphs(horizontal: "─", vertical: "│", ellipsis: "…", up: "▲", down: "▼", separator: "·")
    /// Plain ASCII (`--ascii`, non-UTF-8 locales).
    public static let ascii = Glyphs(horizontal: "-", vertical: "|", ellipsis: "~", up: "^", down: "v", separator: "|")
}

/// A plain grid of characters; tests read what the painter drew.
public struct TextCanvas: Canvas {
    /// Rows and columns.
    public let size: (rows: Int, cols: Int)
    public private(set) var lines: [[Character]]
    /// The role of each cell, for tests that check colours by role.
    public private(set) var roles: [[Role]]

    /// A blank grid.
    public init(rows: Int, cols: Int) {
        size = (rows, cols)
        lines = Array(repeating: Array(repeating: " ", count: cols), count: rows)
        roles = Array(repeating: Array(repeating: .text, count: cols), count: rows)
    }

    /// Writes text, clipped at the right edge.
    public mutating func put(_ y: Int, _ x: Int, _ text: String, _ role: Role) {
        guard y >= 0, y < size.rows else { return }
        var col = x
        for ch in text {
            guard col < size.cols else { break }
            if col >= 0 {
                lines[y][col] = ch
                roles[y][col] = role
            }
            col += max(1, TextFit.width(String(ch)))
        }
    }

    /// The grid as text, one line per row, trailing spaces kept.
    public var text: String { lines.map { String($0) }.joined(separator: "\n") }
}
