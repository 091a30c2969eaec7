/*
 * list.c: the one list engine. Every screen's rows come through here:
 * a window of the rows on screen is fetched from core (LIMIT/OFFSET under
 * the current filter and sort), formatted once, and drawn on each key.
 * The dashboard's rows are the alerts, filtered and sorted here.
 */
#include <curses.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tui.h"

/* The dashboard's columns: fields of an alert. */
enum { AL_SEVERITY, AL_DUE, AL_RULE, AL_SUBJECT, AL_DETAIL, AL_NFIELDS };
static const struct {
	const char *name, *label;
	int width;
} alert_fields[AL_NFIELDS] = {
	{"severity", "Severity", 7}, {"due_date", "Due", 10}, {"rule", "Rule", 18},
	{"subject", "Subject", 24}, {"detail", "Detail", 30},
};

const char *list_col_name(const list_view *lv, int i)
{
	return lv->table ? lv->table->columns[lv->cols[i]].name : alert_fields[lv->cols[i]].name;
}

const char *list_col_label(const list_view *lv, int i)
{
	return lv->table ? lv->table->columns[lv->cols[i]].label : alert_fields[lv->cols[i]].label;
}

static int col_width(const list_view *lv, int i)
{
	int w = lv->table ? lv->table->columns[lv->cols[i]].width : alert_fields[lv->cols[i]].width;
	int label = tui_cells(list_col_label(lv, i));
	return w > label ? w : label;
}

void list_init(list_view *lv, const tab_def *def)
{
	memset(lv, 0, sizeof *lv);
	lv->def = def;
	lv->table = def->table ? sk_table_find(def->table) : NULL;
	lv->sort = -1;
	for (int i = 0; def->columns[i] && lv->ncols < LIST_MAX_COLS; i++) {
		int c = -1;
		if (lv->table) {
			c = sk_column_index(lv->table, def->columns[i]);
		} else {
			for (int k = 0; k < AL_NFIELDS; k++)
				if (strcmp(alert_fields[k].name, def->columns[i]) == 0)
					c = k;
		}
		if (c < 0)
			continue;
		if (def->sort && strcmp(def->sort, def->columns[i]) == 0)
			lv->sort = lv->ncols;
		lv->cols[lv->ncols++] = c;
	}
	lv->descending = def->descending;
	lv->count_stale = lv->rows_stale = true;
}

static void rows_clear(row_set *set, int ncols)
{
	for (int r = 0; r < set->n; r++) {
		for (int i = 0; set->rows[r].cells && i < ncols; i++)
			free(set->rows[r].cells[i]);
		free(set->rows[r].cells); /* NULL once moved to another set */
		free(set->rows[r].key);
	}
	set->n = 0;
}

static void rows_free(row_set *set, int ncols)
{
	rows_clear(set, ncols);
	free(set->rows);
	memset(set, 0, sizeof *set);
}

void list_free(list_view *lv)
{
	rows_free(&lv->win, lv->ncols);
	free(lv->marked);
	free(lv->alert_order);
	free(lv->seek_key);
	sk_alerts_free(&lv->alerts);
	memset(lv, 0, sizeof *lv);
}

void list_invalidate(list_view *lv)
{
	lv->count_stale = lv->rows_stale = true;
	lv->rows_moved = false;
}

void list_reordered(list_view *lv)
{
	lv->rows_stale = true;
	lv->rows_moved = false;
}

void list_data_changed(list_view *lv)
{
	lv->count_stale = lv->rows_stale = true;
	lv->rows_moved = true;
}

void list_query(const list_view *lv, sk_query *q)
{
	memset(q, 0, sizeof *q);
	q->text = lv->filter[0] ? lv->filter : NULL;
	q->sort = lv->sort >= 0 ? list_col_name(lv, lv->sort) : lv->def->sort;
	q->descending = lv->descending;
	if (lv->where_column) {
		q->where[0].column = lv->where_column;
		q->where[0].value = lv->where_value;
		q->nwhere = 1;
	}
}

/* ---- formatting a cell ------------------------------------------------ */

