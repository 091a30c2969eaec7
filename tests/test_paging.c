/*
 * test_paging.c: keyset paging and the full-text filter give exactly what
 * the plain query gives: every sortable column, both directions, NULLs and
 * ties, forward and backward, positions; trigram matches against a
 * substring search done here in C.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/demo.h"
#include "scodesk/shown.h"
#include "testutil.h"

#define N_ROWS 120
#define PAGE 7

/* Values with ties and NULLs: every third rank missing, five organizations. */
static void fill(sk_db *db)
{
	static const char *const orgs[] = {"General Staff", "Navy Command", "Air Force HQ",
	                                   "Армия", "Ministry of Defence"};
	const sk_table *t = sk_table_find("contacts");
	for (int i = 0; i < N_ROWS; i++) {
		sk_record *rec = sk_record_new(t);
		char buf[64];
		snprintf(buf, sizeof buf, "Name%03d", (i * 37) % N_ROWS);
		sk_set(rec, "last_name", buf);
		if (i % 3) {
			snprintf(buf, sizeof buf, "Rank %d", i % 4);
			sk_set(rec, "rank", buf);
		}
		sk_set(rec, "organization", orgs[i % 5]);
		sk_set(rec, "key_leader", i % 7 == 0 ? "1" : "0");
		if (i % 11 == 0)
			sk_set(rec, "notes", "met at the Défense fair, 50% discount_code");
		tu_insert(db, rec);
		sk_record_free(rec);
	}
}

/* The ids of a listing in order, with their sort values (of col). */
typedef struct idlist {
	int64_t *id;
	char **key;
	int n, cap;
	const char *col;
} idlist;

static int collect(void *ctx, const sk_record *rec)
{
	idlist *x = ctx;
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 256;
		x->id = realloc(x->id, (size_t)x->cap * sizeof *x->id);
		x->key = realloc(x->key, (size_t)x->cap * sizeof *x->key);
		assert_non_null(x->id);
		assert_non_null(x->key);
	}
	const char *k = x->col ? sk_get(rec, x->col) : NULL;
	x->key[x->n] = k ? strdup(k) : NULL;
	x->id[x->n++] = sk_record_id(rec);
	return 0;
}

/* Empties the list for another listing. */
static void clear(idlist *x)
{
	for (int i = 0; i < x->n; i++)
		free(x->key[i]);
	x->n = 0;
}

static void idlist_free(idlist *x)
{
	clear(x);
	free(x->id);
	free(x->key);
	memset(x, 0, sizeof *x);
}

