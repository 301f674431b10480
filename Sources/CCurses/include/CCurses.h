// Shims for ncursesw. SwiftPM drops the -D_XOPEN_SOURCE that pkg-config
// gives, so the wide-character API is switched on here; and the macros and
// globals Swift cannot see (stdscr, getmaxyx, attributes) get functions.
#pragma once

#include <stdint.h>
#include <wchar.h>

#ifdef __cplusplus
extern "C" {
#endif

// Style bits the driver combines; mapped to A_* in the shim.
enum {
    LWP_STYLE_BOLD = 1 << 0,
    LWP_STYLE_REVERSE = 1 << 1,
    LWP_STYLE_DIM = 1 << 2,
    LWP_STYLE_UNDERLINE = 1 << 3,
};

// Key codes, as ncurses reports them with KEY_CODE_YES.
enum {
    LWP_KEY_DOWN = 0402, LWP_KEY_UP = 0403, LWP_KEY_LEFT = 0404, LWP_KEY_RIGHT = 0405,
    LWP_KEY_HOME = 0406, LWP_KEY_BACKSPACE = 0407, LWP_KEY_F0 = 0410,
    LWP_KEY_NPAGE = 0522, LWP_KEY_PPAGE = 0523, LWP_KEY_ENTER = 0527, LWP_KEY_BTAB = 0541,
    LWP_KEY_END = 0550, LWP_KEY_RESIZE = 0632, LWP_KEY_MOUSE = 0631,
};

// Result of lwp_curses_read.
enum { LWP_READ_NONE = 0, LWP_READ_CHARACTER = 1, LWP_READ_KEY = 2 };

// Mouse events, as lwp_curses_mouse reports them.
enum { LWP_MOUSE_OTHER = 0, LWP_MOUSE_CLICK = 1, LWP_MOUSE_WHEEL_UP = 2, LWP_MOUSE_WHEEL_DOWN = 3 };

/// initscr with cbreak, noecho, keypad, mouse, hidden cursor. Saves the
/// terminal's settings first so lwp_curses_emergency_restore can put them back.
/// Returns 0, or -1 when there is no usable terminal.
int lwp_curses_start(void);
/// endwin(); safe to call twice.
void lwp_curses_stop(void);
/// 1 once started and not yet stopped.
int lwp_curses_active(void);

/// Colours: 1 when the terminal has them (has_colors), after start_color and
/// use_default_colors. Pairs 1...n are defined by lwp_curses_define_pair.
int lwp_curses_start_colors(void);
void lwp_curses_define_pair(short pair, short foreground, short background);

void lwp_curses_size(int *rows, int *columns);
/// Tells ncurses the terminal size changed (resizeterm), from TIOCGWINSZ.
void lwp_curses_refresh_size(void);

/// Draws one character with style bits and colour pair at row y, column x.
void lwp_curses_put(int y, int x, wchar_t character, int style, short pair);
void lwp_curses_move_cursor_away(void);
void lwp_curses_refresh(void);
/// Forces a full repaint on the next refresh (after a resize or a hand-off).
void lwp_curses_clear(void);

/// Waits up to timeout_ms for input. LWP_READ_CHARACTER: *value is a wide
/// character; LWP_READ_KEY: *value is a KEY_* code; LWP_READ_NONE: nothing.
int lwp_curses_read(int timeout_ms, uint32_t *value);
/// After LWP_KEY_MOUSE: the event kind and position; 0 if none.
int lwp_curses_mouse(int *kind, int *y, int *x);

/// Puts the terminal back as it was (saved termios, normal screen, visible
/// cursor) using only async-signal-safe calls: for fatal-signal handlers.
void lwp_curses_emergency_restore(void);
/// Installs handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE and SIGABRT that
/// restore the terminal and re-raise.
void lwp_curses_install_crash_restore(void);

#ifdef __cplusplus
}
#endif