static char *money(const char *v)
{
	char digits[32];
	snprintf(digits, sizeof digits, "%s", v);
	size_t n = strlen(digits);
	char *out = malloc(n + n / 3 + 2);
	if (!out)
		return NULL;
	size_t o = 0;
	out[o++] = '$';
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0 && digits[i - 1] != '-')
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

static char *ref_name(sk_db *db, const char *table, const char *id)
{
	const sk_table *t = sk_table_find(table);
	sk_record *rec;
	char name[160];
	if (!t || sk_get_record(db, t, strtoll(id, NULL, 10), &rec, NULL) != SK_OK)
		return strdup(id);
	sk_record_name(rec, name, sizeof name);
	sk_record_free(rec);
	return strdup(name);
}

static char *format_cell(sk_db *db, const sk_column *c, const char *v)
{
	if (!v)
		return strdup("");
	switch (c->type) {
	case SK_T_ENUM:
	case SK_T_DERIVED:
		return strdup(c->enumeration ? sk_enum_label(c->enumeration, v) : v);
	case SK_T_BOOL:
		return strdup(strcmp(v, "1") == 0 ? "yes" : "");
	case SK_T_MONEY:
		return money(v);
	case SK_T_REF:
		return ref_name(db, c->ref_table, v);
	case SK_T_LINKS: {
		/* names of the linked records, "; "-separated */
		size_t cap = 256, len = 0;
		char *out = malloc(cap);
		if (!out)
			return NULL;
		out[0] = '\0';
		for (const char *p = v; *p; p += strcspn(p, ";"), p += *p == ';') {
			char id[24];
			snprintf(id, sizeof id, "%.*s", (int)strcspn(p, ";"), p);
			char *name = ref_name(db, c->ref_table, id);
			size_t need = len + (name ? strlen(name) : 0) + 3;
			if (need > cap) {
				char *q = realloc(out, cap = need * 2);
				if (!q) {
					free(name);
					break;
				}
				out = q;
			}
			len += (size_t)sprintf(out + len, "%s%s", len ? "; " : "", name ? name : id);
			free(name);
		}
		return out;
	}
	default:
		return strdup(v);
	}
}

static row_mood record_mood(const sk_record *rec)
{
	if (strcmp(rec->table->name, "staff_training") == 0) {
		const char *s = sk_get(rec, "status");
		if (!s)
			return MOOD_PLAIN;
		if (strcmp(s, "done") == 0)
			return MOOD_GOOD;
		if (strcmp(s, "due") == 0)
			return MOOD_WARN;
		if (strcmp(s, "waived") == 0)
			return MOOD_DIM;
		return MOOD_BAD; /* overdue, expired */
	}
	if (strcmp(rec->table->name, "students") == 0) {
		const char *v = sk_get(rec, "leahy_status");
		if (v && (strcmp(v, "denied") == 0 || strcmp(v, "expired") == 0))
			return MOOD_BAD;
	}
	return MOOD_PLAIN;
}

/* ---- fetching the window ------------------------------------------------ */

static list_row *rows_push(row_set *set, int ncols)
{
	if (set->n == set->cap) {
		int cap = set->cap ? set->cap * 2 : 64;
		list_row *p = realloc(set->rows, (size_t)cap * sizeof *p);
		if (!p)
			return NULL;
		set->rows = p;
		set->cap = cap;
	}
	list_row *r = &set->rows[set->n];
	memset(r, 0, sizeof *r);
	r->cells = calloc((size_t)ncols, sizeof *r->cells);
	if (!r->cells)
		return NULL;
	set->n++;
	return r;
}

static void rows_reverse(row_set *set)
{
	for (int i = 0, j = set->n - 1; i < j; i++, j--) {
		list_row tmp = set->rows[i];
		set->rows[i] = set->rows[j];
		set->rows[j] = tmp;
	}
}

/* Moves up to `count` rows of src from index `from` to the end of dst. */
static void rows_move(row_set *dst, row_set *src, int from, int count)
{
	for (int i = from; i < src->n && i < from + count; i++) {
		if (dst->n == dst->cap) {
			int cap = dst->cap ? dst->cap * 2 : 64;
			list_row *p = realloc(dst->rows, (size_t)cap * sizeof *p);
			if (!p)
				return;
			dst->rows = p;
			dst->cap = cap;
		}
		dst->rows[dst->n++] = src->rows[i];
		memset(&src->rows[i], 0, sizeof src->rows[i]);
	}
}