static void walk_every_column_both_ways(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	fill(t.db);
	const sk_table *tb = sk_table_find("contacts");
	/* both orders: ties by name (a short list), by id (a long one) */
	for (int cut = 0; cut < 2 * (int)tb->ncolumns; cut++) {
		size_t c = (size_t)cut % tb->ncolumns;
		if (cut == (int)tb->ncolumns)
			setenv("SCODESK_TIES_MAX", "0", 1);
		const sk_column *col = &tb->columns[c];
		for (int desc = 0; desc < 2; desc++) {
			idlist ref = {.col = col->name}, walk = {.col = col->name};
			sk_query q = {.sort = col->name, .descending = desc};
			assert_int_equal(sk_list(t.db, tb, &q, collect, &ref, NULL), SK_OK);
			assert_int_equal(ref.n, N_ROWS);
			/* forward, a page at a time, each from the last row seen */
			for (;;) {
				sk_query p = q;
				p.limit = PAGE;
				if (walk.n) {
					p.after = true;
					p.anchor_value = walk.key[walk.n - 1];
					p.anchor_id = walk.id[walk.n - 1];
				}
				int before = walk.n;
				assert_int_equal(sk_list(t.db, tb, &p, collect, &walk, NULL), SK_OK);
				if (walk.n == before)
					break;
			}
			for (int i = 0; i < N_ROWS; i++)
				if (walk.n != N_ROWS || walk.id[i] != ref.id[i])
					fail_msg("%s %s: forward walk differs at row %d", col->name,
					         desc ? "desc" : "asc", i);
			/* backward from the end: the same rows, last first */
			clear(&walk);
			for (;;) {
				sk_query p = q;
				p.limit = PAGE;
				p.reverse = true;
				if (walk.n) {
					p.after = true;
					p.anchor_value = walk.key[walk.n - 1];
					p.anchor_id = walk.id[walk.n - 1];
				}
				int before = walk.n;
				assert_int_equal(sk_list(t.db, tb, &p, collect, &walk, NULL), SK_OK);
				if (walk.n == before)
					break;
			}
			assert_int_equal(walk.n, N_ROWS);
			for (int i = 0; i < N_ROWS; i++)
				if (walk.id[i] != ref.id[N_ROWS - 1 - i])
					fail_msg("%s %s: backward walk differs at row %d", col->name,
					         desc ? "desc" : "asc", i);
			/* every row knows its place; an inclusive anchor starts at it */
			for (int i = 0; i < N_ROWS; i += 13) {
				int64_t at = -1;
				assert_int_equal(sk_position(t.db, tb, &q, ref.id[i], &at, NULL), SK_OK);
				if (at != i)
					fail_msg("%s %s: row %d says it is at %lld", col->name,
					         desc ? "desc" : "asc", i, (long long)at);
				idlist one = {.col = col->name};
				sk_query p = q;
				p.after = p.inclusive = true;
				p.anchor_value = ref.key[i];
				p.anchor_id = ref.id[i];
				p.limit = 1;
				sk_list(t.db, tb, &p, collect, &one, NULL);
				assert_int_equal(one.n, 1);
				assert_int_equal(one.id[0], ref.id[i]);
				idlist_free(&one);
			}
			idlist_free(&ref);
			idlist_free(&walk);
		}
	}
	unsetenv("SCODESK_TIES_MAX");
	tu_close(&t);
}

/* Case-blind (ASCII) substring, the meaning the filter promises. */
static bool has(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = hay; p && *p; p++) {
		size_t i = 0;
		while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

typedef struct matches {
	const char *needle;
	int n, expected;
} matches;

/* Every word of the filter in one of the columns as shown (text, and
 * "yes" for a flag that is set). */
static int count_expected(void *ctx, const sk_record *rec)
{
	matches *m = ctx;
	char copy[128];
	snprintf(copy, sizeof copy, "%s", m->needle);
	bool all = true;
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w && all;
	     w = strtok_r(NULL, " ", &save)) {
		bool found = false;
		for (size_t i = 0; i < rec->table->ncolumns && !found; i++) {
			const sk_column *c = &rec->table->columns[i];
			const char *v = rec->values[i];
			if (c->type == SK_T_BOOL)
				v = v && strcmp(v, "1") == 0 ? "yes" : "";
			found = (sk_column_searchable(c) || c->type == SK_T_BOOL) && has(v, w);
		}
		all = found;
	}
	m->expected += all;
	return 0;
}

