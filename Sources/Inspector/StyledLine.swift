/// A row of text in pieces, each with its own style, before it meets the grid.
struct StyledLine: Sendable {
    struct Span: Sendable {
        var text: String
        var style: CellStyle
    }

    var spans: [Span] = []
    /// The style of the blank cells after the text (a header bar runs to the edge).
    var fill: CellStyle = .plain

    init(_ text: String = "", style: CellStyle = .plain, fill: CellStyle? = nil) {
        if !text.isEmpty { spans.append(Span(text: text, style: style)) }
        self.fill = fill ?? .plain
    }

    mutating func append(_ text: String, _ style: CellStyle = .plain) {
        spans.append(Span(text: text, style: style))
    }

    var count: Int { spans.reduce(0) { $0 + $1.text.count } }

    /// Writes the line into one row of `rect`, cut at its right edge, blanks after.
    func draw(into grid: inout CellGrid, x: Int, y: Int, width: Int) {
        guard width > 0 else { return }
        var column = x
        for span in spans where column < x + width {
            column = grid.put(span.text, x: column, y: y, style: span.style, maxWidth: x + width - column)
        }
        grid.fill(Rect(x: column, y: y, width: x + width - column, height: 1), with: Cell(" ", style: fill))
    }
}
