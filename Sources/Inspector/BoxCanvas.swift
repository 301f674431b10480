/// Pane borders drawn as lines that meet. Each box marks which directions
/// leave each border cell; a cell shared by two boxes then becomes the right
/// junction (├ ┬ ┼ ...) without the layout having to name it.
struct BoxCanvas {
    private struct Directions: OptionSet, Hashable {
        let rawValue: UInt8
        static let up = Directions(rawValue: 1)
        static let down = Directions(rawValue: 2)
        static let left = Directions(rawValue: 4)
        static let right = Directions(rawValue: 8)
    }

    private var lines: [Int: Directions] = [:]
    private let width: Int
    private let height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    private mutating func mark(_ x: Int, _ y: Int, _ directions: Directions) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        lines[y * width + x, default: []].formUnion(directions)
    }

    /// The outline of `rect` (its outermost rows and columns).
    mutating func addBox(_ rect: Rect) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        for x in rect.x..<right {
            mark(x, rect.y, .right); mark(x + 1, rect.y, .left)
            mark(x, bottom, .right); mark(x + 1, bottom, .left)
        }
        for y in rect.y..<bottom {
            mark(rect.x, y, .down); mark(rect.x, y + 1, .up)
            mark(right, y, .down); mark(right, y + 1, .up)
        }
    }

    func draw(into grid: inout CellGrid, unicode: Bool, style: CellStyle) {
        for (index, directions) in lines {
            grid[index % width, index / width] = Cell(Self.glyph(directions, unicode: unicode), style: style)
        }
    }

    private static func glyph(_ d: Directions, unicode: Bool) -> Character {
        let horizontal = d.isSubset(of: [.left, .right])
        let vertical = d.isSubset(of: [.up, .down])
        guard unicode else { return horizontal ? "-" : vertical ? "|" : "+" }
        if horizontal { return "─" }
        if vertical { return "│" }
        switch d {
        case [.down, .right]: return "┌"
        case [.down, .left]: return "┐"
        case [.up, .right]: return "└"
        case [.up, .left]: return "┘"
        case [.up, .down, .right]: return "├"
        case [.up, .down, .left]: return "┤"
        case [.left, .right, .down]: return "┬"
        case [.left, .right, .up]: return "┴"
        default: return "┼"
        }
    }
}
