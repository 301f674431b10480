/// Where the main screen's panes go. Panes share their borders, so the
/// screen reads as one frame divided by lines, like gdb's TUI. Space goes
/// where the work is: the backtrace, the process tree and the hold flags are
/// as tall as their content (within a minimum and a share of the screen) and
/// the thread table gets the rest; when the threads need more rows than are
/// left, the backtrace gives way down to its minimum.
///
/// Narrow (80x24): threads across the top, where the columns need the width;
/// below, the backtrace on the left and the process tree over the hold flags
/// in a narrow right column.
/// Wide (from 110x30): the tree over the flags in a left side column beside
/// the threads; the backtrace across the whole width below, where its long
/// lines fit.
/// Zoomed (`z`): the one pane takes everything between the status line and
/// the key bar.
struct MainLayout: Sendable {
    static let minimumWidth = 40
    static let minimumHeight = 10
    /// Interior rows the backtrace keeps however many threads there are.
    static let minimumBacktraceRows = 4

    /// How many rows each pane would like, header included.
    struct Content: Hashable, Sendable {
        var threadRows = 0
        var backtraceRows = 0
        var treeRows = 0
        var flagRows = 0

        init(threadRows: Int = 0, backtraceRows: Int = 0, treeRows: Int = 0, flagRows: Int = 0) {
            self.threadRows = threadRows
            self.backtraceRows = backtraceRows
            self.treeRows = treeRows
            self.flagRows = flagRows
        }
    }

    let statusRow = 0
    let keyBarRow: Int
    /// Each pane's box, borders included; neighbours overlap on a border.
    /// A zoomed layout has one box only.
    let boxes: [PaneID: Rect]

    init?(width: Int, height: Int, content: Content = Content(), zoomed: PaneID? = nil) {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else { return nil }
        keyBarRow = height - 1
        let top = 1, mainHeight = height - 2
        if let zoomed {
            boxes = [zoomed: Rect(x: 0, y: top, width: width, height: mainHeight)]
            return
        }
        // Box heights wanted: interior (header included) plus two borders.
        let threadsWant = content.threadRows + 1 + 2
        let backtraceWant = max(Self.minimumBacktraceRows, content.backtraceRows) + 2
        let treeWant = max(3, content.treeRows + 1) + 2
        let flagsWant = max(2, content.flagRows + 1) + 2
        if width >= 110, height >= 30 {
            let side = min(44, max(24, width * 30 / 100))
            let backtraceMax = max(Self.minimumBacktraceRows, mainHeight * 40 / 100) + 2
            var backtraceHeight = min(backtraceWant, backtraceMax)
            if mainHeight + 1 - backtraceHeight < threadsWant {
                backtraceHeight = max(Self.minimumBacktraceRows + 2, mainHeight + 1 - threadsWant)
            }
            let upperHeight = mainHeight + 1 - backtraceHeight
            let treeHeight = max(5, min(treeWant, upperHeight / 2))
            boxes = [
                .tree: Rect(x: 0, y: top, width: side, height: treeHeight),
                .flags: Rect(x: 0, y: top + treeHeight - 1, width: side, height: upperHeight - treeHeight + 1),
                .threads: Rect(x: side - 1, y: top, width: width - side + 1, height: upperHeight),
                .backtrace: Rect(x: 0, y: top + upperHeight - 1, width: width, height: backtraceHeight),
            ]
        } else {
            // The threads keep a header and two rows; the bottom row of panes
            // keeps the backtrace's minimum and a tree and flags of two rows each.
            let threadsMinimum = 5
            let bottomMinimum = min(8, mainHeight + 1 - threadsMinimum)
            let bottomMaximum = max(bottomMinimum, mainHeight * 55 / 100)
            var bottomHeight = min(max(backtraceWant, treeWant + flagsWant - 1), bottomMaximum)
            if mainHeight + 1 - bottomHeight < threadsWant {
                bottomHeight = mainHeight + 1 - threadsWant
            }
            bottomHeight = max(bottomMinimum, bottomHeight)
            let threadsHeight = mainHeight + 1 - bottomHeight
            let bottomTop = top + threadsHeight - 1
            let side = min(34, max(16, width * 36 / 100))
            // The flags keep at least a header and a row; the tree gets its content.
            let treeHeight = max(2, min(treeWant, bottomHeight + 1 - min(flagsWant, 4)))
            boxes = [
                .threads: Rect(x: 0, y: top, width: width, height: threadsHeight),
                .backtrace: Rect(x: 0, y: bottomTop, width: width - side + 1, height: bottomHeight),
                .tree: Rect(x: width - side, y: bottomTop, width: side, height: treeHeight),
                .flags: Rect(x: width - side, y: bottomTop + treeHeight - 1, width: side,
                             height: bottomHeight - treeHeight + 1),
            ]
        }
    }

    func box(_ pane: PaneID) -> Rect { boxes[pane] ?? Rect(x: 0, y: 0, width: 0, height: 0) }

    /// The pane whose inside holds the point; a border belongs to no pane.
    func pane(atX x: Int, y: Int) -> PaneID? {
        PaneID.allCases.first { box($0).interior.contains(x: x, y: y) }
    }
}

/// The picker: status line, column header, the list, and the key bar.
struct PickerLayout: Sendable {
    static let minimumWidth = 20
    static let minimumHeight = 4

    let statusRow = 0
    let headerRow = 1
    let list: Rect
    let keyBarRow: Int

    init?(width: Int, height: Int) {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else { return nil }
        list = Rect(x: 0, y: 2, width: width, height: height - 3)
        keyBarRow = height - 1
    }
}
