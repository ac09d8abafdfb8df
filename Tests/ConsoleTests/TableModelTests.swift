import Foundation
@testable import Console
import Testing

@Suite("Table model")
struct TableModelTests {
    let columns = [Column("NAME", width: 10, flexible: true), Column("KBPS", width: 6, .right)]

    func rows(_ items: [(String, Int)]) -> [Row] {
        items.map { Row(id: $0.0, cells: [Cell($0.0), .int($0.1)]) }
    }

    @Test("sorts by the name column by default, case-insensitively")
    func defaultSort() {
        var t = TableModel(columns: columns)
        t.setRows(rows([("beta", 1), ("Alpha", 3), ("gamma", 2)]))
        #expect(t.rows.map(\.id) == ["Alpha", "beta", "gamma"])
    }

    @Test("sorts numbers numerically; choosing the column again reverses")
    func numericSort() {
        var t = TableModel(columns: columns)
        t.setRows(rows([("a", 100), ("b", 9), ("c", 20)]))
        t.sort(by: 1)
        #expect(t.rows.map(\.id) == ["b", "c", "a"])
        t.sort(by: 1)
        #expect(t.rows.map(\.id) == ["a", "c", "b"])
        t.shiftSort(1)
        #expect(t.sortColumn == 0)
    }

    @Test("filters case-insensitively, '!' inverts, '|' gives alternatives")
    func filter() {
        var t = TableModel(columns: columns)
        t.setRows(rows([("Cam1", 1), ("cam2", 2), ("lobby", 3)]))
        t.setFilter("CAM")
        #expect(t.rows.map(\.id) == ["Cam1", "cam2"])
        #expect(t.title("Streams") == "Streams 2/3")
        t.setFilter("!cam")
        #expect(t.rows.map(\.id) == ["lobby"])
        t.setFilter("lob|cam2")
        #expect(t.rows.map(\.id) == ["cam2", "lobby"])
        t.setFilter("")
        #expect(t.rows.count == 3)
        #expect(t.title("Streams") == "Streams 3")
    }

    @Test("the selection stays on its object when rows are added or re-sorted")
    func selectionFollowsObject() {
        var t = TableModel(columns: columns)
        t.setRows(rows([("b", 1), ("c", 2)]))
        t.moveSelection(1)
        #expect(t.selectedRow?.id == "c")
        t.setRows(rows([("a", 0), ("b", 1), ("c", 5)]))
        #expect(t.selectedRow?.id == "c")
        #expect(t.selectedIndex == 2)
    }

    @Test("when the selected object goes away the selection stays at its position")
    func selectionClamps() {
        var t = TableModel(columns: columns)
        t.setRows(rows([("a", 0), ("b", 1), ("c", 2)]))
        t.select(index: 2)
        t.setRows(rows([("a", 0), ("b", 1)]))
        #expect(t.selectedRow?.id == "b")
        t.setRows([])
        #expect(t.selectedRow == nil)
    }

    @Test("scrolling keeps the selection in view")
    func scroll() {
        var t = TableModel(columns: columns)
        t.setRows(rows((0..<50).map { (String(format: "r%02d", $0), $0) }))
        t.select(index: 30)
        t.scroll(toFit: 10)
        #expect(t.scrollOffset == 21)
        t.select(index: 0)
        t.scroll(toFit: 10)
        #expect(t.scrollOffset == 0)
    }
}
