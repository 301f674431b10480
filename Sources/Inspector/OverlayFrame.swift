/// The box an overlay (help, the event log) draws over the screen: cleared,
/// bordered, a title on the top edge and where the view is on the bottom edge.
enum OverlayFrame {
    static func draw(_ box: Rect, title: String, position: String?, into grid: inout CellGrid, context: DrawContext) {
        grid.fill(box)
        var canvas = BoxCanvas(width: grid.width, height: grid.height)
        canvas.addBox(box)
        canvas.draw(into: &grid, unicode: context.unicode, style: context.theme.border)
        grid.put(" \(title) ", x: box.x + 1, y: box.y, style: context.theme.focusTitle, maxWidth: box.width - 2)
        guard let position else { return }
        let label = " \(position) "
        // Right-aligned on the bottom edge, never over the corners.
        guard label.count <= box.width - 4 else { return }
        grid.put(label, x: box.maxX - 2 - label.count, y: box.maxY - 1, style: context.theme.border)
    }

    /// `first`-`last` of `total` lines, as `less` shows it: `1-17/24`.
    static func position(first: Int, visible: Int, total: Int) -> String {
        "\(first + 1)-\(min(total, first + visible))/\(total)"
    }
}