static void filter_finds_substrings(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	fill(t.db);
	const sk_table *tb = sk_table_find("contacts");
	/* three characters and more go through the trigram index, fewer
	 * through LIKE; both must mean "contains, any case" */
	static const char *const needles[] = {
		"ame01", "NAME", "navy", "rank 2", "Rank 2", "2 Rank", "navy rank", "Name01 yes", "50% d", "discount_", "e0", "%", "_", "Ар",
		"Армия", "Défense", "x\"y", "'; DROP TABLE contacts; --", "zzz",
	};
	for (size_t i = 0; i < sizeof needles / sizeof needles[0]; i++) {
		matches m = {.needle = needles[i]};
		sk_query all = {0};
		assert_int_equal(sk_list(t.db, tb, &all, count_expected, &m, NULL), SK_OK);
		sk_query q = {.text = needles[i]};
		int64_t n = -1;
		assert_int_equal(sk_count(t.db, tb, &q, &n, NULL), SK_OK);
		if (n != m.expected)
			fail_msg("filter \"%s\": %lld rows, expected %d", needles[i], (long long)n,
			         m.expected);
	}
	/* beyond ASCII, the trigram index folds case too (LIKE, for one or
	 * two characters, does not) */
	sk_query cyr = {.text = "армия"};
	int64_t folded = 0;
	assert_int_equal(sk_count(t.db, tb, &cyr, &folded, NULL), SK_OK);
	assert_int_equal(folded, N_ROWS / 5);
	/* the index follows updates and deletes */
	sk_query q = {.text = "Navy Command"};
	int64_t before = 0, after = 0;
	sk_count(t.db, tb, &q, &before, NULL);
	sk_record *rec;
	assert_int_equal(sk_get_record(t.db, tb, 2, &rec, NULL), SK_OK);
	sk_set(rec, "organization", "Coast Guard");
	assert_int_equal(sk_update(t.db, rec, NULL), SK_OK);
	sk_record_free(rec);
	sk_count(t.db, tb, &q, &after, NULL);
	assert_int_equal(after, before - 1);
	assert_int_equal(sk_delete(t.db, tb, 7, NULL), SK_OK);
	sk_query coast = {.text = "Coast Guard"};
	sk_count(t.db, tb, &coast, &after, NULL);
	assert_int_equal(after, 1);
	tu_close(&t);
}

/* ---- a filter with many matches ------------------------------------------- */

/* Rows enough for each form: "per" is in every name (3,562 live matches)
 * and "Even" in two of three (2,374): gathered; "Rare" and "Rank 4" in
 * few: looked up. */
#define MANY 3600

/*
 * A page of a filtered list is asked of the full-text index in one of two
 * ways, by how many rows match (record.c: page_form): looked up one by one
 * (a few) or gathered first and met along the sort index (many). Either
 * way, pages walked forward and backward are exactly the filtered list,
 * deleted rows are never in it, and the deleted view still finds them.
 */
