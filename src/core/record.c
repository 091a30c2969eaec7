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
	buf[0] = '\0';
	for (size_t i = 0; i < rec->table->ncolumns; i++) {
		const sk_column *c = &rec->table->columns[i];
		const char *v = rec->values[i];
		if (!(c->flags & SK_F_NAME) || !v || !*v)
			continue;
		if (c->type == SK_T_ENUM)
			v = sk_enum_label(c->enumeration, v);
		int n = snprintf(buf + len, size - len, "%s%s", len ? " " : "", v);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	if (!buf[0])
		snprintf(buf, size, "%s %lld", rec->table->label, (long long)sk_record_id(rec));
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

/* A filter of three characters or more goes through the trigram index. */
static bool use_fts(const char *text)
{
	int chars = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p && chars < 3; p++)
		chars += (*p & 0xc0) != 0x80;
	return chars >= 3;
}

/* The direction the rows are actually walked in. */
static bool walks_down(const sk_query *q)
{
	return q && (q->descending != q->reverse);
}

/* The keyset condition: rows past the anchor in the walked order. NULLs
 * sort first ascending, last descending, as SQLite orders them. */
static sk_status anchor_sql(sk_buf *b, const sk_table *t, const sk_query *q, sk_err *err)
{
	if (!q || !q->after)
		return SK_OK;
	bool down = walks_down(q);
	const char *cmp = down ? (q->inclusive ? "<=" : "<") : (q->inclusive ? ">=" : ">");
	const sk_column *c = q->sort ? sk_column_find(t, q->sort) : NULL;
	if (!c || c->type == SK_T_ID) {
		sk_buf_printf(b, " AND t.id %s ?21", cmp);
		return SK_OK;
	}
	if (!sk_column_sortable(c))
		return sk_fail(err, SK_INVALID, c->name,
		               "%s: \"%s\" is computed; it cannot anchor a page", t->name, c->name);
	const char *n = c->name;
	if (q->anchor_value && !down)
		sk_buf_printf(b, " AND (t.\"%s\", t.id) %s (?20, ?21)", n, cmp);
	else if (q->anchor_value)
		sk_buf_printf(b, " AND ((t.\"%s\", t.id) %s (?20, ?21) OR t.\"%s\" IS NULL)", n, cmp, n);
	else if (!down)
		sk_buf_printf(b, " AND ((t.\"%s\" IS NULL AND t.id %s ?21) OR t.\"%s\" IS NOT NULL)",
		              n, cmp, n);
	else
		sk_buf_printf(b, " AND t.\"%s\" IS NULL AND t.id %s ?21", n, cmp);
	return SK_OK;
}

static bool is_integer_type(sk_type type)
{
	return type == SK_T_ID || type == SK_T_INT || type == SK_T_BOOL ||
	       type == SK_T_MONEY || type == SK_T_REF;
}

/*
 * How a filter of three characters or more asks the full-text index, which
 * holds the live rows only (schema version 4). The same question can be put
 * two ways, and which is fast depends on how many rows match:
 *  - FTS_IN: the matches, each looked up by id, then sorted: for a few
 *    (up to a couple of thousand) matches;
 *  - FTS_SET: the matches gathered once from the index (a bit per id,
 *    gather_hits) and the sort index walked, each id checked against them
 *    (sk_hit): for many;
 *  - FTS_INSET: the same, the matches gathered by SQLite into an IN set
 *    (0.2 us a match): for many, when an id is too large for the bits.
 * (A third, asking the index about each row along the sort index, is
 * quick when the matches are spread evenly, and was dropped: the rows of
 * one year filtered by "2025" in a list newest first came after 100,000
 * probes of the later rows, 9.6 s.) sk_list picks one for a page
 * (page_form); a count without other conditions is the gathering's own.
 */
typedef enum { FTS_IN, FTS_SET, FTS_INSET } fts_form;

/* Does this query's text go through the full-text index? */
static bool text_by_fts(const sk_table *t, const sk_query *q)
{
	return q && q->text && use_fts(q->text) &&
	       (q->which == SK_LIVE || !has_column(t, "deleted_at"));
}

