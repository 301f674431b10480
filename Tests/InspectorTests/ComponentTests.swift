import Paths
import Testing
@testable import Inspector

@Suite struct CellGridTests {
    @Test func putCutsAtMaxWidthAndCountsWritesOffTheGrid() {
        var grid = CellGrid(width: 5, height: 2)
        #expect(grid.put("abcdef", x: 0, y: 0, maxWidth: 3) == 3)
        #expect(grid.droppedWrites == 0)
        grid.put("xyz", x: 3, y: 1)
        #expect(grid.textDump() == "abc  \n   xy")
        #expect(grid.droppedWrites == 1)
        grid.put("q", x: 0, y: 2)
        #expect(grid.droppedWrites == 2)
    }

    @Test func wideAndControlCharactersBecomeQuestionMarks() {
        var grid = CellGrid(width: 6, height: 1)
        grid.put("a漢\tb─é", x: 0, y: 0)
        #expect(grid.textDump() == "a??b─é")
    }

    @Test func dumpsShowRolesAndAttributes() {
        var grid = CellGrid(width: 3, height: 1)
        grid.put("ab", x: 0, y: 0, style: CellStyle(role: .held, bold: true))
        #expect(grid.styleDump() == "HH.")
        #expect(grid.attributeDump() == "BB.")
    }
}

@Suite struct TextTests {
    @Test func truncationMarksTheCut() {
        #expect(TerminalText.truncate("hrtimer_nanosleep", to: 8) == "hrtimer…")
        #expect(TerminalText.truncate("hrtimer_nanosleep", to: 8, unicode: false) == "hrtimer~")
        #expect(TerminalText.padRight("hrtimer_nanosleep", to: 5) == "hrti…")
        #expect(TerminalText.truncate("short", to: 8) == "short")
        #expect(TerminalText.padLeft("42", to: 5) == "   42")
        #expect(Path.basename("/usr/lib/libc.so.6") == "libc.so.6")
        #expect(Path.basename("[vdso]") == "[vdso]")
    }

    @Test func formats() {
        #expect(Formatting.oneDecimal(87.45) == "87.5")
        #expect(Formatting.oneDecimal(0) == "0.0")
        #expect(Formatting.memory(kib: 812) == "812K")
        #expect(Formatting.memory(kib: 5_632) == "5.5M")
        #expect(Formatting.memory(kib: 184_320) == "180M")
        #expect(Formatting.memory(kib: 2_202_009) == "2.1G")
        #expect(Formatting.seconds(0.25) == "0.25s")
        #expect(Formatting.seconds(0.5) == "0.5s")
        #expect(Formatting.seconds(10) == "10s")
    }

    @Test func columnsDropTheLeastNeededFirstAndGiveTheRestToTheFlexibleOne() {
        let columns = [
            TableColumn(title: "A", width: 3),
            TableColumn(title: "B", width: 4, dropOrder: 1),
            TableColumn(title: "C", width: 2, flexible: true),
            TableColumn(title: "D", width: 4, dropOrder: 2),
        ]
        #expect(TableColumns(columns, width: 20).line(["a", "b", "c", "d"]) == "a   b    c      d   ")
        #expect(TableColumns(columns, width: 11).fitted.map(\.column.title) == ["A", "B", "C"])
        #expect(TableColumns(columns, width: 6).fitted.map(\.column.title) == ["A", "C"])
        #expect(TableColumns(columns, width: 6).header == "A   C ")
    }
}

@Suite struct TreePrefixTests {
    @Test func branchesCloseAtTheLastSibling() {
        let prefixes = TreePrefix.compute(depths: [0, 1, 2, 2, 1, 0, 1], unicode: true)
        #expect(prefixes == ["", "├─ ", "│  ├─ ", "│  └─ ", "└─ ", "", "└─ "])
        #expect(TreePrefix.compute(depths: [0, 1, 1], unicode: false) == ["", "|- ", "`- "])
    }
}

@Suite struct BoxCanvasTests {
    @Test func sharedBordersBecomeJunctions() {
        var grid = CellGrid(width: 5, height: 3)
        var canvas = BoxCanvas(width: 5, height: 3)
        canvas.addBox(Rect(x: 0, y: 0, width: 3, height: 3))
        canvas.addBox(Rect(x: 2, y: 0, width: 3, height: 3))
        canvas.draw(into: &grid, unicode: true, style: .plain)
        #expect(grid.textDump() == "┌─┬─┐\n│ │ │\n└─┴─┘")
        var ascii = CellGrid(width: 5, height: 3)
        canvas.draw(into: &ascii, unicode: false, style: .plain)
        #expect(ascii.textDump() == "+-+-+\n| | |\n+-+-+")
    }
}

@Suite struct ListPaneTests {
    struct Item: Identifiable, Sendable { var id: Int }

    @Test func pagesAndScrollingKeepTheCursorOnScreen() {
        var list = ListPane<Item>()
        list.setRows((0..<20).map(Item.init))
        list.visibleRows = 5
        _ = list.handleMovement(.pageDown)
        #expect(list.selectedIndex == 4)
        _ = list.handleMovement(.pageDown)
        #expect(list.selectedIndex == 8)
        #expect(list.top == 4)
        _ = list.handleMovement(.end)
        #expect(list.top == 15)
        list.scroll(by: -10)
        #expect(list.top == 5)
        #expect(list.selectedIndex == 9)
        list.visibleRows = 2
        #expect(list.top == 8, "a smaller view still shows the cursor")
        let moved = list.handleMovement(.left)
        #expect(moved == false)
    }

    @Test func emptyListHasNoSelection() {
        var list = ListPane<Item>()
        list.setRows([])
        #expect(list.selectedRow == nil)
        let moved = list.handleMovement(.down)
        #expect(moved)
        #expect(list.selectedRow == nil)
        list.scroll(by: 3)
        #expect(list.top == 0)
    }
}

@Suite struct StatusLineTests {
    @Test func theStatusLineKeepsItsDetailsAndCutsWithTheMark() {
        let context = DrawContext(capabilities: Capabilities())
        var wide = CellGrid(width: 80, height: 1)
        StatusLine.drawMain(Fixtures.status, into: &wide, context: context)
        #expect(wide.textDump().hasPrefix("PID 4242 ./server --workers 6  LIVE every 1s  holding new  stall 312µs"))
        var narrow = CellGrid(width: 50, height: 1)
        StatusLine.drawMain(Fixtures.status, into: &narrow, context: context)
        #expect(narrow.textDump() == "PID 4242 ./server --w…  LIVE every 1s  holding new")
        var tiny = CellGrid(width: 24, height: 1)
        StatusLine.drawMain(Fixtures.status, into: &tiny, context: context)
        #expect(tiny.textDump() == "PID 4242 ./serve…  LIVE…")
        var ascii = CellGrid(width: 24, height: 1)
        StatusLine.drawMain(Fixtures.status, into: &ascii, context: DrawContext(capabilities: Capabilities(unicode: false)))
        #expect(ascii.textDump() == "PID 4242 ./serve~  LIVE~")
    }
}
