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

/* ---- wrapping ------------------------------------------------------------ */

/* A line being laid out: its wide characters, each one's cells, and
 * whether it continues the unit before it (a placeholder's later
 * characters, a combining mark), where a line may not break. */
typedef struct wrap_line {
	wchar_t *w;
	signed char *cw;
	bool *cont;
	size_t n, cap;
} wrap_line;

static bool wrap_room(wrap_line *l, size_t more)
{
	if (l->n + more <= l->cap)
		return true;
	size_t cap = l->cap ? l->cap * 2 : 128;
	while (cap < l->n + more)
		cap *= 2;
	wchar_t *w = realloc(l->w, (cap + 1) * sizeof *w);
	if (w)
		l->w = w;
	signed char *cw = realloc(l->cw, cap * sizeof *cw);
	if (cw)
		l->cw = cw;
	bool *cont = realloc(l->cont, cap * sizeof *cont);
	if (cont)
		l->cont = cont;
	if (!w || !cw || !cont)
		return false;
	l->cap = cap;
	return true;
}

/* Hands the first `len` characters over as a line (less the spaces it
 * ends with) and keeps those from `from` on, less the spaces they start
 * with. */
static int wrap_emit(wrap_line *l, size_t len, size_t from, tui_wrap_fn fn, void *ctx)
{
	while (len > 0 && l->w[len - 1] == L' ' && !l->cont[len - 1])
		len--;
	int cells = 0;
	for (size_t i = 0; i < len; i++)
		cells += l->cw[i];
	wchar_t keep = l->w[len];
	l->w[len] = L'\0';
	fn(ctx, l->w, len, cells);
	l->w[len] = keep;
	while (from < l->n && l->w[from] == L' ' && !l->cont[from])
		from++;
	size_t rest = l->n - from;
	memmove(l->w, l->w + from, rest * sizeof *l->w);
	memmove(l->cw, l->cw + from, rest * sizeof *l->cw);
	memmove(l->cont, l->cont + from, rest * sizeof *l->cont);
	l->n = rest;
	return 1;
}

int tui_wrap(const char *s, int cells, tui_wrap_fn fn, void *ctx)
{
	const char *p = s ? s : "";
	wrap_line l = {0};
	int lines = 0;
	if (cells < 1)
		cells = 1;
	if (!wrap_room(&l, 1))
		return 0;
	for (;;) {
		/* one line of the text, up to a line break (LF or CR LF) */
		l.n = 0;
		int used = 0;
		while (*p && *p != '\n' && !(p[0] == '\r' && p[1] == '\n')) {
			wchar_t rep[SK_PLACEHOLDER_MAX];
			int w;
			bool space = *p == ' ';
			int k = shape(next_utf8(&p), rep, &w);
			if (w == 0 && l.n == 0)
				continue; /* a combining mark with nothing to combine with */
			/* too long: break after the last space that fits, or, in a
			 * word longer than the line, before this character */
			bool broke = false;
			while (w > 0 && l.n > 0 && used + w > cells) {
				broke = true;
				/* a space that does not fit is itself the break */
				size_t sp = l.n;
				while (!space && sp > 0 && !(l.w[sp - 1] == L' ' && !l.cont[sp - 1]))
					sp--;
				if (space)
					sp = 0;
				if (sp > 0)
					lines += wrap_emit(&l, sp - 1, sp, fn, ctx);
				else
					lines += wrap_emit(&l, l.n, l.n, fn, ctx);
				used = 0;
				for (size_t i = 0; i < l.n; i++)
					used += l.cw[i];
			}
			if (space && broke && l.n == 0)
				continue; /* the space a line broke at */
			if (!wrap_room(&l, (size_t)k + 1))
				break;
			for (int i = 0; i < k; i++) {
				l.w[l.n] = rep[i];
				l.cw[l.n] = (signed char)(k > 1 ? 1 : w);
				l.cont[l.n] = i > 0 || w == 0;
				l.n++;
			}
			used += w;
		}
		lines += wrap_emit(&l, l.n, l.n, fn, ctx);
		if (!*p)
			break;
		p += *p == '\r' ? 2 : 1;
	}
	free(l.w);
	free(l.cw);
	free(l.cont);
	return lines;
}
