/// Pane 3: the backtrace of the thread selected in pane 2. Backtraces arrive
/// later than threads (the controller fetches them lazily), so they are kept
/// per tid and the pane says when the selected one has not come yet.
///
/// A line too wide for the pane loses its pc column first; if it still does
/// not fit, its `at file:line` stays pinned at the right edge and Left/Right
/// scroll the rest, so every line keeps its line number at any scroll.
struct BacktracePane: Sendable {
    private(set) var cache: [Int32: Backtrace] = [:]
    private(set) var thread: ThreadRow?
    private(set) var list = ListPane<BacktraceFrame>()
    private(set) var side = SideScroll()
    /// Frames of the last backtrace shown, for the layout: the pane keeps its
    /// height while the next one is fetched.
    private(set) var wantedRows = 0
    private var unicode = true

    /// Follows the thread selection; a different thread starts at frame #0.
    mutating func show(_ newThread: ThreadRow?) {
        let changed = newThread?.tid != thread?.tid
        thread = newThread
        if changed {
            list = ListPane()
            side.reset()
            setFrames(newThread.flatMap { cache[$0.tid]?.frames } ?? [])
        }
    }

    mutating func setBacktrace(_ backtrace: Backtrace) {
        cache[backtrace.tid] = backtrace
        if backtrace.tid == thread?.tid { setFrames(backtrace.frames) }
    }

    private mutating func setFrames(_ frames: [BacktraceFrame]) {
        list.setRows(frames)
        if !frames.isEmpty { wantedRows = frames.count }
    }

    /// Drops backtraces of threads that are gone.
    mutating func keepOnly(_ tids: Set<Int32>) {
        cache = cache.filter { tids.contains($0.key) }
    }

    mutating func clear() {
        cache = [:]
        if thread != nil { list.setRows([]) }
    }

    mutating func handleMovement(_ key: KeyEvent) -> Bool { side.handle(key) || list.handleMovement(key) }
    mutating func scroll(by delta: Int) { list.scroll(by: delta) }
    mutating func select(index: Int) { list.select(index: index) }
    func rowIndex(atLine line: Int) -> Int? { list.rowIndex(atLine: line) }
    func listRect(_ interior: Rect) -> Rect { interior }

    /// The rows shown and how far the widest line reaches past the pane.
    mutating func setViewport(_ interior: Rect, unicode: Bool) {
        self.unicode = unicode
        list.visibleRows = listRect(interior).height
        let layout = LineLayout(list.rows, width: interior.width)
        side.overflow = list.rows.map { layout.overflow(of: $0) }.max() ?? 0
    }

    /// A group's row names the other threads with its stack.
    var title: String {
        guard let thread else { return "3 Backtrace" }
        var title = "3 Backtrace \(thread.tid) \(thread.name)"
        let others = thread.memberTIDs.filter { $0 != thread.tid }
        if thread.groupSize > 1 { title += " and \(thread.groupSize - 1) more with this stack" }
        if !others.isEmpty { title += ": " + others.map(String.init).joined(separator: " ") }
        let marks = side.marks(unicode: unicode)
        return marks.isEmpty ? title : title + " " + marks
    }

    /// The frame under the cursor, to show in the frame overlay.
    var selectedFrameCommand: InspectorCommand? {
        guard let thread, let frame = list.selectedRow else { return nil }
        return .showFrame(tid: thread.tid, frame: frame.index)
    }

    /// `#3` of 7 frames as `4/7`.
    var position: String? { list.rows.isEmpty ? nil : "\(list.selectedIndex + 1)/\(list.rows.count)" }

