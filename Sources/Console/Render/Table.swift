/// How a column aligns its text.
public enum Alignment: Sendable, Equatable { case left, right }

/// One column of a table: title, preferred width and alignment. Which columns a table has is
/// decided by its renderer; the model only sorts and filters by them.
public struct Column: Sendable, Equatable {
    /// The header text.
    public var title: String
    /// The width the column wants; flexible columns take what is left.
    public var width: Int
    /// Left for text, right for numbers.
    public var alignment: Alignment
    /// True when the column may grow or shrink with the terminal (names, URLs).
    public var isFlexible: Bool
    /// The narrowest a flexible column gets before columns are dropped; 0 lets it vanish first.
    public var minWidth: Int
    /// A column; `min` matters only for flexible ones.
    public init(_ title: String, width: Int, _ alignment: Alignment = .left, flexible: Bool = false, min: Int = 8) {
        self.title = title
        self.width = width
        self.alignment = alignment
        self.isFlexible = flexible
        self.minWidth = Swift.min(min, width)
    }
}

/// What a cell sorts by: numbers numerically, text case-insensitively (the text key is stored
/// lower-cased, so sorting thousands of rows is plain string comparison).
public enum SortKey: Sendable, Comparable {
    case number(Double)
    case text(String)

    /// Numbers before text; each in natural order.
    public static func < (a: SortKey, b: SortKey) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x < y
        case (.text(let x), .text(let y)): x < y
        case (.number, .text): true
        case (.text, .number): false
        }
    }
}

/// One cell: the text shown and the key it sorts by.
public struct Cell: Sendable {
    /// What is shown.
    public var text: String
    /// The key given for numbers and sizes; nil: the lower-cased text, made only when the
    /// table sorts by this column (lower-casing every cell of thousands of rows on every frame
    /// was a tenth of the console's CPU under a flood of updates).
    private var explicitSort: SortKey?
    /// What it sorts by.
    public var sortKey: SortKey { explicitSort ?? .text(text.lowercased()) }
    /// A cell sorting by `sort`, or by its lower-cased text.
    public init(_ text: String, sort: SortKey? = nil) {
        self.text = text
        self.explicitSort = sort
    }
    /// A numeric cell shown as `text`.
    public static func number(_ value: Double, _ text: String) -> Cell { Cell(text, sort: .number(value)) }
    /// A numeric cell shown as the integer.
    public static func int(_ value: Int) -> Cell { Cell(String(value), sort: .number(Double(value))) }
}

/// How a row is tinted: by the health of its object.
public enum RowTone: Sendable, Equatable { case normal, good, warn, bad }

/// One row: the object's kind-qualified key, its cells and tone.
///
/// A table row is made from its object without formatting it: the cells are formatted when
/// they are read (the rows on screen, a filter, `-x`), and sorting asks the renderer for the
/// sort column's key only. With thousands of rows re-made for every frame, formatting rows
/// nobody sees was most of the UI thread's work.
public struct Row: Sendable {
    /// The object's kind and key (`stream/<mediaSessionId>`).
    public var id: String
    private let content: Content

    private enum Content: Sendable {
        case made(cells: [Cell], tone: RowTone)
        case deferred(object: LiveObject, renderer: any TableRenderer, now: Int64)
    }

    /// A row of formatted cells.
    public init(id: String, cells: [Cell], tone: RowTone = .normal) {
        self.id = id
        self.content = .made(cells: cells, tone: tone)
    }

    /// A row that `renderer` formats from `object` when it is read.
    public init(id: String, object: LiveObject, renderer: any TableRenderer, now: Int64) {
        self.id = id
        self.content = .deferred(object: object, renderer: renderer, now: now)
    }

    /// The row with its cells formatted (read cells and tone from it, not from a deferred row twice).
    public func formatted() -> Row {
        guard case .deferred(let object, let renderer, let now) = content else { return self }
        return renderer.row(object, now: now)
    }

    /// One per column.
    public var cells: [Cell] {
        guard case .made(let cells, _) = formatted().content else { return [] }
        return cells
    }

    /// The colour hint.
    public var tone: RowTone {
        guard case .made(_, let tone) = formatted().content else { return .normal }
        return tone
    }

    /// What the row sorts by in `column`.
    public func sortKey(_ column: Int) -> SortKey {
        switch content {
        case .made(let cells, _): cells.indices.contains(column) ? cells[column].sortKey : .text("")
        case .deferred(let object, let renderer, let now): renderer.sortKey(object, column: column, now: now)
        }
    }

    /// Lower-cased cell texts joined, what the filter searches (built only while filtering).
    public var haystack: String { cells.map(\.text).joined(separator: "\u{1F}").lowercased() }
}
