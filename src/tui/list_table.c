/*
 * list_table.c: the list engine's source for a table's records. Counts,
 * windows, positions and searches are asked of core under the view's
 * filter, sort and related-records condition; a window next to the one
 * on screen is read from its edge row (keyset paging), so that a page at
 * the millionth row costs what the first does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/csvio.h"
#include "scodesk/shown.h"
#include "text.h"
#include "tui.h"

/* The query core is asked for (valid until the view changes). */
static void table_query(const list_view *lv, sk_query *q)
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

static bool table_open(list_view *lv)
{
	lv->table = lv->def->table ? sk_table_find(lv->def->table) : NULL;
	return lv->table != NULL;
}

/* Everything, but an append-only table's records are neither added nor
 * deleted here. */
static unsigned table_allows(const list_view *lv)
{
	unsigned all = LIST_EDIT | LIST_MARK | LIST_VIEW;
	return lv->table->append_only ? all : all | LIST_ADD | LIST_DELETE;
}

/* ---- the columns ---------------------------------------------------------- */

static int table_column(const list_view *lv, const char *name)
{
	return sk_column_index(lv->table, name);
}

static const char *table_col_name(const list_view *lv, int col)
{
	return lv->table->columns[col].name;
}

static const char *table_col_label(const list_view *lv, int col)
{
	return lv->table->columns[col].label;
}

static int table_col_width(const list_view *lv, int col)
{
	return lv->table->columns[col].width;
}

/* Caps by type: a date or a time is never cut, nor a number or a
 * choice; text, names and computed columns are cut at their preferred
 * width until there is spare room. */
static int table_col_cap(const list_view *lv, int col)
{
	const sk_column *c = &lv->table->columns[col];
	int longest = 0;
	switch (c->type) {
	case SK_T_DATE: return 10;
	case SK_T_TIMESTAMP: return 20;
	case SK_T_BOOL: return 3;
	case SK_T_ID:
	case SK_T_INT: return 20;
	case SK_T_MONEY: return 27; /* $ and a comma every three digits */
	case SK_T_ENUM:
		for (size_t i = 0; c->enumeration && i < c->enumeration->count; i++) {
			int n = tui_cells(c->enumeration->values[i].label);
			if (n > longest)
				longest = n;
		}
		return longest > c->width ? longest : c->width;
	default: return c->width;
	}
}

static bool table_col_quick_sort(const list_view *lv, int col)
{
	return sk_column_quick_sort(&lv->table->columns[col]);
}

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

/* As core shows it (shown.h), but money with its dollar sign and commas:
 * on screen it is read, in an exported file it is summed. */
static char *table_cell(const list_view *lv, sk_db *db, const void *item, int col)
{
	const sk_record *rec = item;
	const char *v = rec->values[col];
	if (v && lv->table->columns[col].type == SK_T_MONEY)
		return money(v);
	return sk_shown_value(db, rec, col);
}

