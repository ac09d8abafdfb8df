// ncursesw for Swift. The defines SwiftPM drops from pkg-config live here; accessors
// replace C globals (stdscr, LINES, COLS) and attribute macros Swift cannot import.
#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
#include <pty.h>

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_colors(void) { return COLORS; }
static inline int cn_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_normal(void) { return A_NORMAL; }
static inline attr_t cn_color_pair(int n) { return COLOR_PAIR(n); }
/// A pseudo-terminal pair of the given size (tests draw into it and read what a terminal would get).
static inline int cn_openpty(int *master, int *slave, int rows, int cols) {
    struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
    return openpty(master, slave, NULL, NULL, &ws);
}
static inline int cn_set_escdelay(int ms) { return set_escdelay(ms); }
#endif