/* WHERE clause of a query; its parameters are bound by bind_query. */
static sk_status where_sql_as(sk_buf *b, const sk_table *t, const sk_query *q, fts_form form,
                              sk_err *err)
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
	if (q->text && *q->text) {
		if (fts) {
			/* The trigram index finds substrings without a scan. The
			 * bits were gathered in an earlier read: a row another user
			 * deleted since is still among them, so deleted_at is asked
			 * too (after sk_hit: of the rows on the page only). */
			if (form == FTS_SET)
				sk_buf_printf(b, " AND sk_hit(t.id)%s", has_column(t, "deleted_at")
				              ? " AND t.deleted_at IS NULL" : "");
			else
				sk_buf_printf(b, " AND %st.id IN (SELECT rowid FROM \"%s_fts\""
				              " WHERE \"%s_fts\" MATCH ?1)", form == FTS_INSET ? "+" : "",
				              t->name, t->name);
		} else {
			/* Too short for trigrams: look at every searchable column. */
			sk_buf_add(b, " AND (0");
			for (size_t i = 0; i < t->ncolumns; i++) {
				if (!sk_column_searchable(&t->columns[i]))
					continue;
				sk_buf_add(b, " OR ");
				column_expr(b, &t->columns[i]);
				sk_buf_add(b, " LIKE ?1 ESCAPE '\\'");
			}
			sk_buf_add(b, ")");
		}
	}
	return anchor_sql(b, t, q, err);
}

static sk_status where_sql(sk_buf *b, const sk_table *t, const sk_query *q, sk_err *err)
{
	return where_sql_as(b, t, q, FTS_IN, err);
}

