/// One table's rows as the operator sees them: filtered, sorted, with a selection that stays on
/// the same object across updates (by row id) and a scroll offset. A pure value: the screen
/// only reads it.
public struct TableModel: Sendable {
    /// The renderer's columns.
    public let columns: [Column]
    /// Every row, as last set.
    public private(set) var allRows: [Row] = []
    /// The rows that pass the filter, sorted.
    public private(set) var rows: [Row] = []
    /// The column rows are sorted by.
    public private(set) var sortColumn: Int
    public private(set) var isAscending = true
    public private(set) var filter = RowFilter("")
    /// The selected row's id; nil when the table is empty.
    public private(set) var selectedID: String?
    /// The selected row's index in `rows`.
    public private(set) var selectedIndex = 0
    /// The first row shown.
    public private(set) var scrollOffset = 0

    /// An empty table sorted by `sortColumn`, ascending.
    public init(columns: [Column], sortColumn: Int = 0) {
        self.columns = columns
        self.sortColumn = min(max(0, sortColumn), max(0, columns.count - 1))
    }

    /// The selected row, if any.
    public var selectedRow: Row? { rows.indices.contains(selectedIndex) ? rows[selectedIndex] : nil }

    /// `Streams 3/5` when filtered, `Streams 5` otherwise.
    public func title(_ name: String) -> String {
        filter.isEmpty ? "\(name) \(allRows.count)" : "\(name) \(rows.count)/\(allRows.count)"
    }

    /// Replaces the rows; the selection follows its object, or stays at the same position when
    /// the object is gone.
    public mutating func setRows(_ newRows: [Row]) {
        allRows = newRows
        rebuild()
    }

    /// Sorts by `column`; choosing the current column again flips the order.
    public mutating func sort(by column: Int) {
        guard columns.indices.contains(column) else { return }
        if column == sortColumn { isAscending.toggle() } else { sortColumn = column; isAscending = true }
        rebuild()
    }

    /// Moves the sort to the next (`+1`) or previous (`-1`) column, ascending.
    public mutating func shiftSort(_ delta: Int) {
        guard !columns.isEmpty else { return }
        sortColumn = (sortColumn + delta + columns.count) % columns.count
        isAscending = true
        rebuild()
    }

    /// Flips the sort order.
    public mutating func reverseSort() {
        isAscending.toggle()
        rebuild()
    }

    /// Sets the filter text.
    public mutating func setFilter(_ text: String) {
        filter = RowFilter(text)
        rebuild()
    }

    /// Moves the selection by `delta` rows (clamped).
    public mutating func moveSelection(_ delta: Int) {
        select(index: selectedIndex + delta)
    }

    /// Selects the row at `index` (clamped).
    public mutating func select(index: Int) {
        guard !rows.isEmpty else { selectedID = nil; selectedIndex = 0; return }
        selectedIndex = min(max(0, index), rows.count - 1)
        selectedID = rows[selectedIndex].id
    }

    /// Keeps the selection inside a window of `height` rows, scrolling as little as possible.
    public mutating func scroll(toFit height: Int) {
        guard height > 0 else { return }
        if selectedIndex < scrollOffset { scrollOffset = selectedIndex }
        if selectedIndex >= scrollOffset + height { scrollOffset = selectedIndex - height + 1 }
        scrollOffset = max(0, min(scrollOffset, max(0, rows.count - height)))
    }

    private mutating func rebuild() {
        let column = sortColumn
        let ascending = isAscending
        let filtered = filter.isEmpty ? allRows : allRows.filter(filter.accepts)
        // Keys are taken out once, so the comparator does no cell lookups; indices are sorted,
        // not rows, so the sort moves integers instead of copying rows.
        let keys = filtered.map { $0.sortKey(column) }
        let ids = filtered.map(\.id)
        var order = Array(filtered.indices)
        order.sort { a, b in
            if keys[a] == keys[b] { return ids[a] < ids[b] }  // stable order for equal keys: rows do not jump
            return ascending ? keys[a] < keys[b] : keys[b] < keys[a]
        }
        rows = order.map { filtered[$0] }
        if let id = selectedID, let index = rows.firstIndex(where: { $0.id == id }) {
            selectedIndex = index
        } else {
            select(index: selectedIndex)
        }
    }
}