static void filter_pages_in_every_form(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	sk_err err;
	assert_int_equal(sk_begin(t.db, &err), SK_OK);
	for (int i = 0; i < MANY; i++) {
		sk_record *rec = sk_record_new(tb);
		char buf[64];
		/* every name holds "Person"; two in three "Even"; one in 50 "Rare" */
		snprintf(buf, sizeof buf, "Person %s%s%04d", i % 3 == 2 ? "" : "Even ",
		         i % 50 ? "" : "Rare ", (i * 7919) % MANY);
		sk_set(rec, "last_name", buf);
		if (i % 3) {
			snprintf(buf, sizeof buf, "Rank %d", i % 9);
			sk_set(rec, "rank", buf);
		}
		tu_insert(t.db, rec);
		sk_record_free(rec);
	}
	assert_int_equal(sk_commit(t.db, &err), SK_OK);
	for (int i = 1; i <= MANY; i += 97) /* deleted: never in a live list */
		assert_int_equal(sk_delete(t.db, tb, i, &err), SK_OK);
	/* an id far beyond the rest, as an import may bring: too large for a
	 * bit per id, so filters it matches gather another way */
	tu_exec(sk_sqlite(t.db), "INSERT INTO contacts (id, last_name, created_at, updated_at,"
	                         " version) VALUES (999999999999999, 'Person Far Even',"
	                         " '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', 1)");

	/* and under three characters, matched row by row: many ("Ra": the
	 * sort index walked) and few ("99": the table read once, then sorted) */
	static const char *const needles[] = {"per", "Even", "Rare", "Rank 4", "nobody", "Ra", "99"};
	static const char *const sorts[] = {"last_name", "rank", NULL};
	for (size_t n = 0; n < sizeof needles / sizeof needles[0]; n++) {
		/* the long walks (many matches) in one order, the short ones in all */
		size_t nsorts = n < 2 ? 1 : sizeof sorts / sizeof sorts[0];
		for (size_t c = 0; c < nsorts; c++) {
			for (int desc = 0; desc < 2; desc++) {
				sk_query q = {.text = needles[n], .sort = sorts[c], .descending = desc};

				idlist ref = {.col = sorts[c]}, walk = {.col = sorts[c]};
				/* the whole list, unpaged: ids looked up one by one */
				assert_int_equal(sk_list(t.db, tb, &q, collect, &ref, NULL), SK_OK);
				int64_t count = -1;
				assert_int_equal(sk_count(t.db, tb, &q, &count, NULL), SK_OK);
				assert_int_equal(count, ref.n);
				for (int i = 0; i < ref.n; i++)
					if ((ref.id[i] - 1) % 97 == 0)
						fail_msg("\"%s\": deleted contact %lld is in the list",
						         needles[n], (long long)ref.id[i]);
				for (int back = 0; back < 2; back++) {
					for (;;) {
						sk_query p = q;
						p.limit = 19;
						p.reverse = back;
						if (walk.n) {
							p.after = true;
							p.anchor_value = walk.key[walk.n - 1];
							p.anchor_id = walk.id[walk.n - 1];
						}
						int before = walk.n;
						assert_int_equal(sk_list(t.db, tb, &p, collect, &walk, NULL),
						                 SK_OK);
						if (walk.n == before)
							break;
					}
					if (walk.n != ref.n)
						fail_msg("\"%s\" by %s%s, %s: %d rows in pages, %d in the list",
						         needles[n], sorts[c] ? sorts[c] : "id",
						         desc ? " desc" : "", back ? "backward" : "forward",
						         walk.n, ref.n);
					for (int i = 0; i < ref.n; i++)
						if (walk.id[i] != ref.id[back ? ref.n - 1 - i : i])
							fail_msg("\"%s\" by %s%s, %s: pages differ at row %d",
							         needles[n], sorts[c] ? sorts[c] : "id",
							         desc ? " desc" : "", back ? "backward" : "forward", i);
					clear(&walk);
				}
				idlist_free(&ref);
				idlist_free(&walk);
			}
		}
	}
	/* the live count, and the deleted ones through their own view */
	int64_t live = -1, gone = -1, all = -1;
	assert_int_equal(sk_count(t.db, tb, &(sk_query){0}, &live, NULL), SK_OK);
	assert_int_equal(sk_count(t.db, tb, &(sk_query){.which = SK_DELETED}, &gone, NULL), SK_OK);
	assert_int_equal(sk_count(t.db, tb, &(sk_query){.which = SK_ALL}, &all, NULL), SK_OK);
	assert_int_equal(gone, (MANY + 96) / 97);
	assert_int_equal(live, MANY + 1 - gone);
	assert_int_equal(all, MANY + 1);
	int64_t gone_rare = -1;
	sk_query q = {.text = "Rare", .which = SK_DELETED};
	assert_int_equal(sk_count(t.db, tb, &q, &gone_rare, NULL), SK_OK);
	idlist deleted = {0};
	assert_int_equal(sk_list(t.db, tb, &q, collect, &deleted, NULL), SK_OK);
	assert_int_equal(deleted.n, gone_rare);
	assert_true(gone_rare > 0);
	idlist_free(&deleted);
	/* a restored row is found again, a deleted one no more */
	int64_t before = -1, after = -1;
	sk_query rare = {.text = "Rare"};
	assert_int_equal(sk_count(t.db, tb, &rare, &before, NULL), SK_OK);
	assert_int_equal(sk_restore(t.db, tb, 1, &err), SK_OK); /* "Person Even Rare 0000" */
	assert_int_equal(sk_count(t.db, tb, &rare, &after, NULL), SK_OK);
	assert_int_equal(after, before + 1);
	assert_int_equal(sk_delete(t.db, tb, 51, &err), SK_OK); /* "... Rare ..." too */
	assert_int_equal(sk_count(t.db, tb, &rare, &after, NULL), SK_OK);
	assert_int_equal(after, before);
	tu_close(&t);
}

