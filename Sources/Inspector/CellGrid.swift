/// The whole screen as cells. Every render builds a fresh grid and the driver
/// diffs it against the last one, so nothing here knows about terminals.
/// Writes outside the grid are dropped: callers truncate, the grid is the last guard.
public struct CellGrid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard contains(x: x, y: y) else { return .blank }
            return cells[y * width + x]
        }
        set {
            guard contains(x: x, y: y) else { return }
            cells[y * width + x] = Cell(TerminalText.singleColumn(newValue.character), style: newValue.style)
        }
    }

    public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    /// Writes `text` from column `x`, at most `maxWidth` columns. Returns the
    /// column after the last one written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, maxWidth: Int? = nil) -> Int {
        let limit = maxWidth.map { x + max(0, $0) } ?? Int.max
        var column = x
        for character in text {
            if column >= limit { break }
            guard contains(x: column, y: y) else {
                // Text meant to be seen but off the grid: callers should have cut it.
                droppedWrites += 1
                break
            }
            self[column, y] = Cell(character, style: style)
            column += 1
        }
        return column
    }

    /// How many writes fell off the grid. Panes cut their text to their own
    /// width, so anything here is a layout bug; tests keep it at zero.
    public private(set) var droppedWrites = 0

    /// Fills a rectangle with one cell, clipped to the grid.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let clipped = rect.intersection(Rect(x: 0, y: 0, width: width, height: height))
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX { self[x, y] = cell }
        }
    }

    /// This grid with `count` blank rows inserted before row `y`, e.g. to make
    /// room for a message that wraps; what was written off it stays counted.
    public func insertingRows(_ count: Int, before y: Int) -> CellGrid {
        var taller = CellGrid(width: width, height: height + max(0, count))
        let split = max(0, min(y, height)) * width
        taller.cells = Array(cells[..<split]) + Array(repeating: .blank, count: max(0, count) * width)
            + Array(cells[split...])
        taller.droppedWrites = droppedWrites
        return taller
    }

    /// Changes the style of cells already written, e.g. to mark a selected row.
    public mutating func restyle(_ rect: Rect, _ change: (inout CellStyle) -> Void) {
        let clipped = rect.intersection(Rect(x: 0, y: 0, width: width, height: height))
        for y in clipped.y..<clipped.maxY {
            for x in clipped.x..<clipped.maxX { change(&cells[y * width + x].style) }
        }
    }

    /// The characters, one line per row, trailing blanks kept so every line is
    /// exactly `width` columns: snapshots then show the width too.
    public func textDump() -> String {
        (0..<height).map { y in String((0..<width).map { cells[y * width + $0].character }) }
            .joined(separator: "\n")
    }

    /// Each cell's color role as one letter (see `ColorRole`), for style snapshots.
    public func styleDump() -> String {
        (0..<height).map { y in String((0..<width).map { cells[y * width + $0].style.role.rawValue }) }
            .joined(separator: "\n")
    }

    /// Each cell's attributes as one letter: R reverse, B bold, D dim, U underline,
    /// '.' none; the first that applies wins.
    public func attributeDump() -> String {
        (0..<height).map { y in
            String((0..<width).map { x -> Character in
                let style = cells[y * width + x].style
                if style.reverse { return "R" }
                if style.bold { return "B" }
                if style.dim { return "D" }
                if style.underline { return "U" }
                return "."
            })
        }.joined(separator: "\n")
    }
}
