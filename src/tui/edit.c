/*
 * edit.c: a one-line editor over wide characters, shared by the form's
 * fields and the prompts (filter, search, command, file name).
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "text.h"
#include "tui.h"

static bool reserve(line_edit *le, size_t n)
{
	if (n + 1 <= le->cap)
		return true;
	size_t cap = le->cap ? le->cap : 64;
	while (cap < n + 1)
		cap *= 2;
	wchar_t *p = realloc(le->buf, cap * sizeof *p);
	if (!p)
		return false;
	le->buf = p;
	le->cap = cap;
	return true;
}

bool le_set(line_edit *le, const char *utf8)
{
	size_t n = strlen(utf8 ? utf8 : "");
	if (!reserve(le, n))
		return false;
	le->len = tui_utf8_to_wide(utf8, le->buf, n + 1);
	le->pos = le->len;
	le->scroll = 0;
	return true;
}

char *le_get(const line_edit *le)
{
	return tui_wide_to_utf8(le->buf ? le->buf : L"", le->len);
}

void le_free(line_edit *le)
{
	free(le->buf);
	memset(le, 0, sizeof *le);
}

bool le_key(line_edit *le, bool is_key, wint_t ch)
{
	if (is_key) {
		switch (ch) {
		case KEY_LEFT: if (le->pos > 0) le->pos--; return true;
		case KEY_RIGHT: if (le->pos < le->len) le->pos++; return true;
		case KEY_HOME: le->pos = 0; return true;
		case KEY_END: le->pos = le->len; return true;
		case KEY_BACKSPACE:
			break;
		case KEY_DC:
			if (le->pos < le->len) {
				memmove(le->buf + le->pos, le->buf + le->pos + 1,
				        (le->len - le->pos - 1) * sizeof *le->buf);
				le->len--;
			}
			return true;
		default:
			return false;
		}
	}
	if (ch == KEY_BACKSPACE || ch == 0x7f || ch == CTRL_KEY('h')) {
		if (le->pos > 0) {
			memmove(le->buf + le->pos - 1, le->buf + le->pos,
			        (le->len - le->pos) * sizeof *le->buf);
			le->pos--;
			le->len--;
		}
		return true;
	}
	if (ch == CTRL_KEY('a')) {
		le->pos = 0;
		return true;
	}
	if (ch == CTRL_KEY('e')) {
		le->pos = le->len;
		return true;
	}
	if (ch == CTRL_KEY('u')) {
		le->len = le->pos = 0;
		return true;
	}
	if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch <= 0x9f))
		return false; /* control characters are never typed into data */
	if (!reserve(le, le->len + 1))
		return true;
	memmove(le->buf + le->pos + 1, le->buf + le->pos, (le->len - le->pos) * sizeof *le->buf);
	le->buf[le->pos++] = (wchar_t)ch;
	le->len++;
	return true;
}

void le_draw(line_edit *le, int y, int x, int cells, bool show_cursor)
{
	if (cells <= 0)
		return;
	/* Scroll so that the cursor stays within the cells. */
	if (le->pos < le->scroll)
		le->scroll = le->pos;
	for (;;) {
		int w = 0;
		for (size_t i = le->scroll; i < le->pos; i++) {
			int cw = tui_char_cells(le->buf[i]);
			w += cw > 0 ? cw : 1;
		}
		if (w < cells || le->scroll >= le->pos)
			break;
		le->scroll++;
	}
	wchar_t out[1024];
	size_t n = le->len - le->scroll;
	int used = tui_inert_wide(le->buf ? le->buf + le->scroll : L"", n, cells, out,
	                          sizeof out / sizeof out[0]);
	mvaddnwstr(y, x, out, -1);
	for (int i = used; i < cells; i++)
		addch(' ');
	if (show_cursor) {
		int cx = 0;
		wchar_t tmp[1024];
		cx = tui_inert_wide(le->buf ? le->buf + le->scroll : L"", le->pos - le->scroll, cells,
		                    tmp, sizeof tmp / sizeof tmp[0]);
		move(y, x + (cx < cells ? cx : cells - 1));
	}
}