/* Counts are kept while nothing changes (record.c: memo_count): a change
 * by this connection or by another process's must show at once. */
static void counts_follow_every_change(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	fill(t.db);
	const sk_table *tb = sk_table_find("contacts");
	sk_err err;
	sk_db *other;
	assert_int_equal(sk_open(t.path, 0, &other, &err), SK_OK);
	sk_query whole = {0}, navy = {.text = "Navy"};
	int64_t n = -1, m = -1;
	assert_int_equal(sk_count(t.db, tb, &whole, &n, NULL), SK_OK);
	assert_int_equal(sk_count(t.db, tb, &navy, &m, NULL), SK_OK);
	assert_int_equal(n, N_ROWS);
	assert_int_equal(m, N_ROWS / 5);
	/* another connection adds a Navy contact */
	sk_record *rec = sk_record_new(tb);
	sk_set(rec, "last_name", "Newcomer");
	sk_set(rec, "organization", "Navy Command");
	int64_t id = tu_insert(other, rec);
	sk_record_free(rec);
	assert_int_equal(sk_count(t.db, tb, &whole, &n, NULL), SK_OK);
	assert_int_equal(sk_count(t.db, tb, &navy, &m, NULL), SK_OK);
	assert_int_equal(n, N_ROWS + 1);
	assert_int_equal(m, N_ROWS / 5 + 1);
	/* this one deletes it */
	assert_int_equal(sk_delete(t.db, tb, id, &err), SK_OK);
	assert_int_equal(sk_count(t.db, tb, &whole, &n, NULL), SK_OK);
	assert_int_equal(sk_count(t.db, tb, &navy, &m, NULL), SK_OK);
	assert_int_equal(n, N_ROWS);
	assert_int_equal(m, N_ROWS / 5);
	/* the other restores it */
	assert_int_equal(sk_restore(other, tb, id, &err), SK_OK);
	assert_int_equal(sk_count(t.db, tb, &whole, &n, NULL), SK_OK);
	assert_int_equal(sk_count(t.db, tb, &navy, &m, NULL), SK_OK);
	assert_int_equal(n, N_ROWS + 1);
	assert_int_equal(m, N_ROWS / 5 + 1);
	sk_close(other);
	tu_close(&t);
}


/* ---- what a column shows is what the list filters and sorts by ------------- */

typedef struct shown_rows {
	sk_record **recs;
	int n, cap;
} shown_rows;

static int keep_row(void *ctx, const sk_record *rec)
{
	shown_rows *r = ctx;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->recs = realloc(r->recs, (size_t)r->cap * sizeof *r->recs);
		assert_non_null(r->recs);
	}
	r->recs[r->n++] = sk_record_dup(rec);
	return 0;
}

static void shown_rows_free(shown_rows *r)
{
	for (int i = 0; i < r->n; i++)
		sk_record_free(r->recs[i]);
	free(r->recs);
	memset(r, 0, sizeof *r);
}

/* Is record id among those q lists? */
static bool lists(sk_db *db, const sk_table *t, const sk_query *q, int64_t id)
{
	shown_rows r = {0};
	assert_int_equal(sk_list(db, t, q, keep_row, &r, NULL), SK_OK);
	bool found = false;
	for (int i = 0; i < r.n && !found; i++)
		found = sk_record_id(r.recs[i]) == id;
	shown_rows_free(&r);
	return found;
}

/* On the demo office, every cell of every column a filter looks in (as
 * sk_shown_value writes it: labels, names, "yes", computed values) finds
 * its own record when typed as a filter, by the index (its long words)
 * and row by row (its short ones) alike; the label "TS/SCI", which is not
 * in the code "ts_sci", and a person's name on a training record, which is
 * only an id in the table, among them. */