static void bind_query(sqlite3_stmt *st, const sk_table *t, const sk_query *q)
{
	if (!q)
		return;
	if (q->text && *q->text) {
		sk_buf pat = {0};
		if (text_by_fts(t, q)) {
			/* one FTS5 string: quoted, inner quotes doubled */
			sk_buf_add(&pat, "\"");
			for (const char *p = q->text; *p; p++)
				sk_buf_addn(&pat, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
			sk_buf_add(&pat, "\"");
		} else {
			/* a substring match: escape LIKE's own wildcards */
			sk_buf_add(&pat, "%");
			for (const char *p = q->text; *p; p++) {
				if (*p == '%' || *p == '_' || *p == '\\')
					sk_buf_add(&pat, "\\");
				sk_buf_addn(&pat, p, 1);
			}
			sk_buf_add(&pat, "%");
		}
		if (!pat.failed)
			sqlite3_bind_text(st, 1, pat.data, -1, SQLITE_TRANSIENT);
		sk_buf_free(&pat);
	}
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
	if (q->after) {
		const sk_column *c = q->sort ? sk_column_find(t, q->sort) : NULL;
		if (q->anchor_value && c && is_integer_type(c->type))
			sqlite3_bind_int64(st, 20, strtoll(q->anchor_value, NULL, 10));
		else if (q->anchor_value)
			sqlite3_bind_text(st, 20, q->anchor_value, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 21, q->anchor_id);
	}
}

/* Appends " ORDER BY ..." for the query's sort; ties go by id. */
static sk_status order_sql_as(sk_buf *b, const sk_table *t, const sk_query *q, bool by_sort,
                             sk_err *err)
{
	const char *dir = walks_down(q) ? " DESC" : "";
	sk_buf_add(b, " ORDER BY ");
	if (q && q->sort) {
		const sk_column *c = sk_column_find(t, q->sort);
		if (!c)
			return sk_fail(err, SK_INVALID, q->sort,
			               "%s: cannot sort by \"%s\": no such field", t->name, q->sort);
		if (by_sort) /* "+": not along the column's index, which would be
		              * walked to its end for a few rows */
			sk_buf_add(b, "+");
		column_expr(b, c);
		sk_buf_printf(b, "%s, ", dir);
	}
	sk_buf_printf(b, "t.id%s", dir);
	return SK_OK;
}

static sk_status order_sql(sk_buf *b, const sk_table *t, const sk_query *q, sk_err *err)
{
	return order_sql_as(b, t, q, false, err);
}

/* A number from a one-value query with the query's parameters bound. */
static sk_status query_count(sk_db *db, const sk_table *t, const sk_query *q, const char *sql,
                             int64_t *count, sk_err *err)
{
	sqlite3_stmt *st;
	sk_status s = sk_prepare_cached(db, sql, &st, err);
	if (s != SK_OK)
		return s;
	bind_query(st, t, q);
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
	sk_status s = query_count(db, t, text ? &only : NULL, sql, count, err);
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

/*
 * Gathers the live rows holding q->text from the full-text index (which
 * has the live rows only), a bit per id, for sk_hit; kept while the
 * database is unchanged. Reading the ids costs about what counting them
 * does, so the count comes with them.
 */
static sk_status gather_hits(sk_db *db, const sk_table *t, const sk_query *q, sk_err *err)
{
	int64_t changes, version;
	change_marks(db, &changes, &version);
	if (db->hits.table == t && db->hits.text && strcmp(db->hits.text, q->text) == 0 &&
	    version >= 0 && db->hits.changes == changes && db->hits.data_version == version)
		return SK_OK;
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT rowid FROM \"%s_fts\" WHERE \"%s_fts\" MATCH ?1",
	         t->name, t->name);
	sqlite3_stmt *st;
	sk_status s = sk_prepare_cached(db, sql, &st, err);
	if (s != SK_OK)
		return s;
	sk_query only = {.text = q->text, .which = q->which};
	bind_query(st, t, &only);
	free(db->hits.text);
	db->hits.text = NULL;
	db->hits.table = NULL;
	db->hits.count = 0;
	db->hits.partial = false;
	if (db->hits.bits)
		memset(db->hits.bits, 0, (size_t)(db->hits.nbits >> 3));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		db->hits.count++;
		if (id < 0 || id >= SK_HITS_MAX_BITS) {
			db->hits.partial = true;
			continue;
		}
		if (id >= db->hits.nbits) {
			int64_t n = db->hits.nbits ? db->hits.nbits : 1 << 16;
			while (n <= id)
				n *= 2;
			unsigned char *grown = realloc(db->hits.bits, (size_t)(n >> 3));
			if (!grown) {
				sk_release(db, st);
				return sk_fail(err, SK_NOMEM, NULL, "out of memory");
			}
			memset(grown + (db->hits.nbits >> 3), 0, (size_t)((n - db->hits.nbits) >> 3));
			db->hits.bits = grown;
			db->hits.nbits = n;
		}
		db->hits.bits[id >> 3] |= (unsigned char)(1u << (id & 7));
	}
	sk_release(db, st);
	if (rc != SQLITE_DONE)
		return sk_fail_sqlite(db, err, "filtering");
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
	if (c && !sk_column_indexed(c))
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
	sk_buf b = {0};
	select_sql(&b, t);
	sk_status s = where_sql_as(&b, t, q, q ? page_form(db, t, q) : FTS_IN, err);
	if (s == SK_OK)
		s = order_sql_as(&b, t, q, few_by_scan(db, t, q), err);
	if (s != SK_OK) {
		sk_buf_free(&b);
		return s;
	}
	if (q && (q->limit > 0 || q->offset > 0))
		sk_buf_printf(&b, " LIMIT %lld OFFSET %lld",
		              (long long)(q->limit > 0 ? q->limit : -1), (long long)q->offset);
	sqlite3_stmt *st;
	s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory") : sk_prepare_cached(db, b.data, &st, err);
	sk_buf_free(&b);
	if (s != SK_OK)
		return s;
	bind_query(st, t, q);
	sk_record *rec = sk_record_new(t);
	if (!rec) {
		sk_release(db, st);
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (row_into(st, rec) != SK_OK) {
			s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
			break;
		}
		int stop = cb(ctx, rec);
		if (stop) {
			s = (sk_status)stop;
			break;
		}
	}
	if (s == SK_OK && rc != SQLITE_DONE)
		s = sk_fail_sqlite(db, err, "listing records");
	sk_record_free(rec);
	sk_release(db, st);
	return s;
}

