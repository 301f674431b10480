/// The attached screen: four panes, the status line and the key bar. Keys go
/// to the focused pane unless they are global; what must happen outside the
/// screen comes back as a command.
struct MainScreen: Sendable {
    /// Refresh intervals `+` and `-` step through, in seconds.
    static let intervalSteps: [Double] = [0.25, 0.5, 1, 2, 5, 10]

    private(set) var status: InspectorStatus
    private(set) var focus = PaneID.threads
    private(set) var tree = ProcessTreePane()
    private(set) var threads = ThreadTablePane()
    private(set) var backtrace = BacktracePane()
    private(set) var flags = HoldFlagPane()
    /// `b`: where to set a hold point, being typed.
    private(set) var pointPrompt = PointPrompt()
    /// `z`: the focused pane fills the screen; the zoom follows the focus.
    private(set) var zoomed = false
    /// From the last draw: the key bar's arrows need it.
    private var unicode = true

    init(status: InspectorStatus) {
        self.status = status
    }

    /// A new process to show: fresh data, but the focus, the zoom and the thread sort the user chose stay.
    init(status: InspectorStatus, keepingSettingsOf previous: MainScreen) {
        self.init(status: status)
        focus = previous.focus
        zoomed = previous.zoomed
        threads = previous.threads
        threads.setThreads([])
        threads.filter.clear()
        threads.rebuild()
    }

    // MARK: Data from the controller

    mutating func setStatus(_ newStatus: InspectorStatus) { status = newStatus }
    mutating func updateStatus(_ change: (inout InspectorStatus) -> Void) { change(&status) }

    mutating func setProcessTree(_ rows: [ProcessTreeRow], unicode: Bool) { tree.setRows(rows, unicode: unicode) }

    /// Returns `.selectThread` when the selection moved to another thread
    /// (the first snapshot, or the selected thread has gone).
    mutating func setThreads(_ rows: [ThreadRow]) -> InspectorCommand? {
        let before = threads.selectedTID
        threads.setThreads(rows)
        backtrace.keepOnly(Set(rows.map(\.tid)))
        return syncBacktrace(previousTID: before)
    }

    mutating func setBacktrace(_ backtrace: Backtrace) { self.backtrace.setBacktrace(backtrace) }
    mutating func clearBacktraces() { backtrace.clear() }
    mutating func setHoldFlags(_ rows: [HoldFlagRow]) { flags.setFlags(rows) }

    /// A filter or a hold point's location is being typed: keys are text.
    var isTypingFilter: Bool { threads.filter.typing || pointPrompt.typing }

    /// The function names `b`'s Tab completes, sorted.
    mutating func setPointNames(_ sorted: [String]) { pointPrompt.setNames(sorted) }

    /// Where `f` lands: `tid` selected in pane 2 (its group's row when
    /// grouped; the filter cleared if it hid it), pane 2 focused. False when
    /// the table has no such thread (yet).
    mutating func select(tid: Int32) -> Bool {
        let before = threads.selectedTID
        guard threads.select(tid: tid) else { return false }
        focus = .threads
        _ = syncBacktrace(previousTID: before)
        return true
    }

    // MARK: Layout

    /// Tells each list how many rows it shows, so page keys and scrolling
    /// match what is on screen.
    mutating func applyLayout(width: Int, height: Int) -> MainLayout? {
        guard let layout = layout(width: width, height: height) else { return nil }
        tree.setViewport(layout.box(.tree).interior, unicode: unicode)
        threads.setViewport(layout.box(.threads).interior, unicode: unicode)
        backtrace.setViewport(layout.box(.backtrace).interior, unicode: unicode)
        flags.setViewport(layout.box(.flags).interior, unicode: unicode)
        return layout
    }

