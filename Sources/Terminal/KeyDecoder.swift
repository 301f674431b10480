import CCurses
import Inspector

/// ncurses' key codes and characters as KeyEvents.
enum KeyDecoder {
    static func character(_ value: UInt32) -> KeyEvent? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return nil }
            return .character(Character(scalar))
        }
    }

    static func key(_ value: UInt32) -> KeyEvent? {
        switch Int(value) {
        case Int(LWP_KEY_UP): return .up
        case Int(LWP_KEY_DOWN): return .down
        case Int(LWP_KEY_LEFT): return .left
        case Int(LWP_KEY_RIGHT): return .right
        case Int(LWP_KEY_HOME): return .home
        case Int(LWP_KEY_END): return .end
        case Int(LWP_KEY_PPAGE): return .pageUp
        case Int(LWP_KEY_NPAGE): return .pageDown
        case Int(LWP_KEY_ENTER): return .enter
        case Int(LWP_KEY_BTAB): return .backTab
        case Int(LWP_KEY_BACKSPACE): return .backspace
        case Int(LWP_KEY_RESIZE): return .resize
        case Int(LWP_KEY_F0) + 1...Int(LWP_KEY_F0) + 12: return .function(Int(value) - Int(LWP_KEY_F0))
        default: return nil
        }
    }

    static func mouse(kind: Int32, x: Int, y: Int) -> KeyEvent? {
        switch Int(kind) {
        case Int(LWP_MOUSE_CLICK): return .mouse(x: x, y: y, kind: .leftClick)
        case Int(LWP_MOUSE_WHEEL_UP): return .mouse(x: x, y: y, kind: .wheelUp)
        case Int(LWP_MOUSE_WHEEL_DOWN): return .mouse(x: x, y: y, kind: .wheelDown)
        default: return nil
        }
    }
}