static void filter_by_what_is_shown(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_err err;
	assert_int_equal(sk_demo_fill(t.db, &err), SK_OK);
	int tried = 0, refs = 0;
	for (size_t k = 0; k < sk_ntables; k++) {
		const sk_table *tb = sk_tables[k];
		shown_rows all = {0};
		assert_int_equal(sk_list(t.db, tb, &(sk_query){0}, keep_row, &all, NULL), SK_OK);
		for (int r = 0; r < all.n; r += 3) {
			const sk_record *rec = all.recs[r];
			for (size_t c = 0; c < tb->ncolumns; c++) {
				const sk_column *col = &tb->columns[c];
				bool looked = sk_column_searchable(col) || col->type == SK_T_BOOL ||
				              col->type == SK_T_REF || col->type == SK_T_LINKS ||
				              (col->type == SK_T_DERIVED && !(col->flags & SK_F_LOOKUP));
				char *v = sk_shown_value(t.db, rec, (int)c);
				assert_non_null(v);
				v[strcspn(v, ";\r\n")] = '\0'; /* the first of linked names */
				if (looked && *v && strlen(v) < 200) {
					sk_query q = {.text = v};
					if (!lists(t.db, tb, &q, sk_record_id(rec)))
						fail_msg("%s %lld: the filter \"%s\" (its %s as shown) does not"
						         " find it", tb->name, (long long)sk_record_id(rec), v,
						         col->name);
					tried++;
					refs += col->type == SK_T_REF || col->type == SK_T_LINKS;
				}
				free(v);
			}
		}
		shown_rows_free(&all);
	}
	assert_true(tried > 500);
	assert_true(refs > 20);
	/* a label is not a code; a name is not an id */
	const sk_table *pe = sk_table_find("personnel");
	int64_t n = 0;
	assert_int_equal(sk_count(t.db, pe, &(sk_query){.text = "TS/SCI"}, &n, NULL), SK_OK);
	assert_true(n >= 1);
	const sk_table *st = sk_table_find("staff_training");
	assert_int_equal(sk_count(t.db, st, &(sk_query){.text = "Whitaker"}, &n, NULL), SK_OK);
	assert_true(n >= 1);
	assert_int_equal(sk_count(t.db, st, &(sk_query){.text = "overdue"}, &n, NULL), SK_OK);
	assert_true(n >= 1);
	/* but not a column looked up in other tables for each row (an EUM
	 * item's last inventory and what it found: the demo's one device
	 * not seen says so there alone), which would read every item's
	 * inventories at each letter */
	const sk_table *eu = sk_table_find("eum_items");
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM eum_check_items WHERE result = 'not_seen'"), 1);
	assert_int_equal(sk_count(t.db, eu, &(sk_query){.text = "Not seen"}, &n, NULL), SK_OK);
	assert_int_equal(n, 0);
	tu_close(&t);
}

/* A record found through a name it refers to (an engagement's contact, a
 * training record's person, an engagement's program) and then deleted is
 * no longer counted nor listed: the indexes of the names answer for
 * deleted records too, and the count must leave them out. */
