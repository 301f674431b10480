extension InspectorState {
    /// One key: an open overlay takes it first, then `?`/F1 and `l` (unless a
    /// filter is being typed), then a click on the key bar, then the screen.
    public mutating func handle(_ key: KeyEvent) -> KeyOutcome {
        if key == .resize { return .redraw }
        message = nil
        // A click on the message only dismisses it: the key bar is under it.
        if case .mouse(_, let y, _) = key, y >= height - messageRows { return .redraw }
        if let overlay { return handle(key, over: overlay) }
        let typing = screen == .picker ? picker.isTypingFilter : main.isTypingFilter
        if key == .function(1) || (key == .character("?") && !typing) {
            helpScroll = TextScroll()
            overlay = .help
            return .redraw
        }
        if key == .character("l") && !typing {
            logScroll = TextScroll(pinnedToEnd: true)
            overlay = .log
            return .redraw
        }
        let height = screenHeight
        // A click on the key bar acts as that key.
        if case .mouse(let x, let y, .leftClick) = key, y == height - 1, !typing,
           let item = KeyBar.item(atX: x, keyBarItems, width: width) {
            return handle(item.event)
        }
        var said: StatusMessage?
        defer { message = said }
        // Esc (no filter to clear) leaves a picker opened to add a process.
        if screen == .picker, key == .escape, picker.addingToSession, !picker.isTypingFilter, !picker.filter.isActive {
            screen = .main
            return .redraw
        }
        switch screen {
        case .picker: return picker.handle(key, width: width, height: height, message: &said)
        case .main: return main.handle(key, width: width, height: height, message: &said)
        }
    }

    /// Help: the scroll keys scroll, any other key closes it without acting.
    /// The log: the scroll keys scroll, Esc, `l` and `q` close it (`q` does
    /// not quit from here), its key bar can be clicked, other keys do nothing.
    /// The frame: the same, closed by Esc, Enter or `q`.
    private mutating func handle(_ key: KeyEvent, over overlay: Overlay) -> KeyOutcome {
        switch overlay {
        case .help:
            let keys = helpKeys
            let visible = HelpOverlay.viewport(keys, width: width, height: screenHeight).visible
            if !helpScroll.handle(key, total: keys.count, visible: visible) { self.overlay = nil }
            return .redraw
        case .log:
            let total = EventLogOverlay.rows(log, width: width).count
            let visible = EventLogOverlay.visibleRows(width: width, height: screenHeight)
            if logScroll.handle(key, total: total, visible: visible) { return .redraw }
            switch key {
            case .escape, .character("l"), .character("q"), .function(10):
                self.overlay = nil
                return .redraw
            case .mouse(let x, let y, .leftClick) where y == screenHeight - 1:
                guard let item = KeyBar.item(atX: x, EventLogOverlay.keyBarItems, width: width) else { return .ignored }
                return handle(item.event)
            default:
                return .ignored
            }
        case .frame:
            guard let detail = frameDetail else {
                self.overlay = nil
                return .redraw
            }
            let total = FrameOverlay.rows(detail, unicode: capabilities.unicode).count
            let visible = FrameOverlay.visibleRows(detail, width: width, height: screenHeight, unicode: capabilities.unicode)
            if frameScroll.handle(key, total: total, visible: visible) { return .redraw }
            switch key {
            case .escape, .enter, .character("q"), .function(10):
                self.overlay = nil
                frameDetail = nil
                return .redraw
            case .mouse(let x, let y, .leftClick) where y == screenHeight - 1:
                guard let item = KeyBar.item(atX: x, FrameOverlay.keyBarItems, width: width) else { return .ignored }
                return handle(item.event)
            default:
                return .ignored
            }
        }
    }

    var helpKeys: [HelpOverlay.Line] { screen == .picker ? HelpOverlay.pickerKeys : MainKeys.helpLines }

    private var keyBarItems: [KeyBarItem] {
        screen == .picker ? picker.keyBarItems : main.keyBarItems
    }
}
