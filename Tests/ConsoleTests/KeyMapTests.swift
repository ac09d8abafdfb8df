@testable import Console
import Testing

@Suite("Key map")
struct KeyMapTests {
    @Test("read-only mode drops every action and keeps navigation")
    func readOnly() {
        let ro = KeyMap.table.readOnly()
        for key: Key in [.char("x"), .char("r"), .char("m"), .char("s"), .char("S")] {
            #expect(KeyMap.table.action(for: key) != nil)
            #expect(ro.action(for: key) == nil)
        }
        #expect(ro.action(for: .char("q"))?.command == .quit)
        #expect(ro.action(for: .char("/"))?.command == .filter)
    }

    @Test("terminate is the dangerous key; the footer lists only visible keys")
    func dangerAndHints() {
        let dangerous = KeyMap.table.actions.filter(\.isDangerous).map(\.key)
        #expect(dangerous == [.char("x")])
        let hints = KeyMap.table.hints.map(\.key)
        #expect(hints.contains("x"))
        #expect(!hints.contains("j"))
    }

    @Test("digits 1…8 select the eight tables; Tab and Shift-Tab cycle")
    func tabs() {
        for tab in Tab.allCases {
            let digit = Character(String(tab.rawValue + 1))
            #expect(KeyMap.table.action(for: .char(digit))?.command == .showTab(tab))
        }
        #expect(KeyMap.table.action(for: .tab)?.command == .nextTab)
        #expect(KeyMap.table.action(for: .backTab)?.command == .previousTab)
        #expect(KeyMap.table.action(for: .ctrl("c"))?.command == .quit)
    }

    @Test("a later binding of a key replaces the earlier one")
    func replace() {
        var map = KeyMap([KeyAction(.char("a"), .help, "one")])
        map.add(KeyAction(.char("a"), .quit, "two"))
        #expect(map.actions.count == 1)
        #expect(map.action(for: .char("a"))?.command == .quit)
    }
}