    /// The layout for what the panes hold now.
    func layout(width: Int, height: Int) -> MainLayout? {
        let content = MainLayout.Content(threadRows: threads.unfilteredRowCount, backtraceRows: backtrace.wantedRows,
                                         treeRows: tree.list.rows.count, flagRows: flags.list.rows.count)
        return MainLayout(width: width, height: height, content: content, zoomed: zoomed ? focus : nil)
    }

    // MARK: Keys

    mutating func handle(_ key: KeyEvent, width: Int, height: Int, message: inout StatusMessage?) -> KeyOutcome {
        let layout = applyLayout(width: width, height: height)
        let before = threads.selectedTID
        var outcome = dispatch(key, layout: layout, width: width, message: &message)
        if let select = syncBacktrace(previousTID: before), outcome.command == nil {
            outcome.command = select
        }
        return outcome
    }

    /// Keeps pane 3 on the selected thread; a changed selection asks for its backtrace.
    mutating func syncBacktrace(previousTID: Int32?) -> InspectorCommand? {
        backtrace.show(threads.selectedThread)
        guard let tid = threads.selectedTID, tid != previousTID else { return nil }
        return .selectThread(tid)
    }

    private mutating func dispatch(_ key: KeyEvent, layout: MainLayout?, width: Int,
                                   message: inout StatusMessage?) -> KeyOutcome {
        if threads.filter.handle(key) {
            threads.rebuild()
            return .redraw
        }
        if let typed = pointPrompt.handle(key) { return pointPromptOutcome(typed, message: &message) }
        switch key {
        case .character(let digit) where ("1"..."4").contains(digit):
            focus = PaneID(rawValue: Int(String(digit))!)!
        case .character("z"): zoomed.toggle()
        case .tab: focus = focus.next(by: 1)
        case .backTab: focus = focus.next(by: -1)
        case .character(" "): return toggleSelectedFlag(message: &message)
        case .enter: return enter(message: &message)
        case .character("r"): return releaseSelectedThread(message: &message)
        case .character("b"):
            pointPrompt.start()
            return .command(.openPointPrompt(pid: status.pid))
        case .character("n"): return .command(.toggleHoldNew)
        case .character("p"): return .command(.togglePause)
        case .character("+"), .character("="): return stepInterval(by: 1, message: &message)
        case .character("-"): return stepInterval(by: -1, message: &message)
        case .character("/"), .function(3):
            threads.filter.start()
            focus = .threads
        case .character("s"), .character(">"), .function(6): threads.cycleSort(by: 1)
        case .character("<"): threads.cycleSort(by: -1)
        case .character("I"): threads.invertSort()
        case .character("c"):
            threads.toggleGrouping()
            return .command(.setGrouping(threads.grouped))
        case .character("g"): return .command(.handToGDB(pid: status.pid, thread: threads.selectedTID))
        case .character("f"): return followSelectedWait(message: &message)
        case .character("a"): return .command(.openPicker)
        case .character("d"): return .command(.detach)
        case .character("q"), .function(10): return .command(.quit)
        case .escape:
            guard threads.filter.isActive else { return .ignored }
            threads.filter.clear()
            threads.rebuild()
        case .mouse(let x, let y, let kind):
            guard let layout else { return .ignored }
            return mouse(x: x, y: y, kind: kind, layout: layout)
        default:
            return moveInFocusedPane(key) ? .redraw : .ignored
        }
        return .redraw
    }

    private mutating func moveInFocusedPane(_ key: KeyEvent) -> Bool {
        switch focus {
        case .tree: tree.handleMovement(key)
        case .threads: threads.handleMovement(key)
        case .backtrace: backtrace.handleMovement(key)
        case .flags: flags.handleMovement(key)
        }
    }

    private mutating func toggleSelectedFlag(message: inout StatusMessage?) -> KeyOutcome {
        guard focus == .flags else {
            message = StatusMessage("Space sets or clears a hold flag: press 4 for the flags pane")
            return .redraw
        }
        guard let flag = flags.selectedFlag else {
            message = StatusMessage("no hold flags in this process; b sets a hold point", severity: .warning)
            return .redraw
        }
        if let id = flag.pointID { return .command(.removeHoldPoint(id: id)) }
        return .command(.toggleFlag(name: flag.name, address: flag.address))
    }