static void deleted_records_leave_the_filter(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_err err;
	assert_int_equal(sk_demo_fill(t.db, &err), SK_OK);
	static const struct { const char *table, *text; } cases[] = {
		{"engagements", "Gorvatko"},
		{"engagements", "Coastal patrol"},
		{"staff_training", "Whitaker"},
		{"engagements", "Gorvatko Velko"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const sk_table *tb = sk_table_find(cases[k].table);
		sk_query q = {.text = cases[k].text};
		shown_rows r = {0};
		assert_int_equal(sk_list(t.db, tb, &q, keep_row, &r, NULL), SK_OK);
		int64_t before = 0, after = 0;
		assert_int_equal(sk_count(t.db, tb, &q, &before, NULL), SK_OK);
		if (r.n < 2 || before != r.n)
			fail_msg("%s \"%s\": %d listed, %lld counted", cases[k].table, cases[k].text,
			         r.n, (long long)before);
		int64_t gone = sk_record_id(r.recs[r.n / 2]);
		shown_rows_free(&r);
		assert_int_equal(sk_delete(t.db, tb, gone, &err), SK_OK);
		assert_int_equal(sk_count(t.db, tb, &q, &after, NULL), SK_OK);
		if (after != before - 1)
			fail_msg("%s \"%s\": %lld before deleting %lld, %lld after", cases[k].table,
			         cases[k].text, (long long)before, (long long)gone, (long long)after);
		assert_false(lists(t.db, tb, &q, gone));
	}
	tu_close(&t);
}

/* Sorted by a reference, the list is in the order of the names shown;
 * by a grade, in seniority; a partner's rank, by its U.S. grade; empty
 * values last both ways. */
static void sort_by_what_is_shown(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_err err;
	assert_int_equal(sk_demo_fill(t.db, &err), SK_OK);
	static const struct { const char *table, *sort, *by; } cases[] = {
		{"staff_training", "person_id", "person_id"},
		{"programs", "poc_person_id", "poc_person_id"},
		{"engagements", "contact_ids", "contact_ids"},
		{"personnel", "grade", "grade"},
		{"contacts", "rank", "us_equivalent_grade"},
		{"billets", "incumbent", "incumbent"},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const sk_table *tb = sk_table_find(cases[k].table);
		int by = sk_column_index(tb, cases[k].by);
		bool grade = sk_column_find(tb, cases[k].by)->flags & SK_F_GRADE;
		for (int desc = 0; desc < 2; desc++) {
			shown_rows r = {0};
			sk_query q = {.sort = cases[k].sort, .descending = desc};
			assert_int_equal(sk_list(t.db, tb, &q, keep_row, &r, NULL), SK_OK);
			assert_true(r.n > 3);
			bool empty_seen = false;
			int nonempty = 0;
			for (int i = 0; i < r.n; i++) {
				char *v = sk_shown_value(t.db, r.recs[i], by);
				bool empty = !r.recs[i]->values[by] || !*v;
				if (empty_seen && !empty)
					fail_msg("%s by %s: a value after an empty one", tb->name, cases[k].sort);
				empty_seen |= empty;
				if (!empty && i > 0 && nonempty) {
					char *u = sk_shown_value(t.db, r.recs[i - 1], by);
					int cmp = grade ? sk_grade_rank(u) - sk_grade_rank(v) : strcmp(u, v);
					if (desc ? cmp < 0 : cmp > 0)
						fail_msg("%s by %s%s: \"%s\" before \"%s\"", tb->name, cases[k].sort,
						         desc ? " (descending)" : "", u, v);
					free(u);
				}
				nonempty += !empty;
				free(v);
			}
			assert_true(nonempty > 2);
			shown_rows_free(&r);
		}
	}
	/* seniority, not the alphabet */
	assert_true(sk_grade_rank("E-9") < sk_grade_rank("W-1"));
	assert_true(sk_grade_rank("O-2") < sk_grade_rank("O-10"));
	assert_true(sk_grade_rank("O-10") < sk_grade_rank("GS-1"));
	assert_true(sk_grade_rank("GS-15") < sk_grade_rank("SES"));
	assert_int_equal(sk_grade_rank("Colonel"), -1);
	tu_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walk_every_column_both_ways),
		cmocka_unit_test(filter_finds_substrings),
		cmocka_unit_test(filter_pages_in_every_form),
		cmocka_unit_test(counts_follow_every_change),
		cmocka_unit_test(filter_by_what_is_shown),
		cmocka_unit_test(sort_by_what_is_shown),
		cmocka_unit_test(deleted_records_leave_the_filter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
