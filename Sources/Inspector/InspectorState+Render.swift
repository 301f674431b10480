extension InspectorState {
    /// Draws the whole screen at this size. Mutating because it also
    /// remembers the size and scrolls lists to keep their selection visible.
    ///
    /// The screen and its overlay are drawn first; a message then takes the
    /// key bar's row, and when it wraps the screen is drawn that many rows
    /// shorter so the message's other rows do not cover any of it.
    public mutating func render(width: Int, height: Int) -> CellGrid {
        self.width = max(0, width)
        self.height = max(0, height)
        let context = DrawContext(capabilities: capabilities)
        let minimumHeight = screen == .picker ? PickerLayout.minimumHeight : MainLayout.minimumHeight
        let rows = message.map {
            MessageLine.rows($0, width: self.width, height: self.height, screenMinimumHeight: minimumHeight,
                             unicode: context.unicode)
        } ?? []
        messageRows = rows.count
        var grid = CellGrid(width: width, height: screenHeight)
        switch screen {
        case .picker: picker.draw(into: &grid, context: context)
        case .main: main.draw(into: &grid, context: context)
        }
        switch overlay {
        case .help: HelpOverlay.draw(helpKeys, scroll: helpScroll, into: &grid, context: context)
        case .log: EventLogOverlay.draw(log, scroll: logScroll, into: &grid, context: context)
        case .frame:
            if let frameDetail { FrameOverlay.draw(frameDetail, scroll: frameScroll, into: &grid, context: context) }
        case nil: break
        }
        if let message {
            // The first row takes the key bar's place; the rest are new rows above it.
            grid = grid.insertingRows(rows.count - 1, before: grid.height - 1)
            MessageLine.draw(rows, severity: message.severity, into: &grid, theme: context.theme)
        }
        return grid
    }
}
