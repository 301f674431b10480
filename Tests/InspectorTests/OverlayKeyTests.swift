import Testing
@testable import Inspector

/// The help and the event log: both scroll at 80x24 and close without acting.
@Suite struct OverlayKeyTests {
    static func entries(_ count: Int) -> [EventLogEntry] {
        (1...count).map { EventLogEntry(time: "14:00:\($0 < 10 ? "0" : "")\($0 % 60)", kind: .process, text: "event \($0)") }
    }

    @Test func helpScrollsToItsLastLineAndOtherKeysCloseIt() {
        var state = Fixtures.mainState(selecting: 4245)
        let total = MainKeys.helpLines.count
        _ = state.render(width: 80, height: 24)
        _ = state.handle(.character("?"))
        let top = state.render(width: 80, height: 24).textDump()
        #expect(top.contains("1-20/\(total)"))
        #expect(top.contains("more below"))
        #expect(!top.contains("Marks"), "the last line does not fit at first")
        let down = state.handle(.down)
        #expect(down == .redraw)
        #expect(state.helpVisible, "a scroll key scrolls, it does not close")
        _ = state.handle(.end)
        let end = state.render(width: 80, height: 24).textDump()
        #expect(end.contains("* shown  T traced  B held at birth"))
        #expect(end.contains("\(total - 19)-\(total)/\(total)"))
        _ = state.handle(.pageUp)
        _ = state.handle(.home)
        #expect(state.render(width: 80, height: 24).textDump().contains("1-20/\(total)"))
        let q = state.handle(.character("q"))
        #expect(q.command == nil, "q closes the help, it does not quit")
        #expect(!state.helpVisible)
        _ = state.handle(.function(1))
        _ = state.handle(.character("x"))
        #expect(!state.helpVisible, "a key that does not scroll closes it")
        _ = state.handle(.function(1))
        #expect(state.render(width: 80, height: 24).textDump().contains("1-20/\(total)"), "it opens at the top again")
    }

    @Test func helpThatFitsHasNoPosition() {
        var state = Fixtures.mainState()
        _ = state.handle(.character("?"))
        let text = state.render(width: 120, height: 40).textDump()
        #expect(text.contains("Esc closes"))
        #expect(!text.contains("/22"))
    }

    @Test func logOpensAtTheEndAndScrolls() {
        var state = Fixtures.mainState()
        state.appendLog(Self.entries(40))
        _ = state.render(width: 80, height: 24)
        _ = state.handle(.character("l"))
        #expect(state.overlay == .log)
        var text = state.render(width: 80, height: 24).textDump()
        #expect(text.contains("14:00:40 process event 40"), "newest at the bottom, in view")
        #expect(text.contains(" 40/40 "))
        #expect(!text.contains("event 1\n") && !text.contains("event 20 "))
        _ = state.handle(.home)
        text = state.render(width: 80, height: 24).textDump()
        #expect(text.contains("14:00:01 process event 1 "))
        #expect(text.contains(" 20/40 "), "20 rows inside the box at 80x24")
        _ = state.handle(.pageDown)
        _ = state.handle(.down)
        #expect(state.render(width: 80, height: 24).textDump().contains(" 40/40 "))
        _ = state.handle(.up)
        #expect(state.render(width: 80, height: 24).textDump().contains(" 39/40 "))
        _ = state.handle(.end)
        state.appendLog([EventLogEntry(time: "14:01:00", kind: .thread, text: "4250 born")])
        #expect(state.render(width: 80, height: 24).textDump().contains("14:01:00 thread  4250 born"),
                "at the end, new entries stay in view")
    }

    @Test func logClosesWithEscLOrQAndQDoesNotQuit() {
        var state = Fixtures.pickerState()
        for key: KeyEvent in [.escape, .character("l"), .character("q")] {
            _ = state.handle(.character("l"))
            #expect(state.overlay == .log)
            let other = state.handle(.enter)
            #expect(other.command == nil && state.overlay == .log, "other keys do nothing")
            let outcome = state.handle(key)
            #expect(outcome.command == nil)
            #expect(state.overlay == nil)
        }
        #expect(state.screen == .picker)
    }

    @Test func everyMessageIsLoggedWithTheTime() {
        var state = InspectorState(attached: Fixtures.status, clock: { "09:15:00" })
        state.showMessage(StatusMessage("detached; the process runs on"))
        state.showMessage(StatusMessage("detached; the process runs on"))
        _ = state.handle(.character("+"))
        _ = state.handle(.character("x"))
        state.setThreads(Fixtures.threads)
        _ = state.handle(.character("r"))
        #expect(state.log == [
            EventLogEntry(time: "09:15:00", kind: .message, text: "detached; the process runs on"),
            EventLogEntry(time: "09:15:00", kind: .message, text: "4242 server is not held; nothing to release",
                          severity: .warning),
        ], "shown once until cleared: logged once")
        _ = state.handle(.character("l"))
        let text = state.render(width: 80, height: 24).textDump()
        #expect(text.contains("09:15:00 message detached; the process runs on"))
    }

    /// The controller names what a message is about: a release is a hold
    /// line, logged once, not a message and a hold line.
    @Test func aMessageIsLoggedOnceAsTheKindItIsShownAs() {
        var state = InspectorState(attached: Fixtures.status, clock: { "09:16:00" })
        state.showMessage(StatusMessage("released thread 4248, held at birth"), loggedAs: .hold)
        state.showMessage(StatusMessage("refresh every 2s"))
        #expect(state.log == [
            EventLogEntry(time: "09:16:00", kind: .hold, text: "released thread 4248, held at birth"),
            EventLogEntry(time: "09:16:00", kind: .message, text: "refresh every 2s"),
        ])
    }

    @Test func logKeepsTheNewestUpToItsCapacity() {
        var state = Fixtures.pickerState()
        state.appendLog(Self.entries(EventLog.capacity - 1))
        state.appendLog([EventLogEntry(time: "", kind: .hold, text: "last-but-one"), EventLogEntry(time: "", kind: .hold, text: "last")])
        #expect(state.log.count == EventLog.capacity)
        #expect(state.log.first?.text == "event 2")
        #expect(state.log.last?.text == "last")
    }

    @Test func longEntriesWrapUnderTheirText() {
        var state = Fixtures.pickerState()
        state.appendLog([EventLogEntry(time: "14:00:00", kind: .signal,
                                       text: String(repeating: "SIGUSR1 passed on to 4243; ", count: 5))])
        _ = state.handle(.character("l"))
        let grid = state.render(width: 80, height: 24)
        let lines = grid.textDump().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2].hasPrefix("│14:00:00 signal  SIGUSR1 passed on to 4243;"))
        #expect(lines[3].hasPrefix("│                 passed on to 4243; SIGUSR1"))
        #expect(grid.droppedWrites == 0)
        #expect(lines[23].hasPrefix("Up/DownScroll"))
    }
}
