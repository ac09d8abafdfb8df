import Foundation
@testable import Console
import Core
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

@Suite("Rows formatted only when read")
struct DeferredRowTests {
    static func streams() -> [LiveObject] {
        var odd = Fixtures.stream("Zed", bitrate: 12_345)
        odd.info = "x"
        odd.droppedPackets = 3
        odd.audioState.muted = true
        odd.width = 0
        return [LiveObject(Fixtures.stream("alpha", bitrate: 900)), LiveObject(odd),
                LiveObject(Fixtures.stream("beta", published: false, bitrate: 50, record: true))]
    }

    @Test("the stream renderer's sort key of each column is the key of the formatted cell")
    func sortKeysMatchCells() {
        let r = StreamRenderer()
        for o in Self.streams() {
            let cells = r.row(o, now: Fixtures.now).cells
            for column in r.columns.indices {
                #expect(r.sortKey(o, column: column, now: Fixtures.now) == cells[column].sortKey, "column \(column)")
            }
        }
    }

    @Test("a table of deferred rows sorts, filters and shows cells as one of formatted rows")
    func deferredRowsBehaveAsFormatted() {
        var m = LiveModel()
        m.apply(.snapshot(server: nil, objects: Self.streams(), logs: []))
        let deferred = Renderers.rows(.streams, model: m, now: Fixtures.now)
        let formatted = deferred.map { $0.formatted() }
        for column in StreamRenderer().columns.indices {
            var a = TableModel(columns: StreamRenderer().columns, sortColumn: column)
            var b = a
            a.setRows(deferred)
            b.setRows(formatted)
            #expect(a.rows.map(\.id) == b.rows.map(\.id), "column \(column)")
            a.setFilter("muted")
            b.setFilter("muted")
            #expect(a.rows.map(\.id) == b.rows.map(\.id) && a.rows.count == 1)
        }
        #expect(deferred.map { $0.cells.map(\.text) } == formatted.map { $0.cells.map(\.text) })
        #expect(deferred.map(\.tone) == formatted.map(\.tone))
    }
}
