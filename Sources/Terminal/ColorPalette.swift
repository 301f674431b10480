import CCurses
import Inspector

/// Colour pairs for the roles the Inspector uses, on the terminal's default
/// background (-1), in htop's spirit: calm, with colour only where it means something.
struct ColorPalette {
    private var pairs: [ColorRole: Int16] = [:]

    init() {
        // COLOR_BLACK 0, RED 1, GREEN 2, YELLOW 3, BLUE 4, MAGENTA 5, CYAN 6, WHITE 7.
        let scheme: [(ColorRole, Int16, Int16)] = [
            // The Inspector draws these reversed: colour on black here, so the
            // terminal shows black on colour, as htop does.
            (.header, 2, 0), (.selected, 6, 0), (.selectedUnfocused, 7, 0), (.focusTitle, 6, 0),
            (.title, 6, -1), (.border, 4, -1), (.held, 3, -1), (.warning, 3, -1), (.error, 1, -1),
            (.muted, 4, -1), (.info, 2, -1), (.keyName, 7, -1), (.keyLabel, 6, 0), (.paused, 3, -1),
        ]
        for (index, entry) in scheme.enumerated() {
            let pair = Int16(index + 1)
            lwp_curses_define_pair(pair, entry.1, entry.2)
            pairs[entry.0] = pair
        }
    }

    func pair(for role: ColorRole) -> Int16 {
        pairs[role] ?? 0
    }
}
