/// What a terminal below a screen's minimum shows instead of a broken layout.
enum TooSmall {
    static func draw(into grid: inout CellGrid, minimumWidth: Int, minimumHeight: Int, theme: Theme) {
        let lines = ["terminal too small", "need \(minimumWidth)x\(minimumHeight)", "q quits"]
        let top = max(0, (grid.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() where top + offset < grid.height {
            let x = max(0, (grid.width - line.count) / 2)
            grid.put(line, x: x, y: top + offset, style: offset == 0 ? theme.warning : theme.normal,
                     maxWidth: grid.width - x)
        }
    }
}