    private mutating func pointPromptOutcome(_ outcome: PointPrompt.Outcome, message: inout StatusMessage?) -> KeyOutcome {
        switch outcome {
        case .typing, .cancelled:
            return .redraw
        case .completed(let shown, let total):
            if total == 0 {
                message = StatusMessage(pointPrompt.names.isEmpty ? "no function names read yet" : "no function starts so",
                                        severity: .warning)
            } else if total > 1 {
                message = StatusMessage("\(total) functions: " + shown.joined(separator: "  ") + (total > shown.count ? "  …" : ""))
            }
            return .redraw
        case .done(let request):
            return .command(.addHoldPoint(pid: status.pid, location: request.location, threadPattern: request.threadPattern))
        }
    }

    /// Only a held thread can be released; anything else gets a reason, not
    /// a command. A grouped row releases every held thread of its group.
    private mutating func releaseSelectedThread(message: inout StatusMessage?) -> KeyOutcome {
        guard let thread = threads.selectedThread else {
            message = StatusMessage("no thread selected", severity: .warning)
            return .redraw
        }
        if threads.grouped, thread.memberTIDs.count > 1 {
            guard !thread.heldMemberTIDs.isEmpty else {
                let tids = thread.memberTIDs.map(String.init).joined(separator: " ")
                message = StatusMessage("none of the \(thread.memberTIDs.count) threads with this stack (\(tids)) is held; nothing to release",
                                        severity: .warning)
                return .redraw
            }
            return .command(.releaseThreads(thread.heldMemberTIDs))
        }
        guard thread.isHeld else {
            message = StatusMessage("\(thread.tid) \(thread.name) is not held; nothing to release", severity: .warning)
            return .redraw
        }
        return .command(.releaseThreads([thread.tid]))
    }

    private mutating func enter(message: inout StatusMessage?) -> KeyOutcome {
        switch focus {
        case .threads:
            focus = .backtrace
            return .redraw
        case .tree:
            guard let process = tree.selectedProcess else { return .ignored }
            if process.isCurrent {
                message = StatusMessage("already showing \(process.pid) \(process.command)")
            } else if let exited = process.exited {
                message = StatusMessage("\(process.pid) \(process.command) has gone (\(exited))", severity: .warning)
            } else if tree.selectedIsAttachableChild {
                return .command(.attachAlso(process.pid))
            } else if !process.traced {
                message = StatusMessage("\(process.pid) \(process.command) is not traced by lwpscope", severity: .warning)
            } else {
                return .command(.switchProcess(process.pid))
            }
            return .redraw
        case .backtrace:
            guard let command = backtrace.selectedFrameCommand else { return .ignored }
            return .command(command)
        case .flags:
            return .ignored
        }
    }

    /// Steps along `intervalSteps` from the current interval, which may lie between steps.
    private mutating func stepInterval(by direction: Int, message: inout StatusMessage?) -> KeyOutcome {
        let current = status.interval
        let next = direction > 0
            ? Self.intervalSteps.first { $0 > current + 1e-9 }
            : Self.intervalSteps.last { $0 < current - 1e-9 }
        guard let next else {
            let bound = direction > 0 ? "longest" : "shortest"
            message = StatusMessage("refresh interval is already \(Formatting.seconds(current)), the \(bound)")
            return .redraw
        }
        // Kept here; the command only tells the controller to reschedule.
        status.interval = next
        return .command(.setInterval(next))
    }

