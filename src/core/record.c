/*
 * record.c: records of any described table: read, list, insert, update,
 * soft delete and restore, each change audited in its own transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* ---- the record itself -------------------------------------------------- */

sk_record *sk_record_new(const sk_table *t)
{
	sk_record *rec = calloc(1, sizeof *rec);
	if (!rec)
		return NULL;
	rec->table = t;
	rec->values = calloc(t->ncolumns, sizeof *rec->values);
	if (!rec->values) {
		free(rec);
		return NULL;
	}
	return rec;
}

void sk_record_free(sk_record *rec)
{
	if (!rec)
		return;
	for (size_t i = 0; i < rec->table->ncolumns; i++)
		free(rec->values[i]);
	free(rec->values);
	free(rec);
}

sk_status sk_set_at(sk_record *rec, int i, const char *value)
{
	if (i < 0 || (size_t)i >= rec->table->ncolumns)
		return SK_INVALID;
	char *copy = NULL;
	if (value && !(copy = strdup(value)))
		return SK_NOMEM;
	free(rec->values[i]);
	rec->values[i] = copy;
	return SK_OK;
}

sk_record *sk_record_dup(const sk_record *rec)
{
	sk_record *copy = sk_record_new(rec->table);
	for (size_t i = 0; copy && i < rec->table->ncolumns; i++) {
		if (sk_set_at(copy, (int)i, rec->values[i]) != SK_OK) {
			sk_record_free(copy);
			return NULL;
		}
	}
	return copy;
}

const char *sk_get(const sk_record *rec, const char *column)
{
	int i = sk_column_index(rec->table, column);
	return i < 0 ? NULL : rec->values[i];
}

sk_status sk_set(sk_record *rec, const char *column, const char *value)
{
	return sk_set_at(rec, sk_column_index(rec->table, column), value);
}

sk_status sk_set_int(sk_record *rec, const char *column, long long value)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", value);
	return sk_set(rec, column, buf);
}

static int64_t int_value(const sk_record *rec, const char *column)
{
	const char *v = sk_get(rec, column);
	return v ? strtoll(v, NULL, 10) : 0;
}

int64_t sk_record_id(const sk_record *rec) { return int_value(rec, "id"); }
int64_t sk_record_version(const sk_record *rec) { return int_value(rec, "version"); }

void sk_record_name(const sk_record *rec, char *buf, size_t size)
{
	size_t len = 0;
	const char *after_name = " "; /* "Chen, Marcus": a comma after a family name */
	buf[0] = '\0';
	for (size_t i = 0; i < rec->table->ncolumns; i++) {
		const sk_column *c = &rec->table->columns[i];
		const char *v = rec->values[i];
		if (!(c->flags & SK_F_NAME) || !v || !*v)
			continue;
		if (c->type == SK_T_ENUM)
			v = sk_enum_label(c->enumeration, v);
		int n = snprintf(buf + len, size - len, "%s%s", len ? after_name : "", v);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
		after_name = strcmp(c->name, "last_name") == 0 ? ", " : " ";
	}
	if (!buf[0])
		snprintf(buf, size, "%s %lld", rec->table->label, (long long)sk_record_id(rec));
}

void sk_record_title(sk_db *db, const sk_record *rec, char *buf, size_t size)
{
	const sk_table *t = rec->table;
	size_t len = 0;
	buf[0] = '\0';
	bool plain = true;
	for (size_t i = 0; i < t->ncolumns; i++)
		plain &= !((t->columns[i].flags & SK_F_NAME) && t->columns[i].type == SK_T_REF);
	if (plain || !db) {
		sk_record_name(rec, buf, size);
		return;
	}
	/* a name made of a referenced record's: that record's name first
	 * ("Haddad, Samir: AT-L1") */
	const char *sep = "";
	for (size_t i = 0; i < t->ncolumns && len < size; i++) {
		const sk_column *c = &t->columns[i];
		const char *v = rec->values[i];
		if (!(c->flags & SK_F_NAME) || !v || !*v)
			continue;
		char part[160];
		sk_record *ref = NULL;
		const sk_table *rt = c->type == SK_T_REF ? sk_table_find(c->ref_table) : NULL;
		if (rt && sk_get_record(db, rt, strtoll(v, NULL, 10), &ref, NULL) == SK_OK)
			sk_record_name(ref, part, sizeof part);
		else
			snprintf(part, sizeof part, "%s",
			         c->type == SK_T_ENUM ? sk_enum_label(c->enumeration, v) : v);
		sk_record_free(ref);
		int n = snprintf(buf + len, size - len, "%s%s", sep, part);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
		sep = rt ? ": " : " ";
	}
	if (!buf[0])
		sk_record_name(rec, buf, size);
}

/* ---- reading -------------------------------------------------------------- */

static bool has_column(const sk_table *t, const char *name)
{
	return sk_column_index(t, name) >= 0;
}

/* Appends the SQL for one column's value, as read. */
static void column_expr(sk_buf *b, const sk_column *c)
{
	if (c->expr)
		sk_buf_printf(b, "(%s)", c->expr);
	else
		sk_buf_printf(b, "t.\"%s\"", c->name);
}

static void select_sql(sk_buf *b, const sk_table *t)
{
	sk_buf_add(b, "SELECT ");
	for (size_t i = 0; i < t->ncolumns; i++) {
		sk_buf_add(b, i ? ", " : "");
		column_expr(b, &t->columns[i]);
	}
	sk_buf_printf(b, " FROM \"%s\" AS t", t->name);
}

static sk_status row_into(sqlite3_stmt *st, sk_record *rec)
{
	for (size_t i = 0; i < rec->table->ncolumns; i++) {
		const char *v = (const char *)sqlite3_column_text(st, (int)i);
		if (sk_set_at(rec, (int)i, v) != SK_OK)
			return SK_NOMEM;
	}
	return SK_OK;
}

sk_status sk_get_record(sk_db *db, const sk_table *t, int64_t id,
                        sk_record **out, sk_err *err)
{
	*out = NULL;
	sk_buf b = {0};
	select_sql(&b, t);
	sk_buf_add(&b, " WHERE t.id = ?");
	sqlite3_stmt *st;
	sk_status s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
	                       : sk_prepare_cached(db, b.data, &st, err);
	sk_buf_free(&b);
	if (s != SK_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sk_record *rec = sk_record_new(t);
		s = rec ? row_into(st, rec) : SK_NOMEM;
		if (s == SK_OK) {
			*out = rec;
		} else {
			sk_record_free(rec);
			s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
		}
	} else if (rc == SQLITE_DONE) {
		s = sk_fail(err, SK_NOTFOUND, NULL, "%s: there is no %s with id %lld",
		            t->name, t->label, (long long)id);
	} else {
		s = sk_fail_sqlite(db, err, "reading a record");
	}
	sk_release(db, st);
	return s;
}

/* ---- what a column shows, and the order it sorts in ------------------------ */

/* SQL for the label of an enumeration's code held by the SQL in `of`. */
static void label_sql(sk_buf *b, const sk_enum *e, const char *of)
{
	bool differ = false;
	for (size_t i = 0; i < e->count; i++)
		differ |= strcmp(e->values[i].code, e->values[i].label) != 0;
	if (!differ) {
		sk_buf_printf(b, "(%s)", of);
		return;
	}
	sk_buf_printf(b, "CASE (%s)", of);
	/* codes and labels are the description's own constants, with no
	 * quote in them (test_schema checks) */
	for (size_t i = 0; i < e->count; i++)
		if (strcmp(e->values[i].code, e->values[i].label) != 0)
			sk_buf_printf(b, " WHEN '%s' THEN '%s'", e->values[i].code, e->values[i].label);
	sk_buf_printf(b, " ELSE (%s) END", of);
}

/* SQL for a record's display name (sk_record_name) in table rt as alias. */
static void name_sql(sk_buf *b, const sk_table *rt, const char *alias)
{
	sk_buf_add(b, "coalesce(nullif(ltrim(''");
	const char *sep = " "; /* as sk_record_name: "Chen, Marcus" */
	for (size_t i = 0; i < rt->ncolumns; i++) {
		const sk_column *c = &rt->columns[i];
		if (!(c->flags & SK_F_NAME))
			continue;
		char of[96];
		snprintf(of, sizeof of, "%s.\"%s\"", alias, c->name);
		sk_buf_printf(b, " || coalesce('%s' || nullif(", sep);
		sep = strcmp(c->name, "last_name") == 0 ? ", " : " ";
		if (c->type == SK_T_ENUM)
			label_sql(b, c->enumeration, of);
		else
			sk_buf_add(b, of);
		sk_buf_add(b, ", ''), '')");
	}
	sk_buf_printf(b, "), ''), '%s ' || %s.id)", rt->label, alias);
}

/* SQL for what a column shows (alias t): a label, not a code; "yes" or
 * nothing for a flag; a referenced record's name, not its id; linked
 * records' names, "; "-separated; whole dollars as a number. */
static void shown_sql(sk_buf *b, const sk_column *c)
{
	const sk_table *rt = c->ref_table ? sk_table_find(c->ref_table) : NULL;
	if (c->enumeration) {
		sk_buf of = {0};
		column_expr(&of, c);
		label_sql(b, c->enumeration, of.failed ? "NULL" : of.data);
		b->failed |= of.failed;
		sk_buf_free(&of);
	} else if (c->type == SK_T_BOOL) {
		sk_buf_printf(b, "CASE t.\"%s\" WHEN 1 THEN 'yes' ELSE '' END", c->name);
	} else if (c->type == SK_T_REF && rt) {
		sk_buf_add(b, "(SELECT ");
		name_sql(b, rt, "r");
		sk_buf_printf(b, " FROM \"%s\" AS r WHERE r.id = t.\"%s\")", rt->name, c->name);
	} else if (c->type == SK_T_LINKS && rt) {
		sk_buf_add(b, "(SELECT group_concat(n, '; ') FROM (SELECT ");
		name_sql(b, rt, "r");
		sk_buf_printf(b, " AS n FROM \"%s\" AS l JOIN \"%s\" AS r ON r.id = l.\"%s\""
		              " WHERE l.\"%s\" = t.id ORDER BY l.\"%s\"))", c->link_table, rt->name,
		              c->link_target, c->link_owner, c->link_target);
	} else {
		column_expr(b, c);
	}
}

