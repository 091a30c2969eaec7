/*
 * list.c: the one list engine. Every screen's rows come through here: a
 * window of the rows on screen is fetched from the list's source (its
 * operations, struct list_ops in tui.h), formatted once, and drawn on
 * each key. The engine keeps the count, the cursor, the window and the
 * marks; what the rows are (a table's records, the dashboard's alerts)
 * is the source's alone.
 */
#include <curses.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tui.h"

const char *list_col_name(const list_view *lv, int i)
{
	return lv->ops->col_name(lv, lv->cols[i]);
}

const char *list_col_label(const list_view *lv, int i)
{
	return lv->ops->col_label(lv, lv->cols[i]);
}

bool list_col_quick_sort(const list_view *lv, int i)
{
	return lv->ops->col_quick_sort(lv, lv->cols[i]);
}

bool list_allows(const list_view *lv, unsigned what)
{
	return (lv->ops->allows(lv) & what) == what;
}

bool list_init(list_view *lv, const tab_def *def)
{
	memset(lv, 0, sizeof *lv);
	lv->def = def;
	lv->ops = def->source ? def->source : &list_table_source;
	lv->sort = -1;
	if (!lv->ops->open(lv)) {
		lv->ops = NULL;
		return false;
	}
	for (int i = 0; def->columns[i] && lv->ncols < LIST_MAX_COLS; i++) {
		int c = lv->ops->column(lv, def->columns[i]);
		if (c < 0)
			continue;
		if (def->sort && strcmp(def->sort, def->columns[i]) == 0)
			lv->sort = lv->ncols;
		lv->cols[lv->ncols++] = c;
	}
	lv->descending = def->descending;
	lv->count_stale = lv->rows_stale = true;
	return true;
}

void list_rows_clear(row_set *set, int ncols)
{
	for (int r = 0; r < set->n; r++) {
		for (int i = 0; set->rows[r].cells && i < ncols; i++)
			free(set->rows[r].cells[i]);
		free(set->rows[r].cells); /* NULL once moved to another set */
		free(set->rows[r].key);
	}
	set->n = 0;
}

void list_rows_free(row_set *set, int ncols)
{
	list_rows_clear(set, ncols);
	free(set->rows);
	memset(set, 0, sizeof *set);
}

void list_free(list_view *lv)
{
	list_rows_free(&lv->win, lv->ncols);
	free(lv->marked);
	if (lv->ops && lv->ops->close)
		lv->ops->close(lv);
	memset(lv, 0, sizeof *lv);
}

void list_invalidate(list_view *lv)
{
	lv->need_reset = true;
	lv->count_stale = lv->rows_stale = true;
	lv->rows_moved = false;
}

void list_reordered(list_view *lv)
{
	lv->need_reset = true;
	lv->rows_stale = true;
	lv->rows_moved = false;
	if (lv->ops->count_sorts)
		lv->count_stale = true;
}

void list_data_changed(list_view *lv)
{
	lv->count_stale = lv->rows_stale = true;
	lv->rows_moved = true;
}

/* ---- rows, for the sources --------------------------------------------- */

static bool rows_room(row_set *set)
{
	if (set->n < set->cap)
		return true;
	int cap = set->cap ? set->cap * 2 : 64;
	list_row *p = realloc(set->rows, (size_t)cap * sizeof *p);
	if (!p)
		return false;
	set->rows = p;
	set->cap = cap;
	return true;
}

list_row *list_add_row(const list_view *lv, sk_db *db, row_set *out, const void *item)
{
	if (!rows_room(out))
		return NULL;
	list_row *r = &out->rows[out->n];
	memset(r, 0, sizeof *r);
	r->cells = calloc((size_t)(lv->ncols ? lv->ncols : 1), sizeof *r->cells);
	if (!r->cells)
		return NULL;
	out->n++;
	r->mood = lv->ops->mood(lv, item);
	for (int i = 0; i < lv->ncols; i++)
		r->cells[i] = lv->ops->cell(lv, db, item, lv->cols[i]);
	return r;
}

void list_rows_reverse(row_set *set)
{
	for (int i = 0, j = set->n - 1; i < j; i++, j--) {
		list_row tmp = set->rows[i];
		set->rows[i] = set->rows[j];
		set->rows[j] = tmp;
	}
}