typedef struct fetch_ctx {
	const list_view *lv;
	sk_db *db;
	row_set *out;
	int key_col; /* index of the sort column in the table, or -1 (id) */
} fetch_ctx;

static int fetch_one(void *ctx, const sk_record *rec)
{
	fetch_ctx *f = ctx;
	list_row *r = rows_push(f->out, f->lv->ncols);
	if (!r)
		return SK_NOMEM;
	r->id = sk_record_id(rec);
	r->mood = record_mood(rec);
	if (f->key_col >= 0 && rec->values[f->key_col])
		r->key = strdup(rec->values[f->key_col]);
	for (int i = 0; i < f->lv->ncols; i++) {
		int c = f->lv->cols[i];
		r->cells[i] = format_cell(f->db, &rec->table->columns[c], rec->values[c]);
	}
	return 0;
}

/* Fetches into out what q selects, limit rows. */
static sk_status fetch(list_view *lv, sk_db *db, sk_query *q, int64_t limit, row_set *out,
                       sk_err *err)
{
	q->limit = limit > 0 ? limit : 1;
	fetch_ctx ctx = {lv, db, out, q->sort ? sk_column_index(lv->table, q->sort) : -1};
	return sk_list(db, lv->table, q, fetch_one, &ctx, err);
}

/*
 * Fills the window with the rows [top, top + want). A window next to the
 * one on screen is reached from its edge row (keyset paging: as cheap at
 * the millionth row as at the first); the end of the list is read
 * backwards from the last row; a record to land on is read from itself.
 * Only a far jump, or a computed sort column, falls back to an offset.
 */
static sk_status fetch_window(list_view *lv, sk_db *db, int64_t want, sk_err *err)
{
	sk_query q;
	list_query(lv, &q);
	const sk_column *sc = q.sort ? sk_column_find(lv->table, q.sort) : NULL;
	bool keyset = !sc || sk_column_sortable(sc);
	row_set *old = &lv->win, got = {0};
	int64_t top = lv->top, from = lv->rows_from;
	/* rows on screen still true, or only anchors since the data moved */
	bool fresh = old->n > 0 && !lv->rows_stale;
	bool moved = old->n > 0 && lv->rows_stale && lv->rows_moved;
	sk_status s;

	if (want <= 0 && lv->count == 0) {
		/* nothing matches: nothing to read (a filter matched row by row
		 * would read every row again to find so) */
		rows_clear(old, lv->ncols);
		lv->rows_from = top;
		lv->seek = false;
		lv->rows_stale = lv->rows_moved = false;
		return SK_OK;
	}
	if (keyset && lv->seek) {
		q.after = q.inclusive = true;
		q.anchor_value = lv->seek_key;
		q.anchor_id = lv->seek_id;
		s = fetch(lv, db, &q, want, &got, err);
	} else if (keyset && moved && top >= from && top < from + old->n) {
		/* the data moved: read again from the same first row */
		q.after = q.inclusive = true;
		q.anchor_value = old->rows[top - from].key;
		q.anchor_id = old->rows[top - from].id;
		s = fetch(lv, db, &q, want, &got, err);
	} else if (keyset && fresh && top > from && top <= from + old->n) {
		/* forward from the row just above the new top */
		const list_row *edge = &old->rows[top - from - 1];
		q.after = true;
		q.anchor_value = edge->key;
		q.anchor_id = edge->id;
		s = fetch(lv, db, &q, want, &got, err);
	} else if (keyset && fresh && top < from && from - top < want) {
		/* backward from the first row, then what is still on screen */
		q.after = q.reverse = true;
		q.anchor_value = old->rows[0].key;
		q.anchor_id = old->rows[0].id;
		s = fetch(lv, db, &q, from - top, &got, err);
		if (s == SK_OK && got.n == from - top) {
			rows_reverse(&got);
			rows_move(&got, old, 0, (int)(want - got.n));
		} else if (s == SK_OK) {
			/* the rows above changed meanwhile: count from the start */
			rows_clear(&got, lv->ncols);
			q = (sk_query){0};
			list_query(lv, &q);
			q.offset = top;
			s = fetch(lv, db, &q, want, &got, err);
		}
	} else if (keyset && top > 0 && top + want >= lv->count) {
		/* the end of the list: its last rows, read backwards */
		q.reverse = true;
		s = fetch(lv, db, &q, lv->count - top, &got, err);
		rows_reverse(&got);
	} else {
		q.offset = top;
		s = fetch(lv, db, &q, want, &got, err);
	}
	lv->seek = false;
	rows_free(old, lv->ncols);
	lv->win = got;
	lv->rows_from = top;
	lv->rows_stale = lv->rows_moved = false;
	return s;
}

