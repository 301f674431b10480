#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include "CCurses.h"

#include <curses.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static int started;
static int saved_termios_valid;
static struct termios saved_termios;

int lwp_curses_start(void) {
    if (started) return 0;
    if (tcgetattr(STDIN_FILENO, &saved_termios) == 0) saved_termios_valid = 1;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) return -1;
    if (initscr() == NULL) return -1;
    started = 1;
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    // Home and End as tmux, screen and the Linux console send them: TERM
    // often names xterm (ESC O H / ESC O F) while the terminal in between
    // sends the vt220 forms, which ncurses would hand over as loose ESC keys.
    define_key("\033[1~", KEY_HOME);
    define_key("\033[4~", KEY_END);
    define_key("\033[7~", KEY_HOME);
    define_key("\033[8~", KEY_END);
    define_key("\033[H", KEY_HOME);
    define_key("\033[F", KEY_END);
    curs_set(0);
    set_escdelay(25);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    mouseinterval(0);
    return 0;
}

void lwp_curses_stop(void) {
    if (!started) return;
    started = 0;
    curs_set(1);
    endwin();
}

int lwp_curses_active(void) { return started; }

int lwp_curses_start_colors(void) {
    if (!has_colors()) return 0;
    start_color();
    use_default_colors();
    return 1;
}

void lwp_curses_define_pair(short pair, short foreground, short background) {
    init_pair(pair, foreground, background);
}

void lwp_curses_size(int *rows, int *columns) {
    int y, x;
    getmaxyx(stdscr, y, x);
    *rows = y;
    *columns = x;
}

void lwp_curses_refresh_size(void) {
    struct winsize size;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_row > 0 && size.ws_col > 0) {
        if (size.ws_row != LINES || size.ws_col != COLS) resizeterm(size.ws_row, size.ws_col);
    }
}

void lwp_curses_put(int y, int x, wchar_t character, int style, short pair) {
    attr_t attributes = A_NORMAL;
    if (style & LWP_STYLE_BOLD) attributes |= A_BOLD;
    if (style & LWP_STYLE_REVERSE) attributes |= A_REVERSE;
    if (style & LWP_STYLE_DIM) attributes |= A_DIM;
    if (style & LWP_STYLE_UNDERLINE) attributes |= A_UNDERLINE;
    wchar_t text[2] = {character, 0};
    cchar_t cell;
    setcchar(&cell, text, attributes, pair, NULL);
    mvadd_wch(y, x, &cell);
}

void lwp_curses_move_cursor_away(void) { move(LINES - 1, COLS - 1); }
void lwp_curses_refresh(void) { refresh(); }
void lwp_curses_clear(void) { clearok(stdscr, TRUE); }

int lwp_curses_read(int timeout_ms, uint32_t *value) {
    timeout(timeout_ms);
    wint_t character;
    int rc = get_wch(&character);
    if (rc == ERR) return LWP_READ_NONE;
    *value = (uint32_t)character;
    return rc == KEY_CODE_YES ? LWP_READ_KEY : LWP_READ_CHARACTER;
}

int lwp_curses_mouse(int *kind, int *y, int *x) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *y = event.y;
    *x = event.x;
    if (event.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) *kind = LWP_MOUSE_CLICK;
    else if (event.bstate & BUTTON4_PRESSED) *kind = LWP_MOUSE_WHEEL_UP;
    else if (event.bstate & BUTTON5_PRESSED) *kind = LWP_MOUSE_WHEEL_DOWN;
    else *kind = LWP_MOUSE_OTHER;
    return 1;
}

void lwp_curses_emergency_restore(void) {
    if (saved_termios_valid) tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    // Leave the alternate screen, show the cursor, reset attributes and mouse reporting.
    static const char reset[] = "\033[?1000l\033[?1002l\033[?1006l\033[0m\033[?25h\033[?1049l\r\n";
    (void)!write(STDOUT_FILENO, reset, sizeof reset - 1);
}

static void restore_and_reraise(int signal) {
    lwp_curses_emergency_restore();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigaction(signal, &action, NULL);
    raise(signal);
}

void lwp_curses_install_crash_restore(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = restore_and_reraise;
    action.sa_flags = SA_RESETHAND;
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &action, NULL);
}
