/*
 * live.c: the lists follow what others commit (see tui.h: live_watch).
 *
 * About once a second while the user is idle on a list, the loop asks
 * SQLite's PRAGMA data_version, which moves only when another connection
 * has committed; nothing else is read and nothing is drawn while it stays
 * put. When it moves, every list is read again, the cursor kept on its
 * record, and the audit entries made since the last look (less the ones
 * of this session's own changes) say how many records others changed.
 */
#include <stdio.h>
#include <string.h>

#include "scodesk/record.h"
#include "tui.h"

/* Above this many rows, keeping the cursor's screen line would read the
 * list from its start (an offset): the record opens the window instead. */
#define LIVE_OFFSET_MAX 5000

void live_start(live_watch *w, sk_db *db)
{
	memset(w, 0, sizeof *w);
	w->version = sk_data_version(db);
	w->mark = sk_audit_mark(db);
}

void live_own_begin(live_watch *w, sk_db *db)
{
	w->own_from = sk_audit_mark(db);
}

void live_own_end(live_watch *w, sk_db *db)
{
	int64_t to = sk_audit_mark(db);
	if (to <= w->own_from)
		return;
	if (sk_data_version(db) == w->version) {
		/* nobody else committed since the last look: all of it is ours */
		w->mark = to;
		w->nskip = 0;
		return;
	}
	if (w->nskip == SK_CHANGED_SKIPS) {
		/* the last range grows over what lies between: at worst others'
		 * entries in there go uncounted */
		w->skip[SK_CHANGED_SKIPS - 1][1] = to;
		return;
	}
	w->skip[w->nskip][0] = w->own_from + 1;
	w->skip[w->nskip][1] = to;
	w->nskip++;
}

bool live_changed(live_watch *w, sk_db *db, char *msg, size_t size)
{
	int64_t version = sk_data_version(db);
	if (version == w->version)
		return false;
	w->version = version;
	sk_changed c;
	int64_t newest = sk_audit_mark(db);
	if (sk_changed_since(db, w->mark, (const int64_t(*)[2])w->skip, w->nskip, &c, NULL) != SK_OK)
		c.records = 0;
	w->mark = newest;
	w->nskip = 0;
	if (c.records <= 0)
		snprintf(msg, size, "The data was changed by others");
	else if (c.table)
		snprintf(msg, size, "%lld %s changed by others", (long long)c.records,
		         c.records == 1 ? c.table->label : c.table->plural);
	else
		snprintf(msg, size, "%lld records changed by others", (long long)c.records);
	return true;
}

void live_remember(live_anchor *an, const list_view *lv)
{
	memset(an, 0, sizeof *an);
	an->row = lv->cursor - lv->top;
	int64_t at = lv->cursor - lv->rows_from;
	/* the cursor's record, then its neighbours outwards, below first */
	for (int step = 0; an->n < LIVE_ANCHORS && step < LIVE_ANCHORS; step++) {
		int64_t i = step == 0 ? at : step % 2 ? at + (step + 1) / 2 : at - step / 2;
		if (i >= 0 && i < lv->win.n)
			an->ids[an->n++] = lv->win.rows[i].id;
	}
}

void live_place(const live_anchor *an, list_view *lv, sk_db *db, int height)
{
	list_data_changed(lv);
	/* the row keeps its place in the list: without a way to find it, or
	 * far down a long list, where finding its place would count every
	 * row above it (seconds on a million); the window is read again from
	 * the row it started at */
	if (!lv->ops->position || lv->cursor > LIVE_OFFSET_MAX)
		return;
	for (int k = 0; k < an->n; k++) {
		int64_t index;
		if (lv->ops->position(lv, db, an->ids[k], &index, NULL) != SK_OK)
			continue;
		lv->count_stale = false;
		if (!lv->filter[0])
			lv->unfiltered = lv->count;
		lv->rows_stale = true;
		lv->rows_moved = false;
		int64_t top = index - an->row;
		if (top < 0)
			top = 0;
		if (top > LIVE_OFFSET_MAX && top != index) {
			/* the record opens the window, read from itself */
			top = index;
			lv->seek = true;
			lv->seek_id = an->ids[k];
		}
		lv->top = top;
		lv->cursor = index;
		list_move(lv, 0, height);
		if (lv->seek && lv->top != index)
			lv->seek = false;
		return;
	}
	/* none of them is left in the list: the count is read again and the
	 * cursor stays on its line, where the rows below moved up */
	lv->rows_moved = false;
}
