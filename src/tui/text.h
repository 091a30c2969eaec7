/*
 * text.h: putting text from the database on the screen, inert and
 * measured in display cells.
 *
 * Every control character (C0, DEL, C1), bidirectional control and byte
 * that is not UTF-8 becomes the visible placeholder scodesk/inert.h names
 * for the interface: a control picture such as U+241B for ESC (^[ in
 * ASCII mode), U+FFFD for C1 and bad bytes ('?'), <U+202E> for a
 * bidirectional control. Nothing from the database can reach the
 * terminal as a control sequence. Widths come from wcwidth(); cut text
 * ends in an ellipsis and never splits a character or a placeholder.
 */
#ifndef SCODESK_TUI_TEXT_H
#define SCODESK_TUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

/* Set once: ASCII-only output (--ascii, or a locale that is not UTF-8). */
void tui_text_ascii(bool on);
bool tui_text_is_ascii(void);

/*
 * Converts UTF-8 s (NULL is empty) into at most `cells` display cells of
 * wide characters in out (room for cap wchar_t, NUL-terminated). When s
 * does not fit it is cut and ends in an ellipsis. Returns the cells used.
 */
int tui_inert(const char *s, int cells, wchar_t *out, size_t cap);

/* The same for a wide string (the line editor's buffer); no ellipsis. */
int tui_inert_wide(const wchar_t *s, size_t n, int cells, wchar_t *out, size_t cap);

/* Display cells of UTF-8 s once made inert (uncut). */
int tui_cells(const char *s);

/* Display cells of one wide character once made inert. */
int tui_char_cells(wchar_t c);

/* Decodes UTF-8 into wide characters (invalid bytes become U+FFFD).
 * Returns the count written (at most cap - 1; NUL-terminated). */
size_t tui_utf8_to_wide(const char *s, wchar_t *out, size_t cap);
/* Encodes n wide characters as UTF-8 into a new malloc'd string. */
char *tui_wide_to_utf8(const wchar_t *w, size_t n);

/*
 * Lays out UTF-8 s (NULL is empty) inert, as tui_inert shows it, in lines
 * of at most `cells` display cells, calling fn for each line in order
 * with its wide characters (NUL-terminated), their count and their cells.
 * A line break in s (LF, or CR LF) starts a new line; other controls show
 * as their placeholders. A line too long breaks after its last space that
 * fits (the spaces at the break are dropped), or, in a word longer than
 * the line, between two characters: never inside a character, a
 * placeholder or before a combining mark. Empty text is one empty line.
 * Returns the number of lines.
 */
typedef void (*tui_wrap_fn)(void *ctx, const wchar_t *line, size_t n, int cells);
int tui_wrap(const char *s, int cells, tui_wrap_fn fn, void *ctx);

#endif
