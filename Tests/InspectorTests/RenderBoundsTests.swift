import Testing
@testable import Inspector

/// Nothing drawn may leave its pane or the grid, at any size.
@Suite struct RenderBoundsTests {
    static let boxGlyphs = Set("─│┌┐└┘├┤┬┴┼-|+")

    /// Pane text that ran past its pane would overwrite these edges. A
    /// message that wraps takes rows from the bottom: the screen above it
    /// was laid out in `state.screenHeight` rows.
    static func expectIntactBorders(_ grid: CellGrid, of state: InspectorState,
                                    sourceLocation: SourceLocation = #_sourceLocation) {
        guard let layout = state.main.layout(width: grid.width, height: state.screenHeight) else { return }
        var broken: [String] = []
        func check(_ x: Int, _ y: Int, _ pane: PaneID) {
            if !boxGlyphs.contains(grid[x, y].character) { broken.append("\(pane) at \(x),\(y)") }
        }
        for pane in PaneID.allCases {
            let box = layout.box(pane)
            for y in box.y..<box.maxY {
                check(box.x, y, pane)
                check(box.maxX - 1, y, pane)
            }
            // A bottom edge inside the frame is the next pane's top, with its title.
            guard box.maxY == layout.keyBarRow else { continue }
            for x in box.x..<box.maxX { check(x, box.maxY - 1, pane) }
        }
        #expect(broken.isEmpty, "borders overwritten at \(grid.width)x\(grid.height):\n\(grid.textDump())",
                sourceLocation: sourceLocation)
    }

    static func expectFits(_ grid: CellGrid, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(grid.droppedWrites == 0, "text written off the grid", sourceLocation: sourceLocation)
        let lines = grid.textDump().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == grid.height, sourceLocation: sourceLocation)
        let widths = Set(lines.map(\.count))
        #expect(widths.isEmpty || widths == [grid.width], sourceLocation: sourceLocation)
    }

    /// States that draw the longest things: a message, a filter prompt, help.
    static func busyStates() -> [InspectorState] {
        var withMessage = Fixtures.mainState(selecting: 4244)
        _ = withMessage.handle(.character("r"))
        var typing = Fixtures.mainState()
        _ = typing.handle(.character("/"))
        typing.type("w")
        var help = Fixtures.mainState()
        _ = help.handle(.character("?"))
        var picker = Fixtures.pickerState()
        _ = picker.handle(.character("t"))
        var pickerMessage = Fixtures.pickerState()
        _ = pickerMessage.handle(.enter)
        var pickerHelp = Fixtures.pickerState(capabilities: Capabilities(unicode: false, colors: false))
        _ = pickerHelp.handle(.function(1))
        var ascii = Fixtures.mainState(capabilities: Capabilities(unicode: false, colors: false), selecting: 4245)
        _ = ascii.handle(.character("3"))
        var zoomed = Fixtures.mainState(selecting: 4245)
        _ = zoomed.handle(.character("3"))
        _ = zoomed.handle(.character("z"))
        var many = MainLayoutTests.manyThreadsState()
        for _ in 0..<4 { _ = many.handle(.right) }
        var deepTree = Fixtures.mainState(capabilities: Capabilities(unicode: false, colors: false), selecting: 4243)
        deepTree.setProcessTree(Fixtures.deepTree)
        _ = deepTree.handle(.character("c"))
        _ = deepTree.handle(.character("1"))
        _ = deepTree.handle(.right)
        return [Fixtures.mainState(selecting: 4245), withMessage, typing, help, picker, pickerMessage, pickerHelp, ascii,
                zoomed, many, deepTree]
    }

    @Test func everyLineFitsAt80ColumnsAfterAResizeFrom120x40() {
        for var state in Self.busyStates() {
            let wide = state.render(width: 120, height: 40)
            Self.expectFits(wide)
            if state.screen == .main, !state.helpVisible { Self.expectIntactBorders(wide, of: state) }
            _ = state.handle(.resize)
            let narrow = state.render(width: 80, height: 24)
            Self.expectFits(narrow)
            if state.screen == .main, !state.helpVisible { Self.expectIntactBorders(narrow, of: state) }
            // After the resize the selected thread is still on screen.
            if state.screen == .main, let tid = state.selectedThreadID, !state.helpVisible, !state.main.zoomed {
                #expect(narrow.textDump().contains("   \(tid) "))
            }
        }
    }

    @Test func resizeKeepsTheSelectionVisible() {
        var state = Fixtures.mainState()
        _ = state.render(width: 120, height: 40)
        state.selectThread(4249)
        let narrow = state.render(width: 80, height: 24)
        #expect(narrow.textDump().contains("   4249 stats"))
    }

    @Test func everySizeFrom20x5RendersWithoutLeavingTheGrid() {
        for var state in Self.busyStates() {
            for width in stride(from: 20, through: 130, by: 3) {
                for height in stride(from: 5, through: 44, by: 3) {
                    let grid = state.render(width: width, height: height)
                    Self.expectFits(grid)
                    if state.screen == .main, !state.helpVisible { Self.expectIntactBorders(grid, of: state) }
                }
            }
        }
    }

    @Test func degenerateSizesDoNotCrash() {
        for var state in Self.busyStates() {
            for (width, height) in [(0, 0), (1, 1), (5, 2), (19, 4), (39, 9), (40, 10)] {
                let grid = state.render(width: width, height: height)
                #expect(grid.cells.count == width * height)
                _ = state.handle(.down)
                _ = state.handle(.mouse(x: 0, y: 0, kind: .wheelDown))
            }
        }
    }

    @Test func tooSmallSaysSo() {
        var state = Fixtures.mainState()
        let r1 = state.render(width: 39, height: 24)
        #expect(r1.textDump().contains("terminal too small"))
        let r2 = state.render(width: 80, height: 9)
        #expect(r2.textDump().contains("terminal too small"))
        #expect(!state.render(width: 40, height: 10).textDump().contains("terminal too small"))
    }

    @Test func asciiCapabilityDrawsOnlyASCII() {
        for var state in Self.busyStates() where !state.capabilities.unicode {
            let text = state.render(width: 100, height: 30).textDump()
            #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(text)")
        }
    }

    @Test func withoutColorsEveryRoleIsNormalButMeaningSurvivesInAttributes() {
        var state = Fixtures.mainState(capabilities: Capabilities(unicode: true, colors: false), selecting: 4245)
        let grid = state.render(width: 80, height: 24)
        #expect(grid.cells.allSatisfy { $0.style.role == .normal })
        // The held thread 4243 (row 4) is bold; the selected 4245 (row 6) reversed.
        #expect(grid[3, 4].style.bold)
        #expect(grid[3, 6].style.reverse)
        #expect(!grid[3, 3].style.bold && !grid[3, 3].style.reverse)
        var colored = Fixtures.mainState(selecting: 4245)
        let r3 = colored.render(width: 80, height: 24)
        #expect(r3[3, 4].style.role == .held)
    }
}
