/// Pane 3: the backtrace of the thread selected in pane 2. Backtraces arrive
/// later than threads (the controller fetches them lazily), so they are kept
/// per tid and the pane says when the selected one has not come yet.
struct BacktracePane: Sendable {
    private(set) var cache: [Int32: Backtrace] = [:]
    private(set) var thread: ThreadRow?
    private(set) var list = ListPane<BacktraceFrame>()

    /// Follows the thread selection; a different thread starts at frame #0.
    mutating func show(_ newThread: ThreadRow?) {
        let changed = newThread?.tid != thread?.tid
        thread = newThread
        if changed {
            list = ListPane()
            list.setRows(newThread.flatMap { cache[$0.tid]?.frames } ?? [])
        }
    }

    mutating func setBacktrace(_ backtrace: Backtrace) {
        cache[backtrace.tid] = backtrace
        if backtrace.tid == thread?.tid { list.setRows(backtrace.frames) }
    }

    /// Drops backtraces of threads that are gone.
    mutating func keepOnly(_ tids: Set<Int32>) {
        cache = cache.filter { tids.contains($0.key) }
    }

    mutating func clear() {
        cache = [:]
        if thread != nil { list.setRows([]) }
    }

    mutating func handleMovement(_ key: KeyEvent) -> Bool { list.handleMovement(key) }
    mutating func scroll(by delta: Int) { list.scroll(by: delta) }
    mutating func select(index: Int) { list.select(index: index) }
    func rowIndex(atLine line: Int) -> Int? { list.rowIndex(atLine: line) }
    func listRect(_ interior: Rect) -> Rect { interior }
    mutating func setVisibleRows(_ interior: Rect) { list.visibleRows = listRect(interior).height }

    var title: String {
        guard let thread else { return "3 Backtrace" }
        let others = thread.groupSize - 1
        return "3 Backtrace \(thread.tid) \(thread.name)" + (others > 0 ? " and \(others) more with this stack" : "")
    }

    func draw(into grid: inout CellGrid, interior: Rect, focused: Bool, context: DrawContext) {
        guard !interior.isEmpty else { return }
        let theme = context.theme
        func say(_ text: String, _ style: CellStyle) {
            StyledLine(text, style: style).draw(into: &grid, x: interior.x, y: interior.y, width: interior.width)
        }
        guard let thread else { return say("no thread selected", theme.muted) }
        guard let backtrace = cache[thread.tid] else { return say("fetching backtrace...", theme.muted) }
        if let error = backtrace.error, backtrace.frames.isEmpty { return say(error, theme.error) }
        if backtrace.frames.isEmpty { return say("no frames", theme.muted) }
        let indexWidth = "#\(backtrace.frames.map(\.index).max() ?? 0)".count
        let pcWidth = backtrace.frames.map { String($0.pc, radix: 16).count }.max() ?? 1
        list.draw(into: &grid, rect: interior, focused: focused, theme: theme) { frame in
            Self.line(frame, indexWidth: indexWidth, pcWidth: pcWidth, theme: theme)
        }
    }

    /// `#0  0x7f90770ed545 clock_nanosleep+0x65 (libc.so.6) at nanosleep.c:25`,
    /// in `FrameText`'s words with paths by file name; the pc column is as
    /// wide as the widest pc in the backtrace.
    static func line(_ frame: BacktraceFrame, indexWidth: Int, pcWidth: Int, theme: Theme) -> StyledLine {
        var line = StyledLine()
        for span in frame.spans(indexColumns: indexWidth + 1, pcDigits: pcWidth, paths: .fileName) {
            switch span.role {
            case .position, .detail: line.append(span.text, theme.muted)
            case .name: line.append(span.text, theme.normal)
            }
        }
        return line
    }
}
