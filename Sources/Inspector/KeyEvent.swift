/// Input as the driver decodes it from curses: keys, resize and mouse.
public enum KeyEvent: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace
    /// F1...F12.
    case function(Int)
    /// The terminal changed size; the next render gets the new size.
    case resize
    /// Zero-based cell coordinates, as curses reports them.
    case mouse(x: Int, y: Int, kind: MouseKind)

    public enum MouseKind: Hashable, Sendable {
        case leftClick, wheelUp, wheelDown
    }
}