sk_status sk_count(sk_db *db, const sk_table *t, const sk_query *q,
                   int64_t *count, sk_err *err)
{
	/* The whole list, or a filter of it: without reading the table. */
	if (!q || (!q->after && q->nwhere == 0)) {
		bool live = !q || q->which == SK_LIVE;
		if (q && q->text && *q->text && text_by_fts(t, q))
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
	sk_buf b = {0};
	sk_buf_printf(&b, "SELECT count(*) FROM \"%s\" AS t", t->name);
	sk_status s = where_sql(&b, t, q, err);
	if (s == SK_OK && b.failed)
		s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
	if (s == SK_OK && q && q->text && *q->text && !q->after && q->nwhere == 0) {
		/* a filter matched row by row: kept, for few_by_scan */
		s = memo_count(db, t, q->which, q->text, b.data, count, err);
		sk_buf_free(&b);
		return s;
	}
	if (s == SK_OK)
		s = query_count(db, t, q, b.data, count, err);
	sk_buf_free(&b);
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
	const sk_column *c = base.sort ? sk_column_find(t, base.sort) : NULL;
	if (base.sort && !c)
		return sk_fail(err, SK_INVALID, base.sort, "%s: cannot sort by \"%s\": no such field",
		               t->name, base.sort);

	/* Is the record in this list at all, and what is its sort value? */
	sk_buf b = {0};
	sk_buf_add(&b, "SELECT ");
	if (c)
		column_expr(&b, c);
	else
		sk_buf_add(&b, "NULL");
	sk_buf_printf(&b, " FROM \"%s\" AS t", t->name);
	sk_status s = where_sql(&b, t, &base, err);
	sk_buf_add(&b, " AND t.id = ?22");
	sqlite3_stmt *st = NULL;
	if (s == SK_OK)
		s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
		             : sk_prepare_cached(db, b.data, &st, err);
	sk_buf_free(&b);
	if (s != SK_OK)
		return s;
	bind_query(st, t, &base);
	sqlite3_bind_int64(st, 22, id);
	int rc = sqlite3_step(st);
	char *value = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
	              ? strdup((const char *)sqlite3_column_text(st, 0)) : NULL;
	sk_release(db, st);
	if (rc == SQLITE_DONE)
		return sk_fail(err, SK_NOTFOUND, NULL, "%s %lld is not in this list", t->label,
		               (long long)id);
	if (rc != SQLITE_ROW)
		return sk_fail_sqlite(db, err, "finding a record");

	if (!c || sk_column_sortable(c)) {
		/* Its place is the number of rows before it: a count over an
		 * index range, not a sort of the whole table. */
		base.after = base.reverse = true;
		base.anchor_value = value;
		base.anchor_id = id;
		s = sk_count(db, t, &base, index, err);
		free(value);
		return s;
	}
	free(value);
	/* A computed sort column has no index: number the rows in order. */
	b = (sk_buf){0};
	sk_buf_add(&b, "SELECT n FROM (SELECT t.id AS id, row_number() OVER (");
	s = order_sql(&b, t, &base, err);
	if (s == SK_OK) {
		sk_buf_printf(&b, ") - 1 AS n FROM \"%s\" AS t", t->name);
		s = where_sql(&b, t, &base, err);
	}
	sk_buf_add(&b, ") WHERE id = ?22");
	if (s == SK_OK)
		s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
		             : sk_prepare_cached(db, b.data, &st, err);
	sk_buf_free(&b);
	if (s != SK_OK)
		return s;
	bind_query(st, t, &base);
	sqlite3_bind_int64(st, 22, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*index = sqlite3_column_int64(st, 0);
	else
		s = sk_fail_sqlite(db, err, "finding a record");
	sk_release(db, st);
	return s;
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
