/*
 * text.c: inert, cell-measured text for the screen (see text.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/inert.h"
#include "text.h"

static bool ascii_only;

void tui_text_ascii(bool on) { ascii_only = on; }
bool tui_text_is_ascii(void) { return ascii_only; }

/* The next unit of NUL-terminated UTF-8 at *p (see sk_utf8_next),
 * advancing *p. */
static uint32_t next_utf8(const char **p)
{
	uint32_t c;
	*p += sk_utf8_next(*p, SIZE_MAX, &c);
	return c;
}

size_t tui_utf8_to_wide(const char *s, wchar_t *out, size_t cap)
{
	size_t n = 0;
	const char *p = s ? s : "";
	while (*p && n + 1 < cap) {
		uint32_t c = next_utf8(&p);
		/* A byte that is not UTF-8 is edited as U+FFFD. */
		out[n++] = c > 0x10ffff ? 0xfffd : (wchar_t)c;
	}
	out[n] = L'\0';
	return n;
}

char *tui_wide_to_utf8(const wchar_t *w, size_t n)
{
	char *out = malloc(n * 4 + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = (uint32_t)w[i];
		if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			c = 0xfffd;
		if (c < 0x80) {
			*o++ = (char)c;
		} else if (c < 0x800) {
			*o++ = (char)(0xc0 | (c >> 6));
			*o++ = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			*o++ = (char)(0xe0 | (c >> 12));
			*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
			*o++ = (char)(0x80 | (c & 0x3f));
		} else {
			*o++ = (char)(0xf0 | (c >> 18));
			*o++ = (char)(0x80 | ((c >> 12) & 0x3f));
			*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
			*o++ = (char)(0x80 | (c & 0x3f));
		}
	}
	*o = '\0';
	return out;
}

/*
 * How one unit shows: up to SK_PLACEHOLDER_MAX wide characters in rep,
 * their cells in *cells. What may not reach the terminal gets the
 * placeholder of scodesk/inert.h; combining marks have zero cells.
 */
static int shape(uint32_t c, wchar_t rep[SK_PLACEHOLDER_MAX], int *cells)
{
	if (c >= 0x20 && c < 0x7f) {
		rep[0] = (wchar_t)c;
		*cells = 1;
		return 1;
	}
	uint32_t ph[SK_PLACEHOLDER_MAX];
	size_t k = sk_inert_placeholder(ascii_only ? SK_SHOW_ASCII : SK_SHOW_PICTURE, c, ph);
	if (k) {
		for (size_t i = 0; i < k; i++)
			rep[i] = (wchar_t)ph[i];
		*cells = (int)k;
		return (int)k;
	}
	int w = ascii_only ? -1 : wcwidth((wchar_t)c);
	if (w < 0) {
		rep[0] = ascii_only ? L'?' : 0xfffd;
		*cells = 1;
		return 1;
	}
	rep[0] = (wchar_t)c;
	*cells = w;
	return 1;
}

int tui_char_cells(wchar_t c)
{
	wchar_t rep[SK_PLACEHOLDER_MAX];
	int w;
	shape((uint32_t)c, rep, &w);
	return w;
}

/* The shared loop: code points come from `next` until it returns false. */
typedef bool (*next_fn)(void *src, uint32_t *c);

static int render(next_fn next, void *src, int cells, bool ellipsis, wchar_t *out,
                  size_t cap)
{
	size_t n = 0;
	int used = 0;
	uint32_t c;
	const wchar_t dots = ascii_only ? L'~' : 0x2026;
	/* The text is first laid out fully up to cells; if anything is left
	 * over, the tail is cut back to make room for the ellipsis. */
	size_t mark_n = 0; /* where the text stood with one cell to spare */
	bool cut = false;
	while (next(src, &c)) {
		wchar_t rep[SK_PLACEHOLDER_MAX];
		int w;
		int k = shape(c, rep, &w);
		if (w == 0 && n == 0)
			continue; /* a combining mark with nothing to combine with */
		if (used + w > cells || n + (size_t)k + 2 > cap) {
			cut = true;
			break;
		}
		for (int i = 0; i < k; i++)
			out[n++] = rep[i];
		used += w;
		if (used <= cells - 1)
			mark_n = n;
	}
	if (cut && ellipsis && cells > 0) {
		/* Back up to the last point with one cell free, keeping the
		 * combining marks that follow it. */
		n = mark_n;
		used = 0;
		for (size_t i = 0; i < n; i++) {
			int w = wcwidth(out[i]);
			used += w > 0 ? w : 0;
		}
		out[n++] = dots;
		used++;
	}
	out[n] = L'\0';
	return used;
}

static bool next_from_utf8(void *src, uint32_t *c)
{
	const char **p = src;
	if (!**p)
		return false;
	*c = next_utf8(p);
	return true;
}

typedef struct wide_src {
	const wchar_t *s;
	size_t i, n;
} wide_src;

static bool next_from_wide(void *src, uint32_t *c)
{
	wide_src *w = src;
	if (w->i >= w->n)
		return false;
	*c = (uint32_t)w->s[w->i++];
	return true;
}

int tui_inert(const char *s, int cells, wchar_t *out, size_t cap)
{
	const char *p = s ? s : "";
	return render(next_from_utf8, &p, cells, true, out, cap);
}

int tui_inert_wide(const wchar_t *s, size_t n, int cells, wchar_t *out, size_t cap)
{
	wide_src w = {s, 0, n};
	return render(next_from_wide, &w, cells, false, out, cap);
}

int tui_cells(const char *s)
{
	int cells = 0;
	const char *p = s ? s : "";
	while (*p) {
		wchar_t rep[SK_PLACEHOLDER_MAX];
		int w;
		shape(next_utf8(&p), rep, &w);
		cells += w;
	}
	return cells;
}