static const char *alert_field(const sk_alert *a, int field)
{
	switch (field) {
	case AL_SEVERITY: return sk_severity_name(a->severity);
	case AL_DUE: return a->due_date;
	case AL_RULE: return a->rule;
	case AL_SUBJECT: return a->subject;
	default: return a->detail;
	}
}

/* Case-blind (for ASCII letters) substring test. */
static bool contains(const char *hay, const char *needle)
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

static const list_view *sorting; /* qsort has no context argument */

static int alert_cmp(const void *pa, const void *pb)
{
	const sk_alert *a = &sorting->alerts.items[*(const int *)pa];
	const sk_alert *b = &sorting->alerts.items[*(const int *)pb];
	int c = 0;
	int field = sorting->cols[sorting->sort];
	if (field == AL_SEVERITY)
		c = (int)a->severity - (int)b->severity;
	else
		c = strcmp(alert_field(a, field), alert_field(b, field));
	if (!c)
		c = *(const int *)pa - *(const int *)pb; /* the urgency order */
	return sorting->descending ? -c : c;
}

/* Alerts read per rule when the dashboard opens: a few screens' worth. */
#define ALERTS_HEAD 200

/*
 * The dashboard's rows. In its own order and unfiltered, only the head of
 * the list is read (sk_alerts_head: every rule's count and first rows), so
 * that it opens at once on tens of thousands of alerts; the rest is read
 * when the cursor goes past the head or a search needs it (`whole`), and
 * sorted or filtered it is read whole (resort in app.c reads it again).
 */
static sk_status refresh_alerts(list_view *lv, sk_db *db, bool whole, sk_err *err)
{
	sk_status s;
	int64_t total = 0;
	bool head = !whole && !lv->filter[0] && lv->sort < 0;
	if (head)
		s = sk_alerts_head(db, ALERTS_HEAD, &lv->alerts, &total, err);
	else
		s = sk_alerts_compute(db, &lv->alerts, err);
	if (s != SK_OK)
		return s;
	free(lv->alert_order);
	lv->alert_order = malloc((lv->alerts.count + 1) * sizeof *lv->alert_order);
	if (!lv->alert_order)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	int n = 0;
	for (size_t i = 0; i < lv->alerts.count; i++) {
		const sk_alert *a = &lv->alerts.items[i];
		bool hit = !lv->filter[0];
		for (int f = 0; !hit && f < AL_NFIELDS; f++)
			hit = contains(alert_field(a, f), lv->filter);
		if (hit)
			lv->alert_order[n++] = (int)i;
	}
	if (lv->sort >= 0) {
		sorting = lv;
		qsort(lv->alert_order, (size_t)n, sizeof *lv->alert_order, alert_cmp);
	}
	lv->alerts_head = head && total > n;
	lv->count = lv->alerts_head ? total : n;
	return SK_OK;
}

/* Every alert, when only the head was read: before going past it. */
static sk_status alerts_whole(list_view *lv, sk_db *db, sk_err *err)
{
	if (!lv->alerts_head)
		return SK_OK;
	sk_status s = refresh_alerts(lv, db, true, err);
	/* the rows on screen point into the alerts just read again */
	lv->rows_stale = true;
	if (s == SK_OK && lv->cursor >= lv->count)
		list_move(lv, 0, 1);
	return s;
}

