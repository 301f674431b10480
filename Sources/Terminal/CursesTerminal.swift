import CCurses
import FoundationEssentials
import Inspector
#if canImport(Glibc)
import Glibc
#endif

/// The ncurses driver: draws cell grids (only the cells that changed since the
/// last frame, so a live refresh never flickers) and reads keys and mouse.
///
/// Not thread-safe, like ncurses itself: one thread owns it and makes every call.
public final class CursesTerminal {
    public let capabilities: Capabilities
    private var previous: CellGrid?
    private var palette: ColorPalette?

    /// Starts curses on the controlling terminal; nil when there is none.
    public init?() {
        setlocale(LC_ALL, "")
        let unicode = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().filter { $0 != "-" } == "UTF8"
        guard lwp_curses_start() == 0 else { return nil }
        lwp_curses_install_crash_restore()
        let colorsWanted = getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true
        let colors = colorsWanted && lwp_curses_start_colors() == 1
        capabilities = Capabilities(unicode: unicode, colors: colors)
        palette = colors ? ColorPalette() : nil
    }

    deinit { stop() }

    public var size: (width: Int, height: Int) {
        var rows: Int32 = 0
        var columns: Int32 = 0
        lwp_curses_size(&rows, &columns)
        return (Int(columns), Int(rows))
    }

    /// Leaves curses mode (for a hand-off to gdb, or on exit).
    public func stop() {
        lwp_curses_stop()
    }

    /// Back into curses mode after `stop()`, with a full repaint.
    public func resume() {
        _ = lwp_curses_start()
        previous = nil
        lwp_curses_clear()
    }

    /// Draws the cells that differ from the last frame.
    public func draw(_ grid: CellGrid) {
        let (width, height) = size
        if previous?.width != grid.width || previous?.height != grid.height { previous = nil; lwp_curses_clear() }
        for y in 0..<min(height, grid.height) {
            for x in 0..<min(width, grid.width) {
                let cell = grid[x, y]
                if let previous, previous[x, y] == cell { continue }
                put(cell, x: x, y: y)
            }
        }
        previous = grid
        lwp_curses_move_cursor_away()
        lwp_curses_refresh()
    }

    /// Forgets the last frame, so the next draw repaints everything.
    public func invalidate() {
        previous = nil
        lwp_curses_clear()
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        var style: Int32 = 0
        if cell.style.bold { style |= Int32(LWP_STYLE_BOLD) }
        if cell.style.reverse { style |= Int32(LWP_STYLE_REVERSE) }
        if cell.style.dim { style |= Int32(LWP_STYLE_DIM) }
        if cell.style.underline { style |= Int32(LWP_STYLE_UNDERLINE) }
        let scalar = cell.character.unicodeScalars.first.map { wchar_t(bitPattern: $0.value) } ?? 32
        lwp_curses_put(Int32(y), Int32(x), scalar, style, palette?.pair(for: cell.style.role) ?? 0)
    }

    /// Waits up to `timeoutMilliseconds` for a key, mouse event or resize.
    public func readKey(timeoutMilliseconds: Int) -> KeyEvent? {
        lwp_curses_refresh_size()
        var value: UInt32 = 0
        switch Int(lwp_curses_read(Int32(timeoutMilliseconds), &value)) {
        case Int(LWP_READ_CHARACTER):
            return KeyDecoder.character(value)
        case Int(LWP_READ_KEY):
            if Int(value) == Int(LWP_KEY_MOUSE) {
                var kind: Int32 = 0
                var y: Int32 = 0
                var x: Int32 = 0
                guard lwp_curses_mouse(&kind, &y, &x) == 1 else { return nil }
                return KeyDecoder.mouse(kind: kind, x: Int(x), y: Int(y))
            }
            if Int(value) == Int(LWP_KEY_RESIZE) { previous = nil }
            return KeyDecoder.key(value)
        default:
            return nil
        }
    }
}

extension CursesTerminal {
    /// Puts the terminal back (saved settings, normal screen, visible cursor)
    /// from any thread, without curses: for signal-driven exits.
    public static func emergencyRestore() {
        lwp_curses_emergency_restore()
    }
}
