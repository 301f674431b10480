/// What a pane's top border says: its title at the left, its list position
/// (`12/36`) at the right.
enum PaneBorderText {
    /// The title at the left of the top border, the list position (`12/36`)
    /// at its right; the title gives way, cut as every cut is. Neither
    /// covers a junction where another pane's border meets this one.
    static func draw(title: String, position: String?, box: Rect, focused: Bool, into grid: inout CellGrid,
                     theme: Theme, unicode: Bool = true) {
        let plainBorder: Set<Character> = ["─", "-"]
        let start = box.x + 1
        var end = start
        while end < box.maxX - 1, plainBorder.contains(grid[end, box.y].character) { end += 1 }
        var rightStart = box.maxX - 1
        while rightStart > end, plainBorder.contains(grid[rightStart - 1, box.y].character) { rightStart -= 1 }
        var used = 0
        if let position {
            let text = " \(position) "
            let sameRun = rightStart <= end
            if sameRun ? text.count + 6 <= end - start : text.count + 1 <= box.maxX - 1 - rightStart {
                grid.put(text, x: box.maxX - 1 - text.count, y: box.y, style: theme.title)
                used = text.count + 1
            }
        }
        // A title too long for the run before a junction goes after the last one.
        var titleStart = start, room = end - start - (rightStart <= end ? used : 0)
        if rightStart > end, title.count + 2 > room, box.maxX - 1 - used - rightStart > room {
            titleStart = rightStart
            room = box.maxX - 1 - used - rightStart
        }
        guard room > 2 else { return }
        let cut = TerminalText.truncate(title, to: room - 2, unicode: unicode)
        guard !cut.isEmpty else { return }
        grid.put(" \(cut) ", x: titleStart, y: box.y, style: focused ? theme.focusTitle : theme.title, maxWidth: room)
    }
}
