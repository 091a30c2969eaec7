/*
 * list_cols.c: the list's columns across the screen. Widths follow the
 * terminal and the rows on screen: each column takes what its label and
 * its widest value in the window need, up to the cap its source gives
 * it by type (a date exactly fits, an enumeration its longest label,
 * text its preferred width); width left over goes, a cell at a time, to
 * the columns that were cut, so on a wide terminal nothing that fits is
 * cut. The first shown column stays in place; the others scroll across
 * one at a time to keep the current column (its label highlighted) in
 * view, like a spreadsheet's frozen column. Nothing here reads the
 * database: the window's rows are already formatted.
 */
#include <string.h>

#include "text.h"
#include "tui.h"

/* Room kept right of a wide first column for one more. */
#define ROOM_BESIDE_FIRST 12

static int cap_of(const list_view *lv, int i)
{
	int c = lv->cols[i];
	int cap = lv->ops->col_cap ? lv->ops->col_cap(lv, c) : lv->ops->col_width(lv, c);
	return cap > 0 ? cap : 1;
}

/* The cells a column is given before any spare width. */
static int want_of(const list_view *lv, int i)
{
	int need = lv->need[i] > 0 ? lv->need[i] : 1;
	if (lv->widened[i])
		return need;
	int cap = cap_of(lv, i);
	int label = tui_cells(list_col_label(lv, i)) + (i == lv->sort);
	if (cap < label)
		cap = label; /* a label is never cut by the cap */
	return need < cap ? need : cap;
}

void list_measure(list_view *lv, bool grow)
{
	for (int i = 0; i < lv->ncols; i++) {
		int n = tui_cells(list_col_label(lv, i)) + (i == lv->sort);
		for (int r = 0; r < lv->win.n; r++) {
			int c = tui_cells(lv->win.rows[r].cells[i]);
			if (c > n)
				n = c;
		}
		lv->need[i] = grow && lv->need[i] > n ? lv->need[i] : n;
	}
	lv->need_reset = false;
}

int list_cols_shown(const list_view *lv)
{
	int n = 0;
	for (int i = 0; i < lv->ncols; i++)
		n += !lv->hidden[i];
	return n;
}

int list_cols_hidden(const list_view *lv)
{
	return lv->ncols - list_cols_shown(lv);
}

/* The current column made a shown one: the next shown to its right, or
 * else to its left. */
static void current_shown(list_view *lv)
{
	if (lv->ccol < 0 || lv->ccol >= lv->ncols)
		lv->ccol = 0;
	for (int i = lv->ccol; i < lv->ncols; i++)
		if (!lv->hidden[i]) {
			lv->ccol = i;
			return;
		}
	for (int i = lv->ccol; i >= 0; i--)
		if (!lv->hidden[i]) {
			lv->ccol = i;
			return;
		}
}

/* Cells the shown columns vis[from..to] take at want, with a space
 * before each. */
static int span(const list_view *lv, const int *vis, int from, int to)
{
	int n = 0;
	for (int k = from; k <= to; k++)
		n += want_of(lv, vis[k]) + 1;
	return n;
}

void list_layout(list_view *lv, int width, int *w)
{
	for (int i = 0; i < lv->ncols; i++)
		w[i] = 0;
	lv->cfirst = lv->clast = 0;
	int vis[LIST_MAX_COLS], nv = 0;
	for (int i = 0; i < lv->ncols; i++)
		if (!lv->hidden[i])
			vis[nv++] = i;
	int avail = width - 1; /* the mark gutter */
	if (nv == 0 || avail < 1)
		return;
	current_shown(lv);

	/* the first column stays; a widened one leaves room for another */
	int fw = want_of(lv, vis[0]);
	if (nv > 1 && fw > avail - ROOM_BESIDE_FIRST)
		fw = avail - ROOM_BESIDE_FIRST > 1 ? avail - ROOM_BESIDE_FIRST : 1;
	if (fw > avail)
		fw = avail;
	w[vis[0]] = fw;
	int room = avail - fw; /* for the scrolled ones, a space before each */

	/* where the scrolled columns start: at cleft, moved the least that
	 * shows the current column, and back left while the columns to the
	 * end would still fit */
	int cur = 0, left = 1;
	for (int k = 0; k < nv; k++) {
		if (vis[k] == lv->ccol)
			cur = k;
		if (vis[k] <= lv->cleft)
			left = k;
	}
	if (left < 1)
		left = 1;
	if (cur >= 1 && cur < left)
		left = cur;
	while (cur > left && span(lv, vis, left, cur) > room)
		left++;
	while (left > 1 && span(lv, vis, left - 1, nv - 1) <= room)
		left--;

	int used = fw, last = 0;
	for (int k = left; k < nv; k++) {
		int ww = want_of(lv, vis[k]);
		if (used + 1 + ww > avail) {
			if (k == left && used + 2 <= avail) { /* one at least, cut */
				w[vis[k]] = avail - used - 1;
				used = avail;
				last = k;
			}
			break;
		}
		w[vis[k]] = ww;
		used += 1 + ww;
		last = k;
	}
	/* the spare width, a cell at a time, to the columns cut short */
	int spare = avail - used;
	while (spare > 0) {
		bool gave = false;
		for (int k = 0; k < nv && spare > 0; k++) {
			int i = vis[k];
			if (w[i] > 0 && w[i] < lv->need[i]) {
				w[i]++;
				spare--;
				gave = true;
			}
		}
		if (!gave)
			break;
	}
	if (nv > 1 && left < nv)
		lv->cleft = vis[left];
	lv->cfirst = left <= 1 ? 1 : left + 1;
	lv->clast = last + 1;
}

/* ---- column keys ----------------------------------------------------------- */

bool list_col_move(list_view *lv, int dir)
{
	current_shown(lv);
	for (int i = lv->ccol + dir; i >= 0 && i < lv->ncols; i += dir)
		if (!lv->hidden[i]) {
			lv->ccol = i;
			return true;
		}
	return false;
}

bool list_col_widen(list_view *lv)
{
	current_shown(lv);
	if (lv->ncols == 0)
		return false;
	lv->widened[lv->ccol] = !lv->widened[lv->ccol];
	return true;
}

bool list_col_hide(list_view *lv, const char **why)
{
	current_shown(lv);
	if (list_cols_shown(lv) <= 1) {
		*why = "The last column shown stays.";
		return false;
	}
	lv->hidden[lv->ccol] = true;
	current_shown(lv);
	return true;
}

int list_col_show_all(list_view *lv)
{
	int n = 0;
	for (int i = lv->ncols - 1; i >= 0; i--)
		if (lv->hidden[i]) {
			lv->hidden[i] = false;
			lv->ccol = i; /* the first of them, brought into view */
			n++;
		}
	return n;
}