sk_status list_refresh(list_view *lv, sk_db *db, int height, sk_err *err)
{
	sk_status s = SK_OK;
	if (lv->count_stale) {
		if (lv->table) {
			sk_query q;
			list_query(lv, &q);
			s = sk_count(db, lv->table, &q, &lv->count, err);
		} else {
			s = refresh_alerts(lv, db, false, err);
		}
		if (s != SK_OK)
			return s;
		if (!lv->filter[0])
			lv->unfiltered = lv->count;
		lv->count_stale = false;
		lv->rows_stale = true;
		list_move(lv, 0, height);
	}
	int64_t want = lv->count - lv->top < height ? lv->count - lv->top : height;
	if (!lv->rows_stale && lv->rows_from == lv->top && lv->win.n >= want)
		return SK_OK;
	if (lv->table)
		return fetch_window(lv, db, want, err);
	/* the head holds the list's first ALERTS_HEAD alerts; past them its
	 * items are no longer in the list's order */
	if (lv->alerts_head && lv->top + want > ALERTS_HEAD) {
		s = alerts_whole(lv, db, err);
		if (s != SK_OK)
			return s;
		want = lv->count - lv->top < height ? lv->count - lv->top : height;
	}
	rows_clear(&lv->win, lv->ncols);
	lv->rows_from = lv->top;
	lv->rows_stale = false;
	for (int64_t i = lv->top; i < lv->top + want; i++) {
		list_row *r = rows_push(&lv->win, lv->ncols);
		if (!r)
			return sk_fail(err, SK_NOMEM, NULL, "out of memory");
		const sk_alert *a = &lv->alerts.items[lv->alert_order[i]];
		r->alert = a;
		r->id = a->row_id;
		r->mood = a->severity == SK_ERROR ? MOOD_BAD
		          : a->severity == SK_WARNING ? MOOD_WARN : MOOD_INFO;
		for (int c = 0; c < lv->ncols; c++)
			r->cells[c] = strdup(alert_field(a, lv->cols[c]));
	}
	return SK_OK;
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
	if (!lv->table) {
		sk_status s = alerts_whole(lv, db, err);
		if (s != SK_OK)
			return s;
		for (int64_t i = 0; i < lv->count; i++)
			if (lv->alerts.items[lv->alert_order[i]].row_id == id) {
				list_goto(lv, i, height);
				return SK_OK;
			}
		return sk_fail(err, SK_NOTFOUND, NULL, "not in this list");
	}
	sk_query q;
	list_query(lv, &q);
	int64_t index;
	sk_status s = sk_position(db, lv->table, &q, id, &index, err);
	if (s == SK_NOTFOUND && lv->filter[0]) {
		lv->filter[0] = '\0';
		list_invalidate(lv);
		list_query(lv, &q);
		s = sk_position(db, lv->table, &q, id, &index, err);
	}
	if (s == SK_OK)
		s = sk_count(db, lv->table, &q, &lv->count, err);
	if (s != SK_OK)
		return s;
	lv->count_stale = false;
	lv->rows_stale = true;
	lv->rows_moved = false;
	/* The record opens the window, read from itself (near the end, the
	 * window is the last page instead). */
	lv->cursor = lv->top = index;
	list_move(lv, 0, height);
	if (lv->top == index) {
		sk_record *rec;
		if (sk_get_record(db, lv->table, id, &rec, NULL) == SK_OK) {
			free(lv->seek_key);
			const char *key = q.sort ? sk_get(rec, q.sort) : NULL;
			lv->seek_key = key ? strdup(key) : NULL;
			lv->seek_id = id;
			lv->seek = true;
			sk_record_free(rec);
		}
	}
	return SK_OK;
}

typedef struct search_ctx {
	const list_view *lv;
	const char *text;
	int64_t index, found;
	int dir;
} search_ctx;

static int search_one(void *ctx, const sk_record *rec)
{
	search_ctx *s = ctx;
	for (int i = 0; i < s->lv->ncols; i++) {
		const sk_column *c = &rec->table->columns[s->lv->cols[i]];
		const char *v = rec->values[s->lv->cols[i]];
		if (v && c->enumeration)
			v = sk_enum_label(c->enumeration, v);
		if (v && contains(v, s->text)) {
			s->found = s->index;
			if (s->dir > 0)
				return 1; /* the first one forward is the one */
			break;
		}
	}
	s->index++;
	return 0;
}