/* SQL for the value a list sorts a column by: a grade's seniority, a
 * reference's name, another column's order first (sort_by), or the value
 * itself. */
static void key_sql(sk_buf *b, const sk_table *t, const sk_column *c)
{
	const sk_column *by = c->sort_by ? sk_column_find(t, c->sort_by) : NULL;
	if (by && by != c) {
		key_sql(b, t, by);
	} else if (c->flags & SK_F_GRADE) {
		sk_buf_add(b, "sk_grade_rank(");
		column_expr(b, c);
		sk_buf_add(b, ")");
	} else if (c->type == SK_T_REF || c->type == SK_T_LINKS) {
		shown_sql(b, c);
	} else {
		column_expr(b, c);
	}
}

void sk_sql_grade_rank(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	int r = sk_grade_rank((const char *)sqlite3_value_text(argv[0]));
	if (r < 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int(ctx, r);
}

/*
 * Ties: on a list of up to this many records (the table's live ones), rows
 * with the same value go by the table's other name columns, then by id; on
 * a longer one by id alone, so that a page is a walk of the sort column's
 * index (ties by name would sort each run of equal values: a hundred
 * thousand rows for a list of a million sorted by a choice of nine).
 * SCODESK_TIES_MAX changes it (the tests use it to try both ways).
 */
#define TIES_MAX 20000
#define MAX_TIES 3

static int64_t ties_max(void)
{
	const char *v = getenv("SCODESK_TIES_MAX");
	return v && *v ? strtoll(v, NULL, 10) : TIES_MAX;
}

/* The columns ties go by (under q's sort), at most MAX_TIES. */
static int tie_columns(sk_db *db, const sk_table *t, const sk_query *q,
                       const sk_column *ties[MAX_TIES])
{
	const sk_column *sc = q && q->sort ? sk_column_find(t, q->sort) : NULL;
	if (!sc || sc->type == SK_T_ID)
		return 0;
	int64_t live = 0;
	if (sk_count(db, t, NULL, &live, NULL) != SK_OK || live > ties_max())
		return 0;
	int n = 0;
	for (size_t i = 0; i < t->ncolumns && n < MAX_TIES; i++)
		if ((t->columns[i].flags & SK_F_NAME) && &t->columns[i] != sc)
			ties[n++] = &t->columns[i];
	return n;
}

static void tie_sql(sk_buf *b, const sk_table *t, const sk_column *c)
{
	sk_buf_add(b, "coalesce(");
	key_sql(b, t, c);
	sk_buf_add(b, ", '')");
}

/* ---- the filter ------------------------------------------------------------- */

/* A filter is words (split at spaces); a row matches when every word is
 * in one of the columns as shown. */
#define MAX_WORDS 8
typedef struct words {
	int n;
	const char *at[MAX_WORDS];
	int len[MAX_WORDS];
	bool indexed[MAX_WORDS]; /* three characters or more: trigrams */
} words;

static int utf8_chars(const char *s, int len)
{
	int n = 0;
	for (int i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static void split_words(const char *text, words *w)
{
	w->n = 0;
	for (const char *p = text; p && *p && w->n < MAX_WORDS;) {
		p += strspn(p, SK_WORD_BREAKS);
		int len = (int)strcspn(p, SK_WORD_BREAKS);
		if (len == 0)
			break;
		w->at[w->n] = p;
		w->len[w->n] = len;
		w->indexed[w->n] = utf8_chars(p, len) >= 3;
		w->n++;
		p += len;
	}
}

static bool any_indexed(const words *w)
{
	for (int i = 0; i < w->n; i++)
		if (w->indexed[i])
			return true;
	return false;
}

static bool all_indexed(const words *w)
{
	for (int i = 0; i < w->n; i++)
		if (!w->indexed[i])
			return false;
	return w->n > 0;
}

/* The direction the rows are actually walked in. */
static bool walks_down(const sk_query *q)
{
	return q && (q->descending != q->reverse);
}
static bool is_integer_type(sk_type type)
{
	return type == SK_T_ID || type == SK_T_INT || type == SK_T_BOOL ||
	       type == SK_T_MONEY || type == SK_T_REF;
}

/*
 * How a filter's words of three characters or more ask the full-text
 * indexes, which hold the live rows only (schema version 4). The same
 * question can be put two ways, and which is fast depends on how many
 * rows match:
 *  - FTS_IN: the matches, each looked up by id, then sorted: for a few
 *    (up to a couple of thousand) matches;
 *  - FTS_SET: the matches gathered once (a bit per id, gather_hits) and
 *    the sort index walked, each id checked against them (sk_hit): for
 *    many;
 *  - FTS_INSET: the same, the matches gathered by SQLite into an IN set
 *    (0.2 us a match): for many, when an id is too large for the bits.
 * (A third, asking the index about each row along the sort index, is
 * quick when the matches are spread evenly, and was dropped: the rows of
 * one year filtered by "2025" in a list newest first came after 100,000
 * probes of the later rows, 9.6 s.) sk_list picks one for a page
 * (page_form); a count without other conditions is the gathering's own.
 */
typedef enum { FTS_IN, FTS_SET, FTS_INSET } fts_form;

/* Does this query's filter go through the full-text indexes (a word of
 * three characters or more, on the live records)? */
static bool text_by_fts(const sk_table *t, const sk_query *q)
{
	if (!q || !q->text || (q->which != SK_LIVE && has_column(t, "deleted_at")))
		return false;
	words w;
	split_words(q->text, &w);
	return any_indexed(&w);
}

/* ... and do the indexes answer it alone (every word is long enough)? */
static bool text_all_fts(const sk_table *t, const sk_query *q)
{
	if (!text_by_fts(t, q))
		return false;
	words w;
	split_words(q->text, &w);
	return all_indexed(&w);
}

/*
 * The parameters of a filter, numbered from FIRST_TERM on in the order the
 * SQL names them: one walk over the words writes the SQL (b) and another,
 * the same, binds the values (st).
 */
#define FIRST_TERM 30
typedef struct terms {
	sk_buf *b;
	sqlite3_stmt *st;
	int next;
	bool mute; /* a part left out (word_set): numbered, not written or bound */
} terms;

#define TERM_SQL(x, ...)                                  \
	do {                                                  \
		if ((x)->b && !(x)->mute)                         \
			sk_buf_printf((x)->b, __VA_ARGS__);           \
	} while (0)

/* A new parameter holding v (len bytes; -1: all): its number. */
static int term_bind(terms *x, const char *v, int len)
{
	int i = x->next++;
	if (x->st && !x->mute)
		sqlite3_bind_text(x->st, i, v, len, SQLITE_TRANSIENT);
	return i;
}

/* The word as one FTS5 string (inner quotes doubled), looked for in the
 * name columns of rt only when rt is given. */
static int term_match(terms *x, const sk_table *rt, const char *w, int len)
{
	if (!x->st || x->mute)
		return x->next++;
	sk_buf pat = {0};
	if (rt) {
		sk_buf_add(&pat, "{");
		for (size_t i = 0, n = 0; i < rt->ncolumns; i++)
			if ((rt->columns[i].flags & SK_F_NAME) && sk_column_searchable(&rt->columns[i]))
				sk_buf_printf(&pat, "%sc_%s", n++ ? " " : "", rt->columns[i].name);
		sk_buf_add(&pat, "} : ");
	}
	sk_buf_add(&pat, "\"");
	for (int i = 0; i < len; i++)
		sk_buf_addn(&pat, w[i] == '"' ? "\"\"" : w + i, w[i] == '"' ? 2 : 1);
	sk_buf_add(&pat, "\"");
	int i = term_bind(x, pat.failed ? "" : pat.data, -1);
	sk_buf_free(&pat);
	return i;
}

/* The word as a LIKE pattern: contains it, LIKE's own wildcards escaped. */
static int term_like(terms *x, const char *w, int len)
{
	if (!x->st || x->mute)
		return x->next++;
	sk_buf pat = {0};
	sk_buf_add(&pat, "%");
	for (int i = 0; i < len; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == '\\')
			sk_buf_add(&pat, "\\");
		sk_buf_addn(&pat, w + i, 1);
	}
	sk_buf_add(&pat, "%");
	int i = term_bind(x, pat.failed ? "" : pat.data, -1);
	sk_buf_free(&pat);
	return i;
}

/* The columns a filter looks in, as they are shown: text, choices,
 * dates, keys, flags, references by name and computed columns (not
 * numbers, the id or the times core keeps). */
static bool filtered(const sk_column *c)
{
	return sk_column_searchable(c) || c->type == SK_T_BOOL || c->type == SK_T_REF ||
	       c->type == SK_T_LINKS || c->type == SK_T_DERIVED;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Case-blind (ASCII) "hay holds the word". */
static bool holds(const char *hay, const char *w, int len)
{
	for (const char *p = hay; *p; p++) {
		int i = 0;
		while (i < len && p[i] && lower(p[i]) == lower(w[i]))
			i++;
		if (i == len)
			return true;
	}
	return false;
}

/* A row condition: the word is in one of the columns as shown (LIKE, row
 * by row). */
static void word_scan(terms *x, const sk_table *t, const char *w, int len)
{
	int p = term_like(x, w, len);
	TERM_SQL(x, " AND (0");
	for (size_t i = 0; i < t->ncolumns; i++) {
		if (!filtered(&t->columns[i]))
			continue;
		TERM_SQL(x, " OR ");
		if (x->b)
			shown_sql(x->b, &t->columns[i]);
		TERM_SQL(x, " LIKE ?%d ESCAPE '\\'", p);
	}
	TERM_SQL(x, ")");
}

/* Starts the next part of word_set: written when it is the one asked for
 * (only), or every part is (only < 0, joined by UNION). */
static void part_begin(terms *x, int only, int *part)
{
	x->mute = only >= 0 && *part != only;
	if (only < 0 && *part > 0)
		TERM_SQL(x, " UNION ");
	(*part)++;
}

/*
 * The live records with the word in a column as shown, from indexes: the
 * table's own full-text index (its text, choices by code, dates and keys);
 * the names of the records its references and links point to, from their
 * tables' indexes; the choices whose label (not code) holds the word, and
 * "yes" flags, from the columns' indexes. Computed columns are looked at
 * row by row (the tables that have them are the office's short ones).
 * Each of these is a part, one SELECT of ids: all of them joined by UNION
 * (only < 0), or the one numbered only. Returns how many parts there are.
 * A part read alone (only >= 0, for gather_hits) holds deleted records
 * too: asking deleted_at of each id would read the table's row, where the
 * id alone is in the column's index (70,000 engagements of a program's
 * name: 3.2 s from a cold disk against 0.2 s), and gather_hits takes the
 * deleted ones out afterwards from their own small index.
 */
static int word_set(terms *x, const sk_table *t, const char *w, int len, int only)
{
	const char *n = t->name;
	bool soft = has_column(t, "deleted_at") && only < 0;
	const char *live = soft ? "t.deleted_at IS NULL" : "1";
	int part = 0;
	part_begin(x, only, &part);
	int p = term_match(x, NULL, w, len);
	TERM_SQL(x, "SELECT rowid AS id FROM \"%s_fts\" WHERE \"%s_fts\" MATCH ?%d", n, n, p);
	bool derived = false;
	for (size_t i = 0; i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		const sk_table *rt = c->ref_table ? sk_table_find(c->ref_table) : NULL;
		if ((c->type == SK_T_REF || c->type == SK_T_LINKS) && rt) {
			part_begin(x, only, &part);
			p = term_match(x, rt, w, len);
			if (c->type == SK_T_REF)
				TERM_SQL(x, "SELECT t.id FROM \"%s\" AS t WHERE %s AND t.\"%s\" IN"
				         " (SELECT rowid FROM \"%s_fts\" WHERE \"%s_fts\" MATCH ?%d)", n,
				         live, c->name, rt->name, rt->name, p);
			else if (!soft)
				TERM_SQL(x, "SELECT l.\"%s\" FROM \"%s\" AS l WHERE l.\"%s\" IN"
				         " (SELECT rowid FROM \"%s_fts\" WHERE \"%s_fts\" MATCH ?%d)",
				         c->link_owner, c->link_table, c->link_target, rt->name,
				         rt->name, p);
			else
				TERM_SQL(x, "SELECT l.\"%s\" FROM \"%s\" AS l JOIN \"%s\" AS t"
				         " ON t.id = l.\"%s\" AND %s WHERE l.\"%s\" IN (SELECT rowid FROM"
				         " \"%s_fts\" WHERE \"%s_fts\" MATCH ?%d)", c->link_owner,
				         c->link_table, n, c->link_owner, live, c->link_target, rt->name,
				         rt->name, p);
		} else if (c->type == SK_T_ENUM) {
			/* the codes are in the index already; their labels are not */
			int any = 0;
			for (size_t k = 0; k < c->enumeration->count; k++) {
				const sk_enum_value *e = &c->enumeration->values[k];
				if (!holds(e->label, w, len) || holds(e->code, w, len))
					continue;
				if (!any++) {
					part_begin(x, only, &part);
					TERM_SQL(x, "SELECT t.id FROM \"%s\" AS t WHERE %s AND t.\"%s\" IN (",
					         n, live, c->name);
				}
				int at = term_bind(x, e->code, -1);
				TERM_SQL(x, "%s?%d", any > 1 ? ", " : "", at);
			}
			if (any)
				TERM_SQL(x, ")");
		} else if (c->type == SK_T_BOOL && holds("yes", w, len)) {
			part_begin(x, only, &part);
			TERM_SQL(x, "SELECT t.id FROM \"%s\" AS t WHERE %s AND t.\"%s\" = 1", n, live,
			         c->name);
		} else if (c->type == SK_T_DERIVED && !(c->flags & SK_F_LOOKUP)) {
			derived = true;
		}
	}
	if (derived) {
		part_begin(x, only, &part);
		p = term_like(x, w, len);
		TERM_SQL(x, "SELECT t.id FROM \"%s\" AS t WHERE %s AND (0", n, live);
		for (size_t i = 0; i < t->ncolumns; i++) {
			if (t->columns[i].type != SK_T_DERIVED || (t->columns[i].flags & SK_F_LOOKUP))
				continue;
			TERM_SQL(x, " OR ");
			if (x->b && !x->mute)
				shown_sql(x->b, &t->columns[i]);
			TERM_SQL(x, " LIKE ?%d ESCAPE '\\'", p);
		}
		TERM_SQL(x, ")");
	}
	x->mute = false;
	return part;
}

/* The live records holding every long word (as word_set), one id each. */
static void words_set(terms *x, const sk_table *t, const words *w)
{
	bool first = true;
	for (int i = 0; i < w->n; i++) {
		if (!w->indexed[i])
			continue;
		TERM_SQL(x, "%sSELECT id FROM (", first ? "" : " INTERSECT ");
		word_set(x, t, w->at[i], w->len[i], -1);
		TERM_SQL(x, ")");
		first = false;
	}
}

/* The filter's condition on a row (" AND ..."), in the form given. */
static void filter_terms(terms *x, const sk_table *t, const sk_query *q, fts_form form)
{
	if (!q || !q->text || !*q->text)
		return;
	words w;
	split_words(q->text, &w);
	bool fts = text_by_fts(t, q);
	if (fts && form == FTS_SET) {
		/* the bits were gathered in an earlier read: a row another user
		 * deleted since is still among them, so deleted_at is asked too
		 * (after sk_hit: of the rows on the page only) */
		TERM_SQL(x, " AND sk_hit(t.id)%s",
		         has_column(t, "deleted_at") ? " AND t.deleted_at IS NULL" : "");
	} else if (fts) {
		TERM_SQL(x, " AND %st.id IN (", form == FTS_INSET ? "+" : "");
		words_set(x, t, &w);
		TERM_SQL(x, ")");
	}
	for (int i = 0; i < w.n; i++)
		if (!fts || !w.indexed[i])
			word_scan(x, t, w.at[i], w.len[i]);
}

/* ---- the order, and where a page starts ------------------------------------ */

/*
 * A list's order: by the sort column's key (key_sql) with empty values
 * last in both directions, then ties (tie_columns), then id. A page after
 * an anchor row (keyset paging) is read from the anchor's own values,
 * looked up by its id: the rows after it in the order are those of its
 * part (the rows with a value, or the empty ones) past it, then all of the
 * part that comes next. Each part is one query, so that a walk of an
 * index seeks to the anchor rather than reads from the start.
 */
typedef struct walk {
	const sk_column *sort;    /* NULL: by id */
	const sk_column *ties[MAX_TIES];
	int nties;
	/* the anchor (q->after) */
	bool key_null;
	sqlite3_value *key, *tie[MAX_TIES]; /* NULL: not looked up */
	int nparts;
} walk;

static void walk_free(walk *w)
{
	sqlite3_value_free(w->key);
	for (int i = 0; i < MAX_TIES; i++)
		sqlite3_value_free(w->tie[i]);
	memset(w, 0, sizeof *w);
}

static sk_status walk_init(sk_db *db, const sk_table *t, const sk_query *q, walk *w,
                           sk_err *err)
{
	memset(w, 0, sizeof *w);
	w->nparts = 1;
	if (q && q->sort) {
		w->sort = sk_column_find(t, q->sort);
		if (!w->sort)
			return sk_fail(err, SK_INVALID, q->sort, "%s: cannot sort by \"%s\": no such field",
			               t->name, q->sort);
		if (w->sort->type == SK_T_ID)
			w->sort = NULL;
	}
	if (w->sort)
		w->nties = tie_columns(db, t, q, w->ties);
	if (!q || !q->after || !w->sort)
		return SK_OK;
	/* the anchor's key and ties as they are now */
	sk_buf b = {0};
	sk_buf_add(&b, "SELECT ");
	key_sql(&b, t, w->sort);
	for (int i = 0; i < w->nties; i++) {
		sk_buf_add(&b, ", ");
		tie_sql(&b, t, w->ties[i]);
	}
	sk_buf_printf(&b, " FROM \"%s\" AS t WHERE t.id = ?1", t->name);
	sqlite3_stmt *st;
	sk_status s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
	                       : sk_prepare_cached(db, b.data, &st, err);
	sk_buf_free(&b);
	if (s != SK_OK)
		return s;
	sqlite3_bind_int64(st, 1, q->anchor_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		w->key = sqlite3_value_dup(sqlite3_column_value(st, 0));
		for (int i = 0; i < w->nties; i++)
			w->tie[i] = sqlite3_value_dup(sqlite3_column_value(st, 1 + i));
		w->key_null = sqlite3_column_type(st, 0) == SQLITE_NULL;
	} else {
		/* gone altogether: the value the caller saw */
		w->key_null = q->anchor_value == NULL;
	}
	sk_release(db, st);
	/* empty values come last: after an anchor with a value, its part,
	 * then the empty ones; walking back from an empty one, the reverse */
	w->nparts = w->key_null == q->reverse ? 2 : 1;
	return SK_OK;
}

/* The anchor condition of a part (0: the anchor's own; 1: the next). */
static void anchor_sql(sk_buf *b, const sk_table *t, const sk_query *q, const walk *w,
                       int part)
{
	if (!q || !q->after)
		return;
	bool down = walks_down(q);
	const char *cmp = down ? (q->inclusive ? "<=" : "<") : (q->inclusive ? ">=" : ">");
	if (!w->sort) {
		sk_buf_printf(b, " AND t.id %s ?21", cmp);
		return;
	}
	sk_buf_add(b, " AND ");
	if (part == 1) {
		key_sql(b, t, w->sort);
		sk_buf_add(b, w->key_null ? " IS NOT NULL" : " IS NULL");
		return;
	}
	if (w->key_null) {
		key_sql(b, t, w->sort);
		sk_buf_add(b, " IS NULL AND (");
	} else {
		sk_buf_add(b, "(");
		key_sql(b, t, w->sort);
		sk_buf_add(b, ", ");
	}
	for (int i = 0; i < w->nties; i++) {
		tie_sql(b, t, w->ties[i]);
		sk_buf_add(b, ", ");
	}
	sk_buf_printf(b, "t.id) %s (%s", cmp, w->key_null ? "" : "?20, ");
	for (int i = 0; i < w->nties; i++)
		sk_buf_printf(b, "?%d, ", 23 + i);
	sk_buf_add(b, "?21)");
}

/* WHERE clause of a query (a part of its walk); its parameters are bound
 * by bind_query with the same form, walk and part. */
static sk_status where_sql_as(sk_buf *b, const sk_table *t, const sk_query *q, fts_form form,
                              const walk *w, int part, sk_err *err)
{
	sk_buf_add(b, " WHERE 1");
	bool fts = text_by_fts(t, q);
	if (fts) {
		/* the index has the live rows only: a match is a live row */
	} else if (has_column(t, "deleted_at") && q) {
		if (q->which == SK_LIVE)
			sk_buf_add(b, " AND t.deleted_at IS NULL");
		else if (q->which == SK_DELETED)
			sk_buf_add(b, " AND t.deleted_at IS NOT NULL");
	} else if (has_column(t, "deleted_at")) {
		sk_buf_add(b, " AND t.deleted_at IS NULL");
	}
	if (!q)
		return SK_OK;
	for (int i = 0; i < q->nwhere && i < SK_MAX_WHERE; i++) {
		const sk_column *c = sk_column_find(t, q->where[i].column);
		if (!c)
			return sk_fail(err, SK_INVALID, q->where[i].column,
			               "%s: there is no field \"%s\"", t->name,
			               q->where[i].column ? q->where[i].column : "");
		if (c->type == SK_T_LINKS) {
			sk_buf_printf(b, " AND EXISTS (SELECT 1 FROM \"%s\" WHERE \"%s\" = t.id"
			              " AND \"%s\" = ?%d)", c->link_table, c->link_owner,
			              c->link_target, 2 + i);
		} else {
			sk_buf_add(b, " AND ");
			column_expr(b, c);
			sk_buf_printf(b, " IS ?%d", 2 + i);
		}
	}
	terms x = {.b = b, .next = FIRST_TERM};
	filter_terms(&x, t, q, form);
	if (w)
		anchor_sql(b, t, q, w, part);
	return SK_OK;
}

static sk_status where_sql(sk_buf *b, const sk_table *t, const sk_query *q, const walk *w,
                           sk_err *err)
{
	return where_sql_as(b, t, q, FTS_IN, w, 0, err);
}

static void bind_query(sqlite3_stmt *st, const sk_table *t, const sk_query *q, fts_form form,
                       const walk *w)
{
	if (!q)
		return;
	terms x = {.st = st, .next = FIRST_TERM};
	filter_terms(&x, t, q, form);
	for (int i = 0; i < q->nwhere && i < SK_MAX_WHERE; i++) {
		const sk_column *c = sk_column_find(t, q->where[i].column);
		const char *v = q->where[i].value;
		if (!v)
			continue; /* unbound is NULL */
		if (c && (is_integer_type(c->type) || c->type == SK_T_LINKS))
			sqlite3_bind_int64(st, 2 + i, strtoll(v, NULL, 10));
		else
			sqlite3_bind_text(st, 2 + i, v, -1, SQLITE_TRANSIENT);
	}
	if (q->after && w) {
		const sk_column *c = w->sort;
		if (w->key)
			sqlite3_bind_value(st, 20, w->key);
		else if (q->anchor_value && c && is_integer_type(c->type) && !(c->flags & SK_F_GRADE))
			sqlite3_bind_int64(st, 20, strtoll(q->anchor_value, NULL, 10));
		else if (q->anchor_value)
			sqlite3_bind_text(st, 20, q->anchor_value, -1, SQLITE_TRANSIENT);
		for (int i = 0; i < w->nties; i++) {
			if (w->tie[i])
				sqlite3_bind_value(st, 23 + i, w->tie[i]);
			else
				sqlite3_bind_text(st, 23 + i, "", 0, SQLITE_STATIC);
		}
		sqlite3_bind_int64(st, 21, q->anchor_id);
	}
}

/* Appends " ORDER BY ..." for the query's walk. */
static void order_sql_as(sk_buf *b, const sk_table *t, const sk_query *q, const walk *w,
                         bool by_sort)
{
	const char *dir = walks_down(q) ? " DESC" : "";
	sk_buf_add(b, " ORDER BY ");
	if (w->sort) {
		if (by_sort) /* "+": not along the column's index, which would be
		              * walked to its end for a few rows */
			sk_buf_add(b, "+");
		key_sql(b, t, w->sort);
		sk_buf_printf(b, "%s NULLS %s, ", dir, q && q->reverse ? "FIRST" : "LAST");
		for (int i = 0; i < w->nties; i++) {
			tie_sql(b, t, w->ties[i]);
			sk_buf_printf(b, "%s, ", dir);
		}
	}
	sk_buf_printf(b, "t.id%s", dir);
}

/* A number from a one-value query with the query's parameters bound. */
static sk_status query_count(sk_db *db, const sk_table *t, const sk_query *q, const char *sql,
                             const walk *w, int64_t *count, sk_err *err)
{
	sqlite3_stmt *st;
	sk_status s = sk_prepare_cached(db, sql, &st, err);
	if (s != SK_OK)
		return s;
	bind_query(st, t, q, FTS_IN, w);
	if (sqlite3_step(st) == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	else
		s = sk_fail_sqlite(db, err, "counting records");
	sk_release(db, st);
	return s;
}

/* Has anyone (this connection or another) changed the database since? */
static void change_marks(sk_db *db, int64_t *changes, int64_t *data_version)
{
	*changes = sqlite3_total_changes64(db->conn);
	*data_version = -1;
	sqlite3_stmt *st;
	if (sk_prepare_cached(db, "PRAGMA data_version", &st, NULL) != SK_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		*data_version = sqlite3_column_int64(st, 0);
	sk_release(db, st);
}

/*
 * Counts kept while nothing changes: a whole list's (clearing a filter
 * shows it again) and a filter's matches (a page, the count and the next
 * page all ask). Keyed by table, view and filter; valid while neither
 * this connection nor another has changed the database since.
 */
static bool memo_get(sk_db *db, const sk_table *t, int which, const char *text,
                     int64_t changes, int64_t version, int64_t *count)
{
	for (int i = 0; i < SK_COUNT_MEMO && version >= 0; i++) {
		const sk_count_memo *m = &db->memo[i];
		if (m->table == t && m->which == which && !m->text == !text &&
		    (!text || strcmp(m->text, text) == 0) && m->changes == changes &&
		    m->data_version == version) {
			*count = m->count;
			return true;
		}
	}
	return false;
}

static void memo_put(sk_db *db, const sk_table *t, int which, const char *text,
                     int64_t changes, int64_t version, int64_t count)
{
	char *copy = text ? strdup(text) : NULL;
	if (text && !copy)
		return;
	int i = db->memo_next;
	db->memo_next = (i + 1) % SK_COUNT_MEMO;
	free(db->memo[i].text);
	db->memo[i].table = t;
	db->memo[i].which = which;
	db->memo[i].text = copy;
	db->memo[i].count = count;
	db->memo[i].changes = changes;
	db->memo[i].data_version = version;
}


/* A count by sql (text bound as the filter, or none), kept in the memo. */
static sk_status memo_count(sk_db *db, const sk_table *t, int which, const char *text,
                            const char *sql, int64_t *count, sk_err *err)
{
	int64_t changes, version;
	change_marks(db, &changes, &version);
	if (memo_get(db, t, which, text, changes, version, count))
		return SK_OK;
	sk_query only = {.text = text, .which = which};
	sk_status s = query_count(db, t, text ? &only : NULL, sql, NULL, count, err);
	if (s == SK_OK)
		memo_put(db, t, which, text, changes, version, *count);
	return s;
}

void sk_sql_hit(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const sk_db *db = sqlite3_user_data(ctx);
	int64_t id = sqlite3_value_int64(argv[0]);
	bool hit = db->hits.bits && id >= 0 && id < db->hits.nbits &&
	           (db->hits.bits[id >> 3] & (1u << (id & 7)));
	sqlite3_result_int(ctx, hit);
}

/* A bit per id (ids beyond SK_HITS_MAX_BITS have none: *partial). */
typedef struct idbits {
	unsigned char *bits;
	int64_t nbits;
} idbits;

static bool idbits_set(idbits *m, int64_t id, bool *partial)
{
	if (id < 0 || id >= SK_HITS_MAX_BITS) {
		*partial = true;
		return true;
	}
	if (id >= m->nbits) {
		int64_t n = m->nbits ? m->nbits : 1 << 16;
		while (n <= id)
			n *= 2;
		unsigned char *grown = realloc(m->bits, (size_t)(n >> 3));
		if (!grown)
			return false;
		memset(grown + (m->nbits >> 3), 0, (size_t)((n - m->nbits) >> 3));
		m->bits = grown;
		m->nbits = n;
	}
	m->bits[id >> 3] |= (unsigned char)(1u << (id & 7));
	return true;
}

/* Sets the bits of the ids part `part` of word_set for a word finds. */
static sk_status gather_part(sk_db *db, const sk_table *t, const char *w, int len, int part,
                             idbits *m, bool *partial, sk_err *err)
{
	sk_buf b = {0};
	terms x = {.b = &b, .next = FIRST_TERM};
	word_set(&x, t, w, len, part);
	sqlite3_stmt *st;
	sk_status s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
	                       : sk_prepare_cached(db, b.data, &st, err);
	sk_buf_free(&b);
	if (s != SK_OK)
		return s;
	x = (terms){.st = st, .next = FIRST_TERM};
	word_set(&x, t, w, len, part);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (!idbits_set(m, sqlite3_column_int64(st, 0), partial)) {
			sk_release(db, st);
			return sk_fail(err, SK_NOMEM, NULL, "out of memory");
		}
	sk_release(db, st);
	return rc == SQLITE_DONE ? SK_OK : sk_fail_sqlite(db, err, "filtering");
}

/* Clears the bits of t's deleted records (the parts read alone hold
 * them), from the partial index of deleted_at. */
static sk_status clear_deleted(sk_db *db, const sk_table *t, idbits *m, sk_err *err)
{
	sk_buf b = {0};
	sk_buf_printf(&b, "SELECT id FROM \"%s\" WHERE deleted_at IS NOT NULL", t->name);
	sqlite3_stmt *st;
	sk_status s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
	                       : sk_prepare_cached(db, b.data, &st, err);
	sk_buf_free(&b);
	if (s != SK_OK)
		return s;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		if (id >= 0 && id < m->nbits)
			m->bits[id >> 3] &= (unsigned char)~(1u << (id & 7));
	}
	sk_release(db, st);
	return rc == SQLITE_DONE ? SK_OK : sk_fail_sqlite(db, err, "filtering");
}

/*
 * Gathers the live rows holding q->text's long words (words_set), a bit
 * per id, for sk_hit; kept while the database is unchanged. Each part of
 * each word is read on its own into the word's bits (SQLite would put a
 * UNION's ids through a temporary b-tree to make them distinct: about
 * half the time of a filter of 70,000 matches), the words' bits are
 * intersected, and the count is the bits set.
 */
static sk_status gather_hits(sk_db *db, const sk_table *t, const sk_query *q, sk_err *err)
{
	int64_t changes, version;
	change_marks(db, &changes, &version);
	if (db->hits.table == t && db->hits.text && strcmp(db->hits.text, q->text) == 0 &&
	    version >= 0 && db->hits.changes == changes && db->hits.data_version == version)
		return SK_OK;
	words w;
	split_words(q->text, &w);
	free(db->hits.text);
	db->hits.text = NULL;
	db->hits.table = NULL;
	db->hits.count = 0;
	db->hits.partial = false;
	idbits all = {db->hits.bits, db->hits.nbits}, word = {0};
	if (all.bits)
		memset(all.bits, 0, (size_t)(all.nbits >> 3));
	bool first = true, partial = false;
	sk_status s = SK_OK;
	for (int i = 0; i < w.n && s == SK_OK; i++) {
		if (!w.indexed[i])
			continue;
		idbits *into = first ? &all : &word;
		if (!first && word.bits)
			memset(word.bits, 0, (size_t)(word.nbits >> 3));
		terms count = {.next = FIRST_TERM};
		int parts = word_set(&count, t, w.at[i], w.len[i], -1);
		for (int k = 0; k < parts && s == SK_OK; k++)
			s = gather_part(db, t, w.at[i], w.len[i], k, into, &partial, err);
		if (!first)
			for (int64_t j = 0; j < all.nbits >> 3; j++)
				all.bits[j] &= j < word.nbits >> 3 ? word.bits[j] : 0;
		first = false;
	}
	free(word.bits);
	db->hits.bits = all.bits;
	db->hits.nbits = all.nbits;
	if (s == SK_OK && has_column(t, "deleted_at"))
		s = clear_deleted(db, t, &all, err);
	if (s != SK_OK)
		return s;
	int64_t n = 0;
	for (int64_t j = 0; j < all.nbits >> 3; j++)
		n += __builtin_popcount(all.bits[j]);
	if (partial) {
		/* ids beyond the bits: SQLite counts the set itself */
		db->hits.partial = true;
		sk_buf b = {0};
		sk_buf_add(&b, "SELECT count(*) FROM (");
		terms x = {.b = &b, .next = FIRST_TERM};
		words_set(&x, t, &w);
		sk_buf_add(&b, ")");
		sqlite3_stmt *st;
		s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
		             : sk_prepare_cached(db, b.data, &st, err);
		sk_buf_free(&b);
		if (s != SK_OK)
			return s;
		x = (terms){.st = st, .next = FIRST_TERM};
		words_set(&x, t, &w);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int64(st, 0);
		else
			s = sk_fail_sqlite(db, err, "filtering");
		sk_release(db, st);
		if (s != SK_OK)
			return s;
	}
	db->hits.count = n;
	db->hits.text = strdup(q->text);
	if (!db->hits.text)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	db->hits.table = t;
	db->hits.changes = changes;
	db->hits.data_version = version;
	return SK_OK;
}

/* How many live rows hold q->text: the full-text index alone answers,
 * from the gathered hits. */
static sk_status fts_count(sk_db *db, const sk_table *t, const sk_query *q, int64_t *count,
                           sk_err *err)
{
	sk_status s = gather_hits(db, t, q, err);
	if (s == SK_OK)
		*count = db->hits.count;
	return s;
}

/* Up to this many matches, a page looks each one up (FTS_IN): about 1.3
 * us a match, against walking the sort index (0.1 us a row, index only)
 * for as long as it takes to meet a page of them. */
#define FTS_FEW 2000

/*
 * The form of the full-text condition for a page of q (see fts_form):
 * gathered (FTS_SET) when there are many matches and an index to walk in
 * the list's order, each looked up otherwise.
 */
static fts_form page_form(sk_db *db, const sk_table *t, const sk_query *q)
{
	if (!text_by_fts(t, q) || q->nwhere > 0 || q->limit <= 0 || q->limit > 1000)
		return FTS_IN;
	const sk_column *c = q->sort ? sk_column_find(t, q->sort) : NULL;
	if (c && !sk_column_quick_sort(c))
		return FTS_IN; /* no index to walk */
	int64_t matches = 0;
	if (fts_count(db, t, q, &matches, NULL) != SK_OK || matches <= FTS_FEW)
		return FTS_IN;
	/* the hits for sk_hit are gathered now, unless an id is too large */
	return db->hits.partial ? FTS_INSET : FTS_SET;
}

/*
 * A filter too short for the full-text index is matched with LIKE, row by
 * row. When its count (kept from the list's count) says few rows match, a
 * page reads the table once and sorts those few, rather than walk the sort
 * index to its end looking for them.
 */
static bool few_by_scan(sk_db *db, const sk_table *t, const sk_query *q)
{
	if (!q || !q->text || !*q->text || text_by_fts(t, q) || q->nwhere > 0 || q->after ||
	    q->limit <= 0)
		return false;
	int64_t changes, version, n;
	change_marks(db, &changes, &version);
	return memo_get(db, t, q->which, q->text, changes, version, &n) && n <= FTS_FEW;
}

/* (A page gathered by FTS_SET reads db->hits while it runs: cb must not
 * filter another list of this connection meanwhile. None does: callbacks
 * collect rows or write them out.) */
sk_status sk_list(sk_db *db, const sk_table *t, const sk_query *q,
                  sk_record_cb cb, void *ctx, sk_err *err)
{
	walk w;
	sk_status s = walk_init(db, t, q, &w, err);
	if (s != SK_OK)
		return s;
	fts_form form = q ? page_form(db, t, q) : FTS_IN;
	bool by_sort = few_by_scan(db, t, q);
	sk_record *rec = sk_record_new(t);
	if (!rec) {
		walk_free(&w);
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	int64_t limit = q && q->limit > 0 ? q->limit : -1, got = 0;
	for (int part = 0; part < w.nparts && s == SK_OK && (limit < 0 || got < limit); part++) {
		sk_buf b = {0};
		select_sql(&b, t);
		s = where_sql_as(&b, t, q, form, &w, part, err);
		order_sql_as(&b, t, q, &w, by_sort);
		int64_t offset = part == 0 && q ? q->offset : 0;
		if (limit > 0 || offset > 0)
			sk_buf_printf(&b, " LIMIT %lld OFFSET %lld",
			              (long long)(limit > 0 ? limit - got : -1), (long long)offset);
		sqlite3_stmt *st = NULL;
		if (s == SK_OK)
			s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
			             : sk_prepare_cached(db, b.data, &st, err);
		sk_buf_free(&b);
		if (s != SK_OK)
			break;
		bind_query(st, t, q, form, &w);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (row_into(st, rec) != SK_OK) {
				s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
				break;
			}
			got++;
			int stop = cb(ctx, rec);
			if (stop) {
				s = (sk_status)stop;
				break;
			}
		}
		if (s == SK_OK && rc != SQLITE_DONE)
			s = sk_fail_sqlite(db, err, "listing records");
		sk_release(db, st);
	}
	sk_record_free(rec);
	walk_free(&w);
	return s;
}

sk_status sk_count(sk_db *db, const sk_table *t, const sk_query *q,
                   int64_t *count, sk_err *err)
{
	/* The whole list, or a filter of it: without reading the table. */
	if (!q || (!q->after && q->nwhere == 0)) {
		bool live = !q || q->which == SK_LIVE;
		if (q && q->text && *q->text && text_all_fts(t, q))
			return fts_count(db, t, q, count, err);
		if (!q || !q->text || !*q->text) {
			char sql[256];
			if (!has_column(t, "deleted_at") || (q && q->which == SK_ALL))
				snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", t->name);
			else if (live) /* all, less the deleted (they have an index) */
				snprintf(sql, sizeof sql, "SELECT (SELECT count(*) FROM \"%s\") -"
				         " (SELECT count(*) FROM \"%s\" WHERE deleted_at IS NOT NULL)",
				         t->name, t->name);
			else
				snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\""
				         " WHERE deleted_at IS NOT NULL", t->name);
			return memo_count(db, t, q ? (int)q->which : SK_LIVE, NULL, sql, count, err);
		}
	}
	walk w;
	sk_status s = q && q->after ? walk_init(db, t, q, &w, err) : SK_OK;
	if (s != SK_OK)
		return s;
	if (!q || !q->after)
		memset(&w, 0, sizeof w), w.nparts = 1;
	*count = 0;
	for (int part = 0; part < w.nparts && s == SK_OK; part++) {
		sk_buf b = {0};
		sk_buf_printf(&b, "SELECT count(*) FROM \"%s\" AS t", t->name);
		s = where_sql_as(&b, t, q, FTS_IN, &w, part, err);
		if (s == SK_OK && b.failed)
			s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
		int64_t n = 0;
		if (s == SK_OK && q && q->text && *q->text && !q->after && q->nwhere == 0)
			/* a filter matched row by row: kept, for few_by_scan */
			s = memo_count(db, t, q->which, q->text, b.data, &n, err);
		else if (s == SK_OK)
			s = query_count(db, t, q, b.data, &w, &n, err);
		*count += n;
		sk_buf_free(&b);
	}
	walk_free(&w);
	return s;
}

sk_status sk_position(sk_db *db, const sk_table *t, const sk_query *q, int64_t id,
                      int64_t *index, sk_err *err)
{
	sk_query base = {0};
	if (q)
		base = *q;
	base.after = base.reverse = base.inclusive = false;
	base.limit = base.offset = 0;
	base.anchor_value = NULL;
	if (base.sort && !sk_column_find(t, base.sort))
		return sk_fail(err, SK_INVALID, base.sort, "%s: cannot sort by \"%s\": no such field",
		               t->name, base.sort);

	/* Is the record in this list at all? */
	sk_buf b = {0};
	sk_buf_printf(&b, "SELECT 1 FROM \"%s\" AS t", t->name);
	sk_status s = where_sql(&b, t, &base, NULL, err);
	sk_buf_add(&b, " AND t.id = ?22");
	sqlite3_stmt *st = NULL;
	if (s == SK_OK)
		s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
		             : sk_prepare_cached(db, b.data, &st, err);
	sk_buf_free(&b);
	if (s != SK_OK)
		return s;
	bind_query(st, t, &base, FTS_IN, NULL);
	sqlite3_bind_int64(st, 22, id);
	int rc = sqlite3_step(st);
	sk_release(db, st);
	if (rc == SQLITE_DONE)
		return sk_fail(err, SK_NOTFOUND, NULL, "%s %lld is not in this list", t->label,
		               (long long)id);
	if (rc != SQLITE_ROW)
		return sk_fail_sqlite(db, err, "finding a record");
	/* Its place is the number of rows before it: with an index, a count
	 * over a range of it, not a sort of the whole table. */
	base.after = base.reverse = true;
	base.anchor_id = id;
	return sk_count(db, t, &base, index, err);
}

/* ---- validation and writing --------------------------------------------------- */

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void bind_value(sqlite3_stmt *st, int i, const sk_column *c, const char *v)
{
	if (!v || (!*v && c->type != SK_T_TEXT))
		sqlite3_bind_null(st, i);
	else if (is_integer_type(c->type))
		sqlite3_bind_int64(st, i, strtoll(v, NULL, 10));
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/*
 * What "empty" means, before anything looks at the values: an empty
 * string is no value (NULL) in every column but free text, where "" and
 * NULL stay apart (a CSV file keeps them apart too); a yes/no is never
 * "none", it falls back to its default (no).
 */
static sk_status normalise(sk_record *rec, sk_err *err)
{
	const sk_table *t = rec->table;
	for (size_t i = 0; i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		const char *v = rec->values[i];
		bool free_text = c->type == SK_T_TEXT && !c->check && !(c->flags & SK_F_UNIQUE);
		/* a code, a date, a number, a reference: the spaces around it
		 * are not part of it */
		size_t lead = v ? strspn(v, " \t") : 0, n = v ? strlen(v) : 0;
		while (v && !free_text && n > lead && (v[n - 1] == ' ' || v[n - 1] == '\t'))
			n--;
		if (v && !free_text && (lead || v[n])) {
			char *t = strndup(v + lead, n - lead);
			if (!t)
				return sk_fail(err, SK_NOMEM, NULL, "out of memory");
			free(rec->values[i]);
			rec->values[i] = t;
			v = t;
		}
		if (v && !*v && !free_text)
			sk_set_at(rec, (int)i, NULL);
		if (!rec->values[i] && c->type == SK_T_BOOL && c->def &&
		    sk_set_at(rec, (int)i, c->def) != SK_OK)
			return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	return SK_OK;
}

/* Every value's check, then the row's (rec as it would be stored after
 * prev, the record as it is; NULL for a new one). */
static sk_status check_values(sk_db *db, const sk_record *rec, const sk_record *prev,
                              sk_err *err)
{
	const sk_table *t = rec->table;
	long long id = sk_record_id(rec);
	sk_status s = SK_OK;
	for (size_t i = 0; s == SK_OK && i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		if (c->type == SK_T_DERIVED)
			continue;
		/* Unchanged values were valid when stored; references to a record
		 * deleted since must not block other edits. */
		if (prev && same(rec->values[i], prev->values[i]) &&
		    (c->type == SK_T_REF || c->type == SK_T_KEYREF || c->type == SK_T_LINKS))
			continue;
		s = sk_validate_value(db, t, c, rec->values[i], id, err);
	}
	if (s == SK_OK)
		s = sk_validate_unique_within(db, rec, err);
	if (s == SK_OK && t->check_row)
		s = (sk_status)t->check_row(db, rec, prev, err);
	return s;
}

/* normalise, the table's computed values, then every check. */
static sk_status prepare_and_validate(sk_db *db, sk_record *rec, const sk_record *prev,
                                      sk_err *err)
{
	const sk_table *t = rec->table;
	sk_status s = normalise(rec, err);
	if (s == SK_OK && t->prepare)
		s = (sk_status)t->prepare(db, rec, prev, err);
	return s == SK_OK ? check_values(db, rec, prev, err) : s;
}

sk_status sk_validate_change(sk_db *db, const sk_record *rec, const sk_record *prev,
                             unsigned flags, sk_err *err)
{
	unsigned outer = db->write_flags;
	db->write_flags = flags;
	sk_status s = check_values(db, rec, prev, err);
	db->write_flags = outer;
	return s;
}

sk_status sk_validate(sk_db *db, sk_record *rec, sk_err *err)
{
	sk_record *prev = NULL;
	long long id = sk_record_id(rec);
	if (id > 0 && sk_get_record(db, rec->table, id, &prev, NULL) != SK_OK)
		prev = NULL;
	sk_status s = prepare_and_validate(db, rec, prev, err);
	sk_record_free(prev);
	return s;
}

/* JSON object of the columns that differ between a and b (either may be
 * NULL: then every column of the other with a value). */
static char *changes_json(const sk_table *t, const sk_record *a, const sk_record *b,
                          bool of_a)
{
	sk_buf j = {0};
	sk_buf_add(&j, "{");
	bool first = true;
	for (size_t i = 0; i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		if ((c->flags & SK_F_SYSTEM) || c->type == SK_T_DERIVED)
			continue;
		const char *va = a ? a->values[i] : NULL;
		const char *vb = b ? b->values[i] : NULL;
		if (same(va, vb))
			continue;
		const char *v = of_a ? va : vb;
		sk_buf_add(&j, first ? "" : ",");
		sk_buf_json_string(&j, c->name);
		sk_buf_add(&j, ":");
		sk_buf_json_string(&j, v);
		first = false;
	}
	sk_buf_add(&j, "}");
	if (j.failed) {
		sk_buf_free(&j);
		return NULL;
	}
	return j.data;
}

sk_status sk_audit(sk_db *db, const char *action, const char *table,
                   long long row_id, const char *before, const char *after,
                   sk_err *err)
{
	char now[21];
	sk_now(now);
	sqlite3_stmt *st;
	sk_status s = sk_prepare_cached(db,
	                                "INSERT INTO audit_log (ts, user, action, table_name,"
	                                " row_id, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                                &st, err);
	if (s != SK_OK)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, db->user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, table, -1, SQLITE_STATIC);
	if (row_id > 0)
		sqlite3_bind_int64(st, 5, row_id);
	sqlite3_bind_text(st, 6, before, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, after, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = sk_fail_sqlite(db, err, "writing the audit log");
	sk_release(db, st);
	return s;
}

static sk_status audit_change(sk_db *db, const char *action, const sk_record *before,
                              const sk_record *after, sk_err *err)
{
	const sk_table *t = (after ? after : before)->table;
	char *b = changes_json(t, before, after, true);
	char *a = changes_json(t, before, after, false);
	sk_status s = (a && b) ? sk_audit(db, action, t->name,
	                                  sk_record_id(after ? after : before),
	                                  before ? b : NULL, a, err)
	                       : sk_fail(err, SK_NOMEM, NULL, "out of memory");
	free(a);
	free(b);
	return s;
}

/* The same, with a note in the after JSON when an import replaced a
 * newer stored version (stored_version > 0) with an older row of its
 * file: "overwrite_newer": {"stored_version": N, "file_version": M}. */
static sk_status audit_change_noted(sk_db *db, const char *action, const sk_record *before,
                                    const sk_record *after, long long stored_version,
                                    long long file_version, sk_err *err)
{
	if (stored_version <= 0)
		return audit_change(db, action, before, after, err);
	const sk_table *t = after->table;
	char *b = changes_json(t, before, after, true);
	char *a = changes_json(t, before, after, false);
	sk_buf note = {0};
	if (a) {
		size_t n = strlen(a);
		sk_buf_addn(&note, a, n - 1); /* without its closing brace */
		sk_buf_printf(&note, "%s\"overwrite_newer\":{\"stored_version\":%lld,"
		              "\"file_version\":%lld}}", n > 2 ? "," : "", stored_version,
		              file_version);
	}
	sk_status s = (a && b && !note.failed)
	              ? sk_audit(db, action, t->name, sk_record_id(after), b, note.data, err)
	              : sk_fail(err, SK_NOMEM, NULL, "out of memory");
	sk_buf_free(&note);
	free(a);
	free(b);
	return s;
}

/* Writes the link rows of every SK_T_LINKS column of rec. */
static sk_status write_links(sk_db *db, const sk_record *rec, long long id, sk_err *err)
{
	const sk_table *t = rec->table;
	for (size_t i = 0; i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		if (c->type != SK_T_LINKS)
			continue;
		char sql[256];
		sqlite3_stmt *st;
		snprintf(sql, sizeof sql, "DELETE FROM \"%s\" WHERE \"%s\" = ?",
		         c->link_table, c->link_owner);
		sk_status s = sk_prepare_cached(db, sql, &st, err);
		if (s != SK_OK)
			return s;
		sqlite3_bind_int64(st, 1, id);
		int rc = sqlite3_step(st);
		sk_release(db, st);
		if (rc != SQLITE_DONE)
			return sk_fail_sqlite(db, err, "saving links");
		snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO \"%s\" (\"%s\", \"%s\") VALUES (?, ?)",
		         c->link_table, c->link_owner, c->link_target);
		if ((s = sk_prepare_cached(db, sql, &st, err)) != SK_OK)
			return s;
		for (const char *p = rec->values[i]; p && *p; p += strcspn(p, ";"), p += *p == ';') {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, id);
			sqlite3_bind_int64(st, 2, strtoll(p, NULL, 10));
			if (sqlite3_step(st) != SQLITE_DONE) {
				s = sk_fail_sqlite(db, err, "saving links");
				break;
			}
		}
		sk_release(db, st);
		if (s != SK_OK)
			return s;
	}
	return SK_OK;
}

static sk_status refuse_append_only(const sk_table *t, sk_err *err)
{
	return sk_fail(err, SK_INVALID, NULL, "%s is kept by scodesk itself and cannot be changed",
	               t->name);
}

/* Re-reads the stored row into rec. */
static sk_status reload(sk_db *db, sk_record *rec, long long id, sk_err *err)
{
	sk_record *fresh;
	sk_status s = sk_get_record(db, rec->table, id, &fresh, err);
	if (s != SK_OK)
		return s;
	for (size_t i = 0; i < rec->table->ncolumns; i++) {
		free(rec->values[i]);
		rec->values[i] = fresh->values[i];
		fresh->values[i] = NULL;
	}
	sk_record_free(fresh);
	return SK_OK;
}

static sk_status insert_record(sk_db *db, sk_record *rec, unsigned flags, sk_err *err);
static sk_status update_record(sk_db *db, sk_record *rec, unsigned flags, sk_err *err);

sk_status sk_insert(sk_db *db, sk_record *rec, sk_err *err)
{
	return sk_insert_ex(db, rec, 0, err);
}

/*
 * Runs a write with its flags where validation and the table rules see
 * them (db->write_flags), then gives back those of any outer write.
 *
 * The write works on a copy of rec, which takes the stored row only when
 * the change is committed: a write that fails at any step (a rule, a full
 * disk at the commit, a lock held past the timeout) leaves rec exactly as
 * the caller handed it over, same version and all, so that the same save
 * can simply be tried again (it would otherwise meet its own version,
 * bumped inside the transaction that was rolled back, as a conflict).
 */
static sk_status write_as(sk_db *db, sk_status (*write)(sk_db *, sk_record *, unsigned, sk_err *),
                          sk_record *rec, unsigned flags, sk_err *err)
{
	sk_record *work = sk_record_dup(rec);
	if (!work)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	unsigned outer = db->write_flags;
	db->write_flags = flags;
	sk_status s = write(db, work, flags, err);
	db->write_flags = outer;
	if (s == SK_OK) {
		char **stored = work->values;
		work->values = rec->values;
		rec->values = stored;
	}
	sk_record_free(work);
	return s;
}

sk_status sk_insert_ex(sk_db *db, sk_record *rec, unsigned flags, sk_err *err)
{
	return write_as(db, insert_record, rec, flags, err);
}

static sk_status insert_record(sk_db *db, sk_record *rec, unsigned flags, sk_err *err)
{
	const sk_table *t = rec->table;
	if (t->append_only)
		return refuse_append_only(t, err);
	sk_status s = sk_begin(db, err);
	if (s != SK_OK)
		return s;
	char now[21];
	sk_now(now);
	for (size_t i = 0; i < t->ncolumns && s == SK_OK; i++) {
		const sk_column *c = &t->columns[i];
		if (!rec->values[i] && c->def)
			s = sk_set_at(rec, (int)i, c->def);
	}
	if (s == SK_OK && !sk_get(rec, "created_at"))
		s = sk_set(rec, "created_at", now);
	if (s == SK_OK && !sk_get(rec, "updated_at"))
		s = sk_set(rec, "updated_at", sk_get(rec, "created_at"));
	if (s == SK_OK && !sk_get(rec, "version"))
		s = sk_set(rec, "version", "1");
	if (s == SK_NOMEM)
		sk_fail(err, s, NULL, "out of memory");
	if (s == SK_OK)
		s = prepare_and_validate(db, rec, NULL, err);

	sk_buf b = {0}, vals = {0};
	sqlite3_stmt *st = NULL;
	if (s == SK_OK) {
		sk_buf_printf(&b, "INSERT INTO \"%s\" (", t->name);
		int n = 0;
		for (size_t i = 0; i < t->ncolumns; i++) {
			if (!sk_column_stored(&t->columns[i]))
				continue;
			sk_buf_printf(&b, "%s\"%s\"", n ? ", " : "", t->columns[i].name);
			sk_buf_printf(&vals, "%s?%d", n ? ", " : "", (int)i + 1);
			n++;
		}
		sk_buf_printf(&b, ") VALUES (%s)", vals.data ? vals.data : "");
		s = (b.failed || vals.failed) ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
		                              : sk_prepare_cached(db, b.data, &st, err);
	}
	sk_buf_free(&b);
	sk_buf_free(&vals);
	if (s == SK_OK) {
		for (size_t i = 0; i < t->ncolumns; i++)
			if (sk_column_stored(&t->columns[i]))
				bind_value(st, (int)i + 1, &t->columns[i], rec->values[i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			char what[96];
			snprintf(what, sizeof what, "%s: saving the new %s", t->name, t->label);
			s = sk_fail_sqlite(db, err, what);
		}
	}
	sk_release(db, st);
	long long id = sqlite3_last_insert_rowid(db->conn);
	if (s == SK_OK)
		s = write_links(db, rec, id, err);
	if (s == SK_OK)
		s = reload(db, rec, id, err);
	if (s == SK_OK)
		s = audit_change(db, (flags & SK_W_IMPORT) ? "import" : "insert", NULL, rec, err);
	if (s == SK_OK && t->after && !(flags & SK_W_IMPORT))
		s = (sk_status)t->after(db, rec, NULL, err);
	if (s == SK_OK)
		s = sk_commit(db, err);
	if (s != SK_OK)
		sk_rollback(db);
	return s;
}

int64_t sk_audit_mark(sk_db *db)
{
	int64_t mark = 0;
	sqlite3_stmt *st;
	if (sk_prepare_cached(db, "SELECT coalesce(max(id), 0) FROM audit_log", &st, NULL) != SK_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		mark = sqlite3_column_int64(st, 0);
	sk_release(db, st);
	return mark;
}

bool sk_last_change(sk_db *db, const sk_table *t, int64_t id, int64_t upto, char *who,
                    size_t who_size, char *when, size_t when_size)
{
	snprintf(who, who_size, "someone");
	snprintf(when, when_size, "an unknown time");
	sqlite3_stmt *st;
	if (sk_prepare_cached(db, "SELECT user, ts FROM audit_log WHERE table_name = ? AND row_id = ?"
	                      " AND id <= ? ORDER BY id DESC LIMIT 1", &st, NULL) != SK_OK)
		return false;
	sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, upto > 0 ? upto : INT64_MAX);
	bool found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		snprintf(who, who_size, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(when, when_size, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sk_release(db, st);
	return found;
}

/* The message for a record that moved on since it was read. */
static sk_status conflict(sk_db *db, const sk_table *t, long long id,
                          long long read_version, long long now_version, sk_err *err)
{
	char who[160], when[32];
	sk_last_change(db, t, id, 0, who, sizeof who, when, sizeof when);
	return sk_fail(err, SK_CONFLICT, NULL,
	               "%s %lld was changed by %s at %s (version %lld; you had version "
	               "%lld): reload it to see the change",
	               t->label, id, who, when, now_version, read_version);
}

sk_status sk_update(sk_db *db, sk_record *rec, sk_err *err)
{
	return sk_update_ex(db, rec, 0, err);
}

sk_status sk_update_ex(sk_db *db, sk_record *rec, unsigned flags, sk_err *err)
{
	return write_as(db, update_record, rec, flags, err);
}

static sk_status update_record(sk_db *db, sk_record *rec, unsigned flags, sk_err *err)
{
	const bool import = flags & SK_W_IMPORT;
	const sk_table *t = rec->table;
	if (t->append_only)
		return refuse_append_only(t, err);
	long long id = sk_record_id(rec);
	sk_status s = sk_begin(db, err);
	if (s != SK_OK)
		return s;
	sk_record *prev = NULL;
	s = sk_get_record(db, t, id, &prev, err);
	/* An import row names the version it was exported at: an older one
	 * than stored would revert someone's later change, and is refused
	 * unless the caller asked to overwrite (SK_W_OVERWRITE). */
	const bool older = s == SK_OK && sk_record_version(rec) < sk_record_version(prev);
	const bool overwrite = import && older && (flags & SK_W_OVERWRITE);
	/* A record deleted since it was read is not changed (it would vanish
	 * as it is saved): it is restored first, or left. An import carries
	 * deleted_at as its file has it. */
	if (s == SK_OK && !import && sk_get(prev, "deleted_at")) {
		char name[160], who[160], when[32];
		sk_record_title(db, prev, name, sizeof name);
		sk_last_change(db, t, id, 0, who, sizeof who, when, sizeof when);
		s = sk_fail(err, SK_GONE, NULL, "%s was deleted by %s at %s", name, who, when);
	}
	if (s == SK_OK && (import ? older && !overwrite
	                          : sk_record_version(prev) != sk_record_version(rec)))
		s = conflict(db, t, id, sk_record_version(rec), sk_record_version(prev), err);
	if (s == SK_OK)
		s = prepare_and_validate(db, rec, prev, err);

	/* Only the columns that changed are written and audited. An import
	 * also writes the time stamps and version the file gives when its
	 * version is newer than the stored one; otherwise the version goes
	 * up by one and updated_at is now, as for a change typed in: neither
	 * ever goes back. */
	const bool file_newer = import && prev && sk_record_version(rec) > sk_record_version(prev);
	const long long file_version = s == SK_OK ? sk_record_version(rec) : 0;
	sk_buf b = {0};
	int changed = 0;
	bool links_changed = false, own_stamp = false, own_version = false;
	if (s == SK_OK) {
		sk_buf_printf(&b, "UPDATE \"%s\" SET ", t->name);
		for (size_t i = 0; i < t->ncolumns; i++) {
			const sk_column *c = &t->columns[i];
			if (c->type == SK_T_ID || same(rec->values[i], prev->values[i]))
				continue;
			if ((c->flags & SK_F_SYSTEM) && !import)
				continue;
			bool stamp = strcmp(c->name, "updated_at") == 0;
			bool version = strcmp(c->name, "version") == 0;
			if ((stamp || version) && !file_newer)
				continue;
			own_stamp |= stamp;
			own_version |= version;
			if (c->type == SK_T_LINKS)
				links_changed = true;
			if (!sk_column_stored(c))
				continue;
			sk_buf_printf(&b, "\"%s\" = ?%d, ", c->name, (int)i + 1);
			changed++;
		}
		if (!own_stamp)
			sk_buf_printf(&b, "updated_at = ?%zu, ", t->ncolumns + 1);
		sk_buf_printf(&b, "%s WHERE id = ?%zu AND version = ?%zu",
		              own_version ? "id = id" : "version = version + 1",
		              t->ncolumns + 2, t->ncolumns + 3);
		if (b.failed)
			s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	if (s == SK_OK && (changed || links_changed)) {
		sqlite3_stmt *st;
		char now[21];
		sk_now(now);
		s = sk_prepare_cached(db, b.data, &st, err);
		if (s == SK_OK) {
			for (size_t i = 0; i < t->ncolumns; i++)
				if (sk_column_stored(&t->columns[i]))
					bind_value(st, (int)i + 1, &t->columns[i], rec->values[i]);
			sqlite3_bind_text(st, (int)t->ncolumns + 1, now, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, (int)t->ncolumns + 2, id);
			sqlite3_bind_int64(st, (int)t->ncolumns + 3, sk_record_version(prev));
			if (sqlite3_step(st) != SQLITE_DONE) {
				char what[96];
				snprintf(what, sizeof what, "%s: saving %s %lld", t->name, t->label, id);
				s = sk_fail_sqlite(db, err, what);
			}
			sk_release(db, st);
		}
		if (s == SK_OK && links_changed)
			s = write_links(db, rec, id, err);
		if (s == SK_OK)
			s = reload(db, rec, id, err);
		if (s == SK_OK)
			s = audit_change_noted(db, import ? "import" : "update", prev, rec,
			                       overwrite ? sk_record_version(prev) : 0,
			                       overwrite ? file_version : 0, err);
	} else if (s == SK_OK) {
		s = reload(db, rec, id, err);
	}
	sk_buf_free(&b);
	if (s == SK_OK && t->after && !import && (changed || links_changed))
		s = (sk_status)t->after(db, rec, prev, err);
	sk_record_free(prev);
	if (s == SK_OK)
		s = sk_commit(db, err);
	if (s != SK_OK)
		sk_rollback(db);
	return s;
}

/* Sets or clears deleted_at: the soft delete and its undo. */
static sk_status set_deleted(sk_db *db, const sk_table *t, int64_t id, bool deleted,
                             sk_err *err)
{
	if (t->append_only)
		return refuse_append_only(t, err);
	sk_status s = sk_begin(db, err);
	if (s != SK_OK)
		return s;
	sk_record *prev = NULL;
	s = sk_get_record(db, t, id, &prev, err);
	bool is_deleted = s == SK_OK && sk_get(prev, "deleted_at");
	/* A record restored must still agree with the others, as it did when
	 * written (an EUM check line with the case its check has since
	 * taken): the table's rule, the record as it stands taken as
	 * unchanged (no rule about a move applies). */
	if (s == SK_OK && is_deleted && !deleted && t->check_row) {
		sk_record *now = sk_record_dup(prev);
		if (!now || sk_set(now, "deleted_at", NULL) != SK_OK)
			s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
		else
			s = (sk_status)t->check_row(db, now, now, err);
		sk_record_free(now);
	}
	if (s == SK_OK && is_deleted != deleted) {
		char now[21];
		sk_now(now);
		sqlite3_stmt *st;
		char sql[160];
		snprintf(sql, sizeof sql, "UPDATE \"%s\" SET deleted_at = ?1, updated_at = ?2,"
		         " version = version + 1 WHERE id = ?3", t->name);
		s = sk_prepare_cached(db, sql, &st, err);
		if (s == SK_OK) {
			if (deleted)
				sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 3, id);
			if (sqlite3_step(st) != SQLITE_DONE)
				s = sk_fail_sqlite(db, err, deleted ? "deleting" : "restoring");
			sk_release(db, st);
		}
		if (s == SK_OK) {
			sk_buf before = {0}, after = {0};
			sk_buf_add(&before, "{\"deleted_at\":");
			sk_buf_json_string(&before, deleted ? NULL : sk_get(prev, "deleted_at"));
			sk_buf_add(&before, "}");
			sk_buf_add(&after, "{\"deleted_at\":");
			sk_buf_json_string(&after, deleted ? now : NULL);
			sk_buf_add(&after, "}");
			s = (before.failed || after.failed)
			    ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
			    : sk_audit(db, deleted ? "delete" : "restore", t->name, id,
			               before.data, after.data, err);
			sk_buf_free(&before);
			sk_buf_free(&after);
		}
	}
	sk_record_free(prev);
	if (s == SK_OK)
		s = sk_commit(db, err);
	if (s != SK_OK)
		sk_rollback(db);
	return s;
}

sk_status sk_delete(sk_db *db, const sk_table *t, int64_t id, sk_err *err)
{
	return set_deleted(db, t, id, true, err);
}

sk_status sk_restore(sk_db *db, const sk_table *t, int64_t id, sk_err *err)
{
	return set_deleted(db, t, id, false, err);
}

sk_record *sk_merge(const sk_record *base, const sk_record *mine, const sk_record *theirs,
                    sk_merged *out)
{
	const sk_table *t = mine->table;
	sk_record *merged = sk_record_dup(mine);
	out->nclash = out->ntaken = 0;
	if (!merged)
		return NULL;
	for (size_t i = 0; i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		const char *b = base->values[i], *m = mine->values[i], *th = theirs->values[i];
		bool core_s = (c->flags & SK_F_SYSTEM) || c->type == SK_T_DERIVED;
		if (core_s || (same(m, b) && !same(th, b))) {
			if (!core_s && out->ntaken < SK_MERGE_MAX)
				out->taken[out->ntaken++] = (int)i;
			if (sk_set_at(merged, (int)i, th) != SK_OK) {
				sk_record_free(merged);
				return NULL;
			}
		} else if (!same(m, b) && !same(th, b) && !same(m, th) && out->nclash < SK_MERGE_MAX) {
			out->clash[out->nclash++] = (int)i;
		}
	}
	return merged;
}
