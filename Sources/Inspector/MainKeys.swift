/// The main screen's keys in one table: each key bar and the help list are
/// built from it, so a key cannot be in the help without a key bar showing it.
/// The key bar follows the focused pane, as lazygit's does: the pane's own
/// keys first, then the ones that work everywhere.
struct MainKey: Sendable {
    struct HelpLine: Hashable, Sendable {
        var keys: String
        var meaning: String
    }

    /// The key as the bar shows it.
    var bar: String
    var label: String
    /// What a click on the bar item does.
    var event: KeyEvent
    /// The panes whose bar shows it; every pane for a global key.
    var panes: Set<PaneID>
    /// 0 always stays; higher numbers are dropped first when the bar is full.
    var dropOrder = 0
    var help: [HelpLine]
}

enum MainKeys {
    /// What the labels depend on.
    struct Situation: Hashable, Sendable {
        var paused = false
        var zoomed = false
        /// Enter in pane 1 would attach the selected child, not show it.
        var attachesChild = false
        var unicode = true
    }

    static let everywhere = Set(PaneID.allCases)

    static func table(_ now: Situation = Situation()) -> [MainKey] {
        func line(_ keys: String, _ meaning: String) -> MainKey.HelpLine { .init(keys: keys, meaning: meaning) }
        return [
            MainKey(bar: "1-4", label: "Pane", event: .tab, panes: everywhere,
                    help: [line("1 2 3 4", "focus processes, threads, backtrace, hold flags"),
                           line("Tab S-Tab", "next / previous pane")]),
            MainKey(bar: "Enter", label: now.attachesChild ? "Attach" : "Show", event: .enter, panes: [.tree],
                    help: [line("Enter", "pane 1: show a traced process; attach an untraced child too")]),
            MainKey(bar: "Spc", label: "Toggle", event: .character(" "), panes: [.flags],
                    help: [line("Space", "pane 4: set or clear a hold flag; remove a hold point")]),
            MainKey(bar: "b", label: "Point", event: .character("b"), panes: [.threads, .backtrace, .flags], dropOrder: 1,
                    help: [line("b", "hold point: park threads reaching a function or FILE:LINE"),
                           line("", "(*0xADDR too; `thread GLOB` after it limits it; Tab completes)")]),
            MainKey(bar: "r", label: "Release", event: .character("r"), panes: [.threads, .backtrace],
                    help: [line("r", "release the selected thread, or a group's held threads")]),
            MainKey(bar: "/", label: "Filter", event: .character("/"), panes: [.threads], dropOrder: 1,
                    help: [line("/", "filter threads by name or any function of their stack")]),
            MainKey(bar: "s", label: "Sort", event: .character("s"), panes: [.threads], dropOrder: 2,
                    help: [line("s < > F6", "sort threads by the next / previous column")]),
            MainKey(bar: "c", label: "Group", event: .character("c"), panes: [.threads], dropOrder: 3,
                    help: [line("c", "group threads with identical stacks, on/off")]),
            MainKey(bar: "f", label: "Follow", event: .character("f"), panes: [.threads, .backtrace], dropOrder: 1,
                    help: [line("f", "go to the other end of the wait: its process, the mutex owner")]),
            MainKey(bar: "g", label: "gdb", event: .character("g"), panes: [.threads, .backtrace], dropOrder: 2,
                    help: [line("g", "hand the process to gdb, on the selected thread")]),
            MainKey(bar: "Enter", label: "Stack", event: .enter, panes: [.threads], dropOrder: 6,
                    help: [line("Enter", "pane 2: go to the thread's backtrace")]),
            MainKey(bar: "Enter", label: "Source", event: .enter, panes: [.backtrace], dropOrder: 4,
                    help: [line("Enter", "pane 3: the frame's source, its line marked")]),
            MainKey(bar: "I", label: "Invert", event: .character("I"), panes: [.threads], dropOrder: 7,
                    help: [line("I", "invert the sort order")]),
            MainKey(bar: "Esc", label: "Clear", event: .escape, panes: [.threads], dropOrder: 7,
                    help: [line("Esc", "clear the thread filter")]),
            MainKey(bar: now.unicode ? "←→" : "Lt/Rt", label: "Scroll", event: .right, panes: everywhere, dropOrder: 3,
                    help: [line("Left Right", "scroll a wide pane sideways")]),
            MainKey(bar: now.unicode ? "↑↓" : "Up/Dn", label: "Move", event: .down, panes: everywhere, dropOrder: 9,
                    help: [line("Up Down j k", "move in the focused pane"),
                           line("PgUp PgDn", "a page up / down; Home End: first / last")]),
            MainKey(bar: "z", label: now.zoomed ? "Unzoom" : "Zoom", event: .character("z"), panes: everywhere,
                    dropOrder: 1, help: [line("z", "zoom the focused pane to the whole screen, and back")]),
            MainKey(bar: "n", label: "HoldNew", event: .character("n"), panes: everywhere, dropOrder: 5,
                    help: [line("n", "hold new threads and children at birth, on/off")]),
            MainKey(bar: "p", label: now.paused ? "Resume" : "Pause", event: .character("p"), panes: everywhere,
                    help: [line("p", "pause / resume refreshing")]),
            MainKey(bar: "+-", label: "Rate", event: .character("+"), panes: everywhere, dropOrder: 6,
                    help: [line("+ -", "refresh less / more often (0.25s to 10s)")]),
            MainKey(bar: "l", label: "Log", event: .character("l"), panes: everywhere, dropOrder: 4,
                    help: [line("l", "event log: forks, execs, exits, births, holds, signals")]),
            MainKey(bar: "a", label: "Add", event: .character("a"), panes: everywhere, dropOrder: 5,
                    help: [line("a", "add a process to the session: the picker, `a` there adds it")]),
            MainKey(bar: "d", label: "Detach", event: .character("d"), panes: everywhere, dropOrder: 4,
                    help: [line("d", "detach the shown process, leaving it running; the others stay")]),
            MainKey(bar: "?", label: "Help", event: .function(1), panes: everywhere,
                    help: [line("? F1", "this help")]),
            MainKey(bar: "q", label: "Quit", event: .character("q"), panes: everywhere,
                    help: [line("q F10", "quit")]),
        ]
    }

    /// What the help says besides keys.
    static let notes: [MainKey.HelpLine] = [
        .init(keys: "Mouse", meaning: "click focuses, selects, acts as a key bar key; wheel scrolls"),
        .init(keys: "Marks", meaning: "* shown  T traced  B held at birth"),
        .init(keys: "HELD", meaning: "the flag; @ and the hold point; birth"),
        .init(keys: "deadlock", meaning: "WAITS ON: the thread is in a wait-for cycle"),
    ]

    /// The main screen's help, in the shape `HelpOverlay.draw` takes.
    static var helpLines: [(keys: String, meaning: String)] {
        (table().flatMap(\.help) + notes).map { ($0.keys, $0.meaning) }
    }

    /// The key bar for the focused pane.
    static func bar(for pane: PaneID, _ now: Situation) -> [KeyBarItem] {
        table(now).filter { $0.panes.contains(pane) }.map {
            KeyBarItem(key: $0.bar, label: $0.label, event: $0.event, dropOrder: $0.dropOrder)
        }
    }
}