    func draw(into grid: inout CellGrid, interior: Rect, focused: Bool, context: DrawContext) {
        guard !interior.isEmpty else { return }
        let theme = context.theme
        func say(_ text: String, _ style: CellStyle) {
            StyledLine(TerminalText.truncate(text, to: interior.width, unicode: context.unicode), style: style)
                .draw(into: &grid, x: interior.x, y: interior.y, width: interior.width)
        }
        guard let thread else { return say("no thread selected", theme.muted) }
        guard let backtrace = cache[thread.tid] else { return say("fetching backtrace...", theme.muted) }
        if let error = backtrace.error, backtrace.frames.isEmpty { return say(error, theme.error) }
        if backtrace.frames.isEmpty { return say("no frames", theme.muted) }
        let layout = LineLayout(backtrace.frames, width: interior.width)
        let shift = side.offset, unicode = context.unicode
        list.draw(into: &grid, rect: interior, focused: focused, theme: theme) { frame in
            layout.line(frame, shift: shift, theme: theme, unicode: unicode)
        }
    }

    /// How the frames of one backtrace are written at one width.
    struct LineLayout {
        let indexWidth: Int
        let pcWidth: Int
        let width: Int
        /// The widest whole line does not fit: drop the pc column.
        let compact: Bool

        init(_ frames: [BacktraceFrame], width: Int) {
            let indexWidth = "#\(frames.map(\.index).max() ?? 0)".count
            let pcWidth = frames.map { String($0.pc, radix: 16).count }.max() ?? 1
            self.indexWidth = indexWidth
            self.pcWidth = pcWidth
            self.width = width
            let widest = frames.map { $0.text(indexColumns: indexWidth + 1, pcDigits: pcWidth, paths: .fileName).count }
            compact = (widest.max() ?? 0) > width
        }

        /// `#0  0x7f90770ed545 clock_nanosleep+0x65 (libc.so.6)` and ` at nanosleep.c:25`,
        /// in `FrameText`'s words with paths by file name; the pc column is as
        /// wide as the widest pc in the backtrace.
        func parts(_ frame: BacktraceFrame, theme: Theme) -> (head: StyledLine, pinned: StyledLine) {
            var head = StyledLine(), pinned = StyledLine()
            let spans = frame.spans(indexColumns: indexWidth + 1, pcDigits: pcWidth, paths: .fileName)
            for (offset, span) in spans.enumerated() {
                var text = span.text
                if offset == 0, compact {
                    let number = "#\(frame.index)"
                    text = number + String(repeating: " ", count: max(1, indexWidth + 1 - number.count))
                }
                let style = span.role == .name ? theme.normal : theme.muted
                if frame.file != nil, frame.line != nil, offset == spans.count - 1 {
                    pinned.append(text, style)
                } else {
                    head.append(text, style)
                }
            }
            return (head, pinned)
        }

        /// Columns of `frame`'s line that only a scroll shows.
        func overflow(of frame: BacktraceFrame) -> Int {
            let (head, pinned) = parts(frame, theme: Theme(colors: false))
            let room = room(for: pinned)
            return room == width ? max(0, head.count + pinned.count - width) : max(0, head.count - room)
        }

        /// The head's columns beside a pinned `at file:line` (all of them
        /// without one). The source position may take up to two thirds of the
        /// pane: glibc's file names are long, and the head scrolls sideways.
        private func room(for pinned: StyledLine) -> Int {
            pinned.count > 0 && pinned.count <= width * 2 / 3 ? width - pinned.count : width
        }

        func line(_ frame: BacktraceFrame, shift: Int, theme: Theme, unicode: Bool) -> StyledLine {
            let (head, pinned) = parts(frame, theme: theme)
            guard head.count + pinned.count > width else {
                var whole = head
                whole.spans += pinned.spans
                return whole
            }
            let room = room(for: pinned)
            if room == width {
                var whole = head
                whole.spans += pinned.spans
                return whole.window(start: min(shift, whole.count - width), width: width, unicode: unicode)
            }
            var line = head.window(start: min(shift, max(0, head.count - room)), width: room, unicode: unicode)
            let padding = room - line.count
            if padding > 0 { line.append(String(repeating: " ", count: padding)) }
            line.spans += pinned.spans
            return line
        }
    }
}
