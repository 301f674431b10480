import Testing
@testable import Inspector

/// The frame overlay: Enter on a frame asks for it, it opens on the marked
/// line, scrolls, and Esc, Enter or q close it without acting.
@Suite struct FrameOverlayKeyTests {
    let detail = FrameDetail(
        title: "#0 spin at main.c:60", arguments: [FrameDetail.Value(name: "n", value: "3")],
        source: .lines((1...100).map { "line \($0)\tend" }, line: 60, path: "/src/main.c"))

    @Test func enterOnAFrameAsksForItsDetail() {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.render(width: 80, height: 24)
        _ = state.handle(.character("3"))
        let outcome = state.handle(.enter)
        guard case .showFrame(let tid, let frame)? = outcome.command else {
            Issue.record("Enter in pane 3 gave \(String(describing: outcome.command))")
            return
        }
        #expect(tid == 4245 && frame == 0)
    }

    @Test func itOpensOnTheMarkedLineAndClosesWithoutActing() {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.render(width: 80, height: 24)
        state.showFrame(detail)
        let screen = state.render(width: 80, height: 24).textDump()
        #expect(screen.contains("#0 spin at main.c:60"))
        #expect(screen.contains("▶ 60  line 60 end"), "tabs expanded, the line marked:\n\(screen)")
        #expect(!screen.contains(" 30  line 30"), "opened in the middle, not at the top")
        _ = state.handle(.home)
        let top = state.render(width: 80, height: 24).textDump()
        #expect(top.contains("Arguments") && top.contains("n = 3"), "\(top)")
        for key in [KeyEvent.escape, .enter, .character("q")] {
            state.showFrame(detail)
            let outcome = state.handle(key)
            #expect(outcome.command == nil && state.frameShown == nil, "\(key)")
        }
    }

    @Test func aMissingFileSaysWhy() {
        var state = Fixtures.mainState(selecting: 4245)
        _ = state.render(width: 80, height: 24)
        state.showFrame(FrameDetail(title: "#1 f", source: .missing("x.c: not found; looked for /a/x.c")))
        #expect(state.render(width: 80, height: 24).textDump().contains("x.c: not found; looked for /a/x.c"))
    }
}