void list_rows_move(row_set *dst, row_set *src, int from, int count)
{
	for (int i = from; i < src->n && i < from + count; i++) {
		if (!rows_room(dst))
			return;
		dst->rows[dst->n++] = src->rows[i];
		memset(&src->rows[i], 0, sizeof src->rows[i]);
	}
}

bool list_has_words(const char *const *cells, int n, const char *filter)
{
	char word[256];
	for (const char *p = filter; p && *p;) {
		p += strspn(p, SK_WORD_BREAKS);
		size_t len = strcspn(p, SK_WORD_BREAKS);
		if (!len)
			break;
		snprintf(word, sizeof word, "%.*s", (int)len, p);
		p += len;
		bool found = false;
		for (int i = 0; i < n && !found; i++)
			found = list_contains(cells[i], word);
		if (!found)
			return false;
	}
	return true;
}

bool list_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!n)
		return true;
	for (const char *p = hay; p && *p; p++) {
		size_t i = 0;
		while (i < n && p[i] &&
		       tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

/* ---- the window ---------------------------------------------------------- */

int64_t list_want(const list_view *lv, int height)
{
	return lv->count - lv->top < height ? lv->count - lv->top : height;
}

sk_status list_refresh(list_view *lv, sk_db *db, int height, sk_err *err)
{
	if (lv->count_stale) {
		sk_status s = lv->ops->count(lv, db, &lv->count, err);
		if (s != SK_OK)
			return s;
		if (!lv->filter[0])
			lv->unfiltered = lv->count;
		lv->count_stale = false;
		lv->rows_stale = true;
		list_move(lv, 0, height);
	}
	if (!lv->rows_stale && lv->rows_from == lv->top && lv->win.n >= list_want(lv, height))
		return SK_OK;
	row_set got = {0};
	sk_status s = SK_OK;
	/* nothing matches: nothing to read (a filter matched row by row would
	 * read every row again to find so) */
	if (lv->count > 0)
		s = lv->ops->fetch(lv, db, height, &got, err);
	/* the widths stay while the window moves by less than itself */
	int64_t moved = lv->top - lv->rows_from;
	bool grow = !lv->need_reset && lv->win.n > 0 && moved > -lv->win.n && moved < lv->win.n;
	list_rows_free(&lv->win, lv->ncols);
	lv->win = got;
	list_measure(lv, grow);
	lv->rows_from = lv->top;
	lv->seek = false;
	lv->rows_stale = lv->rows_moved = false;
	return s;
}

/* ---- moving ------------------------------------------------------------------- */

void list_goto(list_view *lv, int64_t index, int height)
{
	lv->cursor = index;
	list_move(lv, 0, height);
}

void list_move(list_view *lv, int64_t delta, int height)
{
	if (height < 1)
		height = 1;
	lv->cursor += delta;
	if (lv->cursor >= lv->count)
		lv->cursor = lv->count - 1;
	if (lv->cursor < 0)
		lv->cursor = 0;
	if (lv->cursor < lv->top)
		lv->top = lv->cursor;
	if (lv->cursor >= lv->top + height)
		lv->top = lv->cursor - height + 1;
	int64_t max_top = lv->count > height ? lv->count - height : 0;
	if (lv->top > max_top)
		lv->top = max_top;
	if (lv->top < 0)
		lv->top = 0;
}

const list_row *list_current(const list_view *lv)
{
	int64_t i = lv->cursor - lv->rows_from;
	if (lv->count == 0 || i < 0 || i >= lv->win.n)
		return NULL;
	return &lv->win.rows[i];
}

sk_status list_find_id(list_view *lv, sk_db *db, int64_t id, int height, sk_err *err)
{
	if (!lv->ops->position)
		return sk_fail(err, SK_NOTFOUND, NULL, "not in this list");
	int64_t index;
	sk_status s = lv->ops->position(lv, db, id, &index, err);
	if (s == SK_NOTFOUND && lv->filter[0]) {
		lv->filter[0] = '\0';
		list_invalidate(lv);
		s = lv->ops->position(lv, db, id, &index, err);
	}
	if (s != SK_OK)
		return s;
	lv->count_stale = false;
	lv->rows_stale = true;
	lv->rows_moved = false;
	/* The record opens the window, read from itself (near the end, the
	 * window is the last page instead). */
	lv->cursor = lv->top = index;
	list_move(lv, 0, height);
	lv->seek = lv->top == index;
	lv->seek_id = id;
	return SK_OK;
}

list_found list_search(list_view *lv, sk_db *db, const char *text, int dir, int height)
{
	if (!text[0] || lv->count == 0)
		return LIST_NOT_FOUND;
	list_hit hit = {-1, 0};
	list_found found = LIST_FOUND;
	if (!lv->ops->search(lv, db, text, dir, false, &hit)) {
		/* nothing on this side of the cursor: from the other end */
		hit.index = -1;
		hit.id = 0;
		if (!lv->ops->search(lv, db, text, dir, true, &hit))
			return LIST_NOT_FOUND;
		found = LIST_WRAPPED;
	}
	if (hit.index >= 0) {
		list_goto(lv, hit.index, height);
		return found;
	}
	/* wrapped round to the row it started from: nothing to read again */
	const list_row *cur = list_current(lv);
	if (cur && cur->id == hit.id)
		return found;
	return list_find_id(lv, db, hit.id, height, NULL) == SK_OK ? found : LIST_NOT_FOUND;
}

bool list_is_marked(const list_view *lv, int64_t id)
{
	for (int i = 0; i < lv->nmarked; i++)
		if (lv->marked[i] == id)
			return true;
	return false;
}

void list_toggle_mark(list_view *lv, int64_t id)
{
	for (int i = 0; i < lv->nmarked; i++)
		if (lv->marked[i] == id) {
			lv->marked[i] = lv->marked[--lv->nmarked];
			return;
		}
	if (lv->nmarked == lv->marked_cap) {
		int cap = lv->marked_cap ? lv->marked_cap * 2 : 16;
		int64_t *p = realloc(lv->marked, (size_t)cap * sizeof *p);
		if (!p)
			return;
		lv->marked = p;
		lv->marked_cap = cap;
	}
	lv->marked[lv->nmarked++] = id;
}

/* ---- drawing ------------------------------------------------------------------ */

void list_draw(list_view *lv, int y0, int height, int width)
{
	int w[LIST_MAX_COLS];
	list_layout(lv, width, w);
	const bool ascii = tui_text_is_ascii();
	/* the header, with the sort column marked */
	attron(A_BOLD | A_UNDERLINE);
	mvhline(y0, 0, ' ', width);
	int x = 1;
	for (int i = 0; i < lv->ncols; i++) {
		if (w[i] <= 0)
			continue;
		char label[96];
		const char *arrow = lv->descending ? (ascii ? "v" : "\xe2\x96\xbc")
		                                   : (ascii ? "^" : "\xe2\x96\xb2");
		snprintf(label, sizeof label, "%s%s", list_col_label(lv, i), i == lv->sort ? arrow : "");
		if (i == lv->ccol) /* the current column, for Left/Right, _ and - */
			attron(A_REVERSE);
		tui_put(y0, x, label, w[i], true);
		attroff(A_REVERSE);
		x += w[i] + 1;
	}
	attroff(A_BOLD | A_UNDERLINE);
	if (lv->count == 0) {
		tui_put(y0 + 2, 2, lv->filter[0] ? "Nothing matches the filter." : "Nothing here yet; a adds a record.",
		        width - 2, false);
		return;
	}
	for (int r = 0; r < height - 1; r++) {
		int64_t index = lv->top + r;
		int64_t i = index - lv->rows_from;
		if (index >= lv->count || i < 0 || i >= lv->win.n)
			break;
		const list_row *row = &lv->win.rows[i];
		int y = y0 + 1 + r;
		int attr = tui_mood_attr(row->mood);
		if (index == lv->cursor)
			attr |= A_REVERSE;
		attron(attr);
		mvhline(y, 0, ' ', width);
		mvaddstr(y, 0, list_is_marked(lv, row->id) ? "*" : " ");
		x = 1;
		for (int c = 0; c < lv->ncols; c++) {
			if (w[c] <= 0)
				continue;
			tui_put(y, x, row->cells[c], w[c], true);
			x += w[c] + 1;
		}
		attroff(attr);
	}
}