    /// A click focuses the pane under it and selects the row; the wheel
    /// scrolls the pane under the pointer without moving the focus.
    private mutating func mouse(x: Int, y: Int, kind: KeyEvent.MouseKind, layout: MainLayout) -> KeyOutcome {
        guard let pane = layout.pane(atX: x, y: y) else { return .ignored }
        let interior = layout.box(pane).interior
        switch kind {
        case .wheelUp, .wheelDown:
            let delta = kind == .wheelUp ? -3 : 3
            switch pane {
            case .tree: tree.scroll(by: delta)
            case .threads: threads.scroll(by: delta)
            case .backtrace: backtrace.scroll(by: delta)
            case .flags: flags.scroll(by: delta)
            }
        case .leftClick:
            focus = pane
            switch pane {
            case .tree:
                if let index = tree.rowIndex(atLine: y - tree.listRect(interior).y) { tree.select(index: index) }
            case .threads:
                if let index = threads.rowIndex(atLine: y - threads.listRect(interior).y) { threads.select(index: index) }
            case .backtrace:
                if let index = backtrace.rowIndex(atLine: y - backtrace.listRect(interior).y) { backtrace.select(index: index) }
            case .flags:
                if let index = flags.rowIndex(atLine: y - flags.listRect(interior).y) { flags.select(index: index) }
            }
        }
        return .redraw
    }

    // MARK: Drawing

    /// The focused pane's keys and the global ones (see `MainKeys`).
    var keyBarItems: [KeyBarItem] {
        MainKeys.bar(for: focus, MainKeys.Situation(paused: status.paused, zoomed: zoomed,
                                                    attachesChild: tree.selectedIsAttachableChild, unicode: unicode))
    }

    mutating func draw(into grid: inout CellGrid, context: DrawContext) {
        unicode = context.unicode
        guard let layout = applyLayout(width: grid.width, height: grid.height) else {
            TooSmall.draw(into: &grid, minimumWidth: MainLayout.minimumWidth, minimumHeight: MainLayout.minimumHeight,
                          theme: context.theme)
            return
        }
        StatusLine.drawMain(status, into: &grid, context: context)
        let shown = PaneID.allCases.filter { !layout.box($0).isEmpty }
        var canvas = BoxCanvas(width: grid.width, height: grid.height)
        for pane in shown { canvas.addBox(layout.box(pane)) }
        canvas.draw(into: &grid, unicode: context.unicode, style: context.theme.border)
        for pane in shown {
            let box = layout.box(pane), focused = pane == focus
            PaneBorderText.draw(title: paneTitle(pane) + (zoomed ? " (zoomed)" : ""), position: position(pane),
                                box: box, focused: focused, into: &grid, theme: context.theme,
                                unicode: context.unicode)
            switch pane {
            case .tree: tree.draw(into: &grid, interior: box.interior, focused: focused, context: context)
            case .threads: threads.draw(into: &grid, interior: box.interior, focused: focused, context: context)
            case .backtrace: backtrace.draw(into: &grid, interior: box.interior, focused: focused, context: context)
            case .flags: flags.draw(into: &grid, interior: box.interior, focused: focused, context: context)
            }
        }
        if threads.filter.typing {
            KeyBar.drawFilterPrompt(threads.filter, label: "Filter threads: ", into: &grid, y: layout.keyBarRow,
                                    theme: context.theme)
        } else if pointPrompt.typing {
            KeyBar.drawPrompt(label: "Hold point at: ", text: pointPrompt.text,
                              keys: [("Tab", "Complete"), ("Enter", "Set"), ("Esc", "Cancel")], into: &grid,
                              y: layout.keyBarRow, theme: context.theme)
        } else {
            KeyBar.draw(keyBarItems, into: &grid, y: layout.keyBarRow, theme: context.theme)
        }
    }

    private func position(_ pane: PaneID) -> String? {
        switch pane {
        case .tree: tree.position
        case .threads: threads.position
        case .backtrace: backtrace.position
        case .flags: flags.position
        }
    }

    private func paneTitle(_ pane: PaneID) -> String {
        switch pane {
        case .tree: tree.title
        case .threads: threads.title
        case .backtrace: backtrace.title
        case .flags: flags.title
        }
    }
}
