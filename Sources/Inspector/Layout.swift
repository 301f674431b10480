/// Where the main screen's panes go. Panes share their borders, so the
/// screen reads as one frame divided by lines, like gdb's TUI.
///
/// Narrow (80x24): threads across the top, where the columns need the width;
/// below, the backtrace on the left and the process tree over the hold flags
/// in a narrow right column.
/// Wide (from 110x30): the tree over the flags in a left side column; threads
/// over the backtrace, which takes everything that is left.
struct MainLayout: Sendable {
    static let minimumWidth = 40
    static let minimumHeight = 10

    let statusRow = 0
    let keyBarRow: Int
    /// Each pane's box, borders included; neighbours overlap on a border.
    let boxes: [PaneID: Rect]

    init?(width: Int, height: Int) {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else { return nil }
        keyBarRow = height - 1
        let top = 1, mainHeight = height - 2
        if width >= 110, height >= 30 {
            let side = min(44, max(24, width * 30 / 100))
            let treeHeight = (mainHeight + 1) / 2
            let threadsHeight = mainHeight * 45 / 100
            boxes = [
                .tree: Rect(x: 0, y: top, width: side, height: treeHeight),
                .flags: Rect(x: 0, y: top + treeHeight - 1, width: side, height: mainHeight - treeHeight + 1),
                .threads: Rect(x: side - 1, y: top, width: width - side + 1, height: threadsHeight),
                .backtrace: Rect(x: side - 1, y: top + threadsHeight - 1, width: width - side + 1,
                                 height: mainHeight - threadsHeight + 1),
            ]
        } else {
            let threadsHeight = max(5, (mainHeight * 45 + 50) / 100)
            let bottomTop = top + threadsHeight - 1
            let bottomHeight = mainHeight - threadsHeight + 1
            let side = min(34, max(16, width * 36 / 100))
            let treeHeight = (bottomHeight + 1) / 2
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
