/// The latest message, on the bottom row in place of the key bar until the
/// next key, so the top line keeps the title, the state and the filter. A
/// message is never cut: a long one wraps onto rows above, which the screen
/// gives up for as long as it is shown. Only a terminal too short for all of
/// it cuts the last row, with the cut mark; the event log (`l`) has it whole.
enum MessageLine {
    /// The rows `message` takes at this size; the screen under it keeps at
    /// least `screenMinimumHeight` rows (counting the row the message takes over).
    static func rows(_ message: StatusMessage, width: Int, height: Int, screenMinimumHeight: Int,
                     unicode: Bool) -> [String] {
        guard height > 0 else { return [] }
        let wrapped = TerminalText.wrap(message.text, width: width)
        let limit = max(1, min(height / 3, height - screenMinimumHeight + 1))
        guard wrapped.count > limit else { return wrapped }
        var kept = Array(wrapped.prefix(limit))
        kept[limit - 1] = TerminalText.truncate(kept[limit - 1] + " " + wrapped[limit], to: width, unicode: unicode)
        return kept
    }

    /// Draws `rows` as the last rows of the grid.
    static func draw(_ rows: [String], severity: StatusMessage.Severity, into grid: inout CellGrid, theme: Theme) {
        let top = grid.height - rows.count
        for (offset, text) in rows.enumerated() {
            StyledLine(text, style: theme.message(severity)).draw(into: &grid, x: 0, y: top + offset, width: grid.width)
        }
    }
}