static row_mood table_mood(const list_view *lv, const void *item)
{
	const sk_record *rec = item;
	if (strcmp(lv->table->name, "staff_training") == 0) {
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
	if (strcmp(lv->table->name, "students") == 0) {
		const char *v = sk_get(rec, "leahy_status");
		if (v && (strcmp(v, "denied") == 0 || strcmp(v, "expired") == 0))
			return MOOD_BAD;
	}
	return MOOD_PLAIN;
}

/* ---- the rows -------------------------------------------------------------- */

static sk_status table_count(list_view *lv, sk_db *db, int64_t *count, sk_err *err)
{
	sk_query q;
	table_query(lv, &q);
	return sk_count(db, lv->table, &q, count, err);
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
	list_row *r = list_add_row(f->lv, f->db, f->out, rec);
	if (!r)
		return SK_NOMEM;
	r->id = sk_record_id(rec);
	r->table = f->lv->table->name;
	if (f->key_col >= 0 && rec->values[f->key_col])
		r->key = strdup(rec->values[f->key_col]);
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
 * The rows [top, top + want). A window next to the one on screen is
 * reached from its edge row (keyset paging: as cheap at the millionth row
 * as at the first); the end of the list is read backwards from the last
 * row; a record to land on is read from itself. Only a far jump, or a
 * computed sort column, falls back to an offset.
 */
static sk_status table_fetch(list_view *lv, sk_db *db, int height, row_set *got, sk_err *err)
{
	sk_query q;
	table_query(lv, &q);
	/* every order can be paged from a row (core looks its values up) */
	bool keyset = true;
	row_set *old = &lv->win;
	int64_t top = lv->top, from = lv->rows_from, want = list_want(lv, height);
	/* rows on screen still true, or only anchors since the data moved */
	bool fresh = old->n > 0 && !lv->rows_stale;
	bool moved = old->n > 0 && lv->rows_stale && lv->rows_moved;
	sk_record *seek = NULL;
	sk_status s;

	if (keyset && lv->seek && sk_get_record(db, lv->table, lv->seek_id, &seek, NULL) == SK_OK) {
		q.after = q.inclusive = true;
		q.anchor_value = q.sort ? sk_get(seek, q.sort) : NULL;
		q.anchor_id = lv->seek_id;
		s = fetch(lv, db, &q, want, got, err);
		sk_record_free(seek);
	} else if (keyset && moved && top >= from && top < from + old->n) {
		/* the data moved: read again from the same first row */
		q.after = q.inclusive = true;
		q.anchor_value = old->rows[top - from].key;
		q.anchor_id = old->rows[top - from].id;
		s = fetch(lv, db, &q, want, got, err);
	} else if (keyset && fresh && top > from && top <= from + old->n) {
		/* forward from the row just above the new top */
		const list_row *edge = &old->rows[top - from - 1];
		q.after = true;
		q.anchor_value = edge->key;
		q.anchor_id = edge->id;
		s = fetch(lv, db, &q, want, got, err);
	} else if (keyset && fresh && top < from && from - top < want) {
		/* backward from the first row, then what is still on screen */
		q.after = q.reverse = true;
		q.anchor_value = old->rows[0].key;
		q.anchor_id = old->rows[0].id;
		s = fetch(lv, db, &q, from - top, got, err);
		if (s == SK_OK && got->n == from - top) {
			list_rows_reverse(got);
			list_rows_move(got, old, 0, (int)(want - got->n));
		} else if (s == SK_OK) {
			/* the rows above changed meanwhile: count from the start */
			list_rows_clear(got, lv->ncols);
			table_query(lv, &q);
			q.offset = top;
			s = fetch(lv, db, &q, want, got, err);
		}
	} else if (keyset && top > 0 && top + want >= lv->count) {
		/* the end of the list: its last rows, read backwards */
		q.reverse = true;
		s = fetch(lv, db, &q, lv->count - top, got, err);
		list_rows_reverse(got);
	} else {
		q.offset = top;
		s = fetch(lv, db, &q, want, got, err);
	}
	return s;
}

static sk_status table_position(list_view *lv, sk_db *db, int64_t id, int64_t *index, sk_err *err)
{
	sk_query q;
	table_query(lv, &q);
	sk_status s = sk_position(db, lv->table, &q, id, index, err);
	if (s == SK_OK)
		s = sk_count(db, lv->table, &q, &lv->count, err);
	return s;
}

typedef struct search_ctx {
	const list_view *lv;
	sk_db *db;
	const char *text;
	int64_t index, found;
	int dir;
} search_ctx;

/* Every word of the text in one of the shown columns, as shown. */
static int search_one(void *ctx, const sk_record *rec)
{
	search_ctx *s = ctx;
	char *cells[LIST_MAX_COLS] = {0};
	int n = 0;
	for (int i = 0; i < s->lv->ncols; i++)
		if ((cells[n] = sk_shown_value(s->db, rec, s->lv->cols[i])))
			n++;
	bool hit = list_has_words((const char *const *)cells, n, s->text);
	for (int i = 0; i < n; i++)
		free(cells[i]);
	if (hit) {
		s->found = s->index;
		if (s->dir > 0)
			return 1; /* the first one forward is the one */
	}
	s->index++;
	return 0;
}

static int take_id(void *ctx, const sk_record *rec)
{
	*(int64_t *)ctx = sk_record_id(rec);
	return 1;
}

static bool table_search(list_view *lv, sk_db *db, const char *text, int dir, bool from_end,
                         list_hit *hit)
{
	sk_query q;
	table_query(lv, &q);
	const list_row *cur = list_current(lv);
	if ((cur || from_end) && !lv->filter[0]) {
		/* The next row in this order that holds the text, asked of core
		 * as a filter one row past the cursor (from the end: the first
		 * in this order or, going back, the last): the full-text index
		 * and the sort index do the walking, however long the list. */
		q.text = text;
		q.reverse = dir < 0;
		if (!from_end) {
			q.after = true;
			q.anchor_value = cur->key;
			q.anchor_id = cur->id;
		}
		q.limit = 1;
		int64_t found = 0;
		sk_list(db, lv->table, &q, take_id, &found, NULL);
		hit->id = found;
		return found != 0;
	}
	/* Under a filter (a shorter list): scan in chunks, forward from the row
	 * after the cursor (or the first), or backward over the rows before it
	 * (or all of them), keeping the last hit of each chunk. */
	const int64_t chunk = 256;
	search_ctx s = {lv, db, text, 0, -1, dir};
	if (dir > 0) {
		for (int64_t from = from_end ? 0 : lv->cursor + 1; from < lv->count && s.found < 0;
		     from += chunk) {
			q.offset = from;
			q.limit = chunk;
			s.index = from;
			sk_list(db, lv->table, &q, search_one, &s, NULL);
		}
	} else {
		for (int64_t to = from_end ? lv->count : lv->cursor; to > 0 && s.found < 0; to -= chunk) {
			int64_t from = to > chunk ? to - chunk : 0;
			q.offset = from;
			q.limit = to - from;
			s.index = from;
			sk_list(db, lv->table, &q, search_one, &s, NULL);
		}
	}
	hit->index = s.found;
	return s.found >= 0;
}

/* ---- out --------------------------------------------------------------------- */

static const char *table_export_name(const list_view *lv)
{
	return lv->table->name;
}

/* The list as shown: its columns in their order but the hidden ones
 * (those scrolled off or cut included), labels and shown values, under
 * the view's filter, sort and related condition; the same bytes as
 * `scodesk export TABLE --view` gives for that filter and sort. */
static sk_status table_export(list_view *lv, sk_db *db, const char *path, long *rows, sk_err *err)
{
	sk_query q;
	table_query(lv, &q);
	int cols[LIST_MAX_COLS], n = 0;
	for (int i = 0; i < lv->ncols; i++)
		if (!lv->hidden[i])
			cols[n++] = lv->cols[i];
	sk_csv_opts opts = {.no_clobber = true};
	return sk_csv_export_view(db, lv->table, &q, cols, n, path, &opts, rows, err);
}

const list_ops list_table_source = {
	.allows = table_allows,
	.short_filter = 3, /* the full-text index's trigrams */
	.open = table_open,
	.column = table_column,
	.col_name = table_col_name,
	.col_label = table_col_label,
	.col_width = table_col_width,
	.col_cap = table_col_cap,
	.col_quick_sort = table_col_quick_sort,
	.cell = table_cell,
	.mood = table_mood,
	.count = table_count,
	.fetch = table_fetch,
	.position = table_position,
	.search = table_search,
	.export_name = table_export_name,
	.export = table_export,
};