static int take_id(void *ctx, const sk_record *rec)
{
	*(int64_t *)ctx = sk_record_id(rec);
	return 1;
}

bool list_search(list_view *lv, sk_db *db, const char *text, int dir, int height)
{
	if (!text[0] || lv->count == 0)
		return false;
	if (!lv->table) {
		if (alerts_whole(lv, db, NULL) != SK_OK)
			return false;
		for (int64_t i = lv->cursor + dir; i >= 0 && i < lv->count; i += dir) {
			const sk_alert *a = &lv->alerts.items[lv->alert_order[i]];
			for (int f = 0; f < AL_NFIELDS; f++)
				if (contains(alert_field(a, f), text)) {
					list_goto(lv, i, height);
					return true;
				}
		}
		return false;
	}
	sk_query q;
	list_query(lv, &q);
	const list_row *cur = list_current(lv);
	const sk_column *sc = q.sort ? sk_column_find(lv->table, q.sort) : NULL;
	if (cur && !lv->filter[0] && (!sc || sk_column_sortable(sc))) {
		/* The next row in this order that holds the text, asked of core
		 * as a filter one row past the cursor: the full-text index and
		 * the sort index do the walking, however long the list. */
		q.text = text;
		q.after = true;
		q.reverse = dir < 0;
		q.anchor_value = cur->key;
		q.anchor_id = cur->id;
		q.limit = 1;
		int64_t found = 0;
		sk_list(db, lv->table, &q, take_id, &found, NULL);
		return found && list_find_id(lv, db, found, height, NULL) == SK_OK;
	}
	/* Under a filter (a shorter list): scan in chunks, forward from the row
	 * after the cursor, or backward over the rows before it (keeping the
	 * last hit of each chunk). */
	const int64_t chunk = 256;
	search_ctx s = {lv, text, 0, -1, dir};
	if (dir > 0) {
		for (int64_t from = lv->cursor + 1; from < lv->count && s.found < 0; from += chunk) {
			q.offset = from;
			q.limit = chunk;
			s.index = from;
			sk_list(db, lv->table, &q, search_one, &s, NULL);
		}
	} else {
		for (int64_t to = lv->cursor; to > 0 && s.found < 0; to -= chunk) {
			int64_t from = to > chunk ? to - chunk : 0;
			q.offset = from;
			q.limit = to - from;
			s.index = from;
			sk_list(db, lv->table, &q, search_one, &s, NULL);
		}
	}
	if (s.found < 0)
		return false;
	list_goto(lv, s.found, height);
	return true;
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

/* Widths of the shown columns: preferred widths, the last stretched to
 * the edge; columns past the edge get 0. */
static void layout(const list_view *lv, int width, int *w)
{
	int x = 1; /* the mark gutter */
	for (int i = 0; i < lv->ncols; i++) {
		int want = col_width(lv, i);
		int room = width - x;
		w[i] = room <= 0 ? 0 : want < room ? want : room;
		x += w[i] + 1;
	}
	if (lv->ncols && x - 1 < width)
		w[lv->ncols - 1] += width - (x - 1);
}

void list_draw(const list_view *lv, int y0, int height, int width)
{
	int w[LIST_MAX_COLS];
	layout(lv, width, w);
	const bool ascii = tui_text_is_ascii();
	/* the header, with the sort column marked */
	attron(A_BOLD | A_UNDERLINE);
	mvhline(y0, 0, ' ', width);
	int x = 1;
	for (int i = 0; i < lv->ncols && w[i] > 0; i++) {
		char label[96];
		const char *arrow = lv->descending ? (ascii ? "v" : "\xe2\x96\xbc")
		                                   : (ascii ? "^" : "\xe2\x96\xb2");
		snprintf(label, sizeof label, "%s%s", list_col_label(lv, i), i == lv->sort ? arrow : "");
		tui_put(y0, x, label, w[i], true);
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
		for (int c = 0; c < lv->ncols && w[c] > 0; c++) {
			tui_put(y, x, row->cells[c], w[c], true);
			x += w[c] + 1;
		}
		attroff(attr);
	}
}
