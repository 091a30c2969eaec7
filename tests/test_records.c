/*
 * test_records.c: records of every described table: insert, read, update,
 * delete, restore, each with its audit entry; version conflicts (also
 * from another process); hostile text; listing, filtering, sorting and
 * paging; transactions; a failed save that keeps its record for the
 * retry; the vetting rule.
 */
#include <pwd.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

/* ---- helpers ------------------------------------------------------------- */

static long long max_audit_id(sk_db *db)
{
	return tu_int(db, "SELECT coalesce(max(id), 0) FROM audit_log");
}

static long long audit_count(sk_db *db)
{
	return tu_int(db, "SELECT count(*) FROM audit_log");
}

static long long rows_in(sk_db *db, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
	return tu_int(db, sql);
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Non-system columns a person enters (stored, or kept in a link table). */
static bool entered(const sk_column *c)
{
	return !(c->flags & SK_F_SYSTEM) && c->type != SK_T_DERIVED;
}

/* A text column any value may go into: no pattern, not unique. */
static const sk_column *free_text_column(const sk_table *t)
{
	for (size_t i = 0; i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		if (c->type == SK_T_TEXT && !c->check && !(c->flags & (SK_F_UNIQUE | SK_F_SYSTEM)))
			return c;
	}
	return NULL;
}

/* What a listing returned. */
typedef struct collected {
	const char *column; /* whose values to keep, or NULL */
	int n;
	long long ids[64];
	char *vals[64];
} collected;

static int collect(void *ctx, const sk_record *rec)
{
	collected *c = ctx;
	if (c->n >= 64)
		return 0;
	c->ids[c->n] = sk_record_id(rec);
	const char *v = c->column ? sk_get(rec, c->column) : NULL;
	c->vals[c->n] = v ? strdup(v) : NULL;
	c->n++;
	return 0;
}

static void collected_free(collected *c)
{
	for (int i = 0; i < c->n; i++)
		free(c->vals[i]);
	c->n = 0;
}

static void list_into(sk_db *db, const sk_table *t, const sk_query *q, collected *out)
{
	sk_err err;
	collected_free(out);
	sk_status s = sk_list(db, t, q, collect, out, &err);
	if (s != SK_OK)
		fail_msg("listing %s: %s", t->name, err.msg);
}

static bool listed(const collected *c, long long id)
{
	for (int i = 0; i < c->n; i++)
		if (c->ids[i] == id)
			return true;
	return false;
}

static int64_t count_of(sk_db *db, const sk_table *t, const sk_query *q)
{
	int64_t n = -1;
	sk_err err;
	if (sk_count(db, t, q, &n, &err) != SK_OK)
		fail_msg("counting %s: %s", t->name, err.msg);
	return n;
}

/* Keeps a copy of the listed record with the wanted id. */
typedef struct finder {
	long long id;
	sk_record *found;
	int seen;
} finder;

static int find_one(void *ctx, const sk_record *rec)
{
	finder *f = ctx;
	f->seen++;
	if (sk_record_id(rec) == f->id && !f->found)
		f->found = sk_record_dup(rec);
	return 0;
}

/* Lists with q and checks that record `want` comes back with every
 * column, derived ones included, as sk_get_record read it. */
static void expect_listed_as_read(sk_db *db, const sk_query *q, const sk_record *want,
                                  const char *how)
{
	const sk_table *tb = want->table;
	finder f = {.id = sk_record_id(want)};
	sk_err err;
	if (sk_list(db, tb, q, find_one, &f, &err) != SK_OK)
		fail_msg("%s: listing %s: %s", tb->name, how, err.msg);
	if (!f.found)
		fail_msg("%s: listing %s does not return record %lld", tb->name, how, f.id);
	for (size_t i = 0; i < tb->ncolumns; i++)
		if (!same(f.found->values[i], want->values[i]))
			fail_msg("%s.%s listed %s is '%s', read alone '%s'", tb->name,
			         tb->columns[i].name, how,
			         f.found->values[i] ? f.found->values[i] : "(null)",
			         want->values[i] ? want->values[i] : "(null)");
	sk_record_free(f.found);
}

/* The one audit entry written since `since`, checked against what it
 * must say. Returns its ts (static buffer). */
static const char *expect_audit(sk_db *db, long long since, const char *action,
                                const char *table, long long row_id)
{
	static char ts[64];
	sqlite3 *c = sk_sqlite(db);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(c, "SELECT count(*) FROM audit_log WHERE id > ?",
	                                    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, since);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (n != 1)
		fail_msg("%s %s %lld: %lld audit entries, expected exactly 1", action, table,
		         row_id, n);
	assert_int_equal(sqlite3_prepare_v2(c, "SELECT ts, user, action, table_name, row_id,"
	                                    " before IS NULL OR json_valid(before),"
	                                    " after IS NOT NULL AND json_valid(after)"
	                                    " FROM audit_log WHERE id > ?", -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(st, 1, since);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(ts, sizeof ts, "%s", (const char *)sqlite3_column_text(st, 0));
	const char *user = (const char *)sqlite3_column_text(st, 1);
	assert_non_null(user);
	assert_true(user[0] != '\0');
	assert_string_equal((const char *)sqlite3_column_text(st, 2), action);
	assert_string_equal((const char *)sqlite3_column_text(st, 3), table);
	assert_int_equal(sqlite3_column_int64(st, 4), row_id);
	if (!sqlite3_column_int(st, 5) || !sqlite3_column_int(st, 6))
		fail_msg("%s %s %lld: before/after are not valid JSON", action, table, row_id);
	sqlite3_finalize(st);
	assert_null(sk_check_timestamp(ts));
	return ts;
}

/* The member `column` of the before or after JSON of the latest audit
 * entry: expected value, or NULL for JSON null. */
static void expect_audit_member(sk_db *db, const char *which, const char *column,
                                const char *value)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT json_type(\"%s\", ?1), json_extract(\"%s\", ?1)"
	         " FROM audit_log ORDER BY id DESC LIMIT 1", which, which);
	char path[96];
	snprintf(path, sizeof path, "$.\"%s\"", column);
	sqlite3 *c = sk_sqlite(db);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *type = (const char *)sqlite3_column_text(st, 0);
	const char *got = (const char *)sqlite3_column_text(st, 1);
	if (!type)
		fail_msg("audit %s has no member %s", which, column);
	if (value) {
		if (strcmp(type, "text") != 0 || !got || strcmp(got, value) != 0)
			fail_msg("audit %s.%s is %s '%s', expected '%s'", which, column, type,
			         got ? got : "", value);
	} else if (strcmp(type, "null") != 0) {
		fail_msg("audit %s.%s is %s, expected null", which, column, type);
	}
	sqlite3_finalize(st);
}

static long long audit_members(sk_db *db, const char *which)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM json_each((SELECT \"%s\" FROM audit_log"
	         " ORDER BY id DESC LIMIT 1))", which);
	return tu_int(db, sql);
}

/* ---- every table: insert, read, update, delete, restore ----------------------- */

static void lifecycle(void **state)
{
	const sk_table *tb = *state;
	tu_db t;
	tu_open(&t);
	sk_err err;
	setenv("SCODESK_NOW", "2026-11-25T08:00:00Z", 1);

	sk_record *rec = tu_valid(t.db, tb, 11);
	sk_record *given = sk_record_dup(rec);
	assert_non_null(given);
	long long mark = max_audit_id(t.db);
	int64_t live0 = count_of(t.db, tb, &(sk_query){.which = SK_LIVE});

	/* insert */
	sk_status s = sk_insert(t.db, rec, &err);
	if (s != SK_OK)
		fail_msg("%s: insert: %s", tb->name, err.msg);
	long long id = sk_record_id(rec);
	assert_true(id > 0);
	assert_int_equal(sk_record_version(rec), 1);
	assert_string_equal(sk_get(rec, "created_at"), "2026-11-25T08:00:00Z");
	assert_string_equal(sk_get(rec, "updated_at"), "2026-11-25T08:00:00Z");
	assert_null(sk_get(rec, "deleted_at"));

	sk_record *got = NULL;
	s = sk_get_record(t.db, tb, id, &got, &err);
	if (s != SK_OK)
		fail_msg("%s: read back %lld: %s", tb->name, id, err.msg);
	for (size_t i = 0; i < tb->ncolumns; i++) {
		const sk_column *c = &tb->columns[i];
		if (entered(c) && !same(given->values[i], got->values[i]))
			fail_msg("%s.%s: stored '%s', read back '%s'", tb->name, c->name,
			         given->values[i] ? given->values[i] : "(null)",
			         got->values[i] ? got->values[i] : "(null)");
		/* what sk_insert left in rec is the stored row */
		if (!same(rec->values[i], got->values[i]))
			fail_msg("%s.%s: insert left '%s', the row holds '%s'", tb->name, c->name,
			         rec->values[i] ? rec->values[i] : "(null)",
			         got->values[i] ? got->values[i] : "(null)");
	}
	expect_audit(t.db, mark, "insert", tb->name, id);
	long long members = 0;
	for (size_t i = 0; i < tb->ncolumns; i++) {
		const sk_column *c = &tb->columns[i];
		if (!entered(c) || !got->values[i])
			continue;
		expect_audit_member(t.db, "after", c->name, got->values[i]);
		members++;
	}
	assert_int_equal(audit_members(t.db, "after"), members);
	assert_int_equal(tu_int(t.db, "SELECT before IS NULL FROM audit_log ORDER BY id DESC"
	                             " LIMIT 1"), 1);
	assert_int_equal(count_of(t.db, tb, &(sk_query){.which = SK_LIVE}), live0 + 1);

	/* Lists give the same values as a single read, however they are
	 * filtered. */
	const sk_column *col = free_text_column(tb);
	assert_non_null(col);
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", id);
	expect_listed_as_read(t.db, NULL, got, "unfiltered");
	expect_listed_as_read(t.db, &(sk_query){.text = sk_get(got, col->name)}, got,
	                      "by text");
	expect_listed_as_read(t.db, &(sk_query){.where = {{"id", idtext}}, .nwhere = 1}, got,
	                      "by id");
	expect_listed_as_read(t.db, &(sk_query){.text = sk_get(got, col->name),
	                                        .where = {{"id", idtext}}, .nwhere = 1,
	                                        .sort = col->name, .limit = 5}, got,
	                      "by text and id");
	int64_t one = -1;
	assert_int_equal(sk_count(t.db, tb, &(sk_query){.text = sk_get(got, col->name),
	                                                .where = {{"id", idtext}}, .nwhere = 1},
	                          &one, &err), SK_OK);
	assert_int_equal(one, 1);

	/* update one free text column */
	char *old = sk_get(got, col->name) ? strdup(sk_get(got, col->name)) : NULL;
	char changed[96];
	snprintf(changed, sizeof changed, "changed %s of %s", col->name, tb->name);
	assert_int_equal(sk_set(got, col->name, changed), SK_OK);
	setenv("SCODESK_NOW", "2026-11-25T09:00:00Z", 1);
	mark = max_audit_id(t.db);
	s = sk_update(t.db, got, &err);
	if (s != SK_OK)
		fail_msg("%s: update: %s", tb->name, err.msg);
	assert_int_equal(sk_record_version(got), 2);
	sk_record_free(rec);
	assert_int_equal(sk_get_record(t.db, tb, id, &rec, &err), SK_OK);
	assert_int_equal(sk_record_version(rec), 2);
	assert_string_equal(sk_get(rec, col->name), changed);
	assert_string_equal(sk_get(rec, "created_at"), "2026-11-25T08:00:00Z");
	assert_string_equal(sk_get(rec, "updated_at"), "2026-11-25T09:00:00Z");
	for (size_t i = 0; i < tb->ncolumns; i++)
		if (entered(&tb->columns[i]) && &tb->columns[i] != col)
			assert_true(same(rec->values[i], given->values[i]));
	expect_audit(t.db, mark, "update", tb->name, id);
	expect_audit_member(t.db, "before", col->name, old);
	expect_audit_member(t.db, "after", col->name, changed);
	assert_int_equal(audit_members(t.db, "before"), 1);
	assert_int_equal(audit_members(t.db, "after"), 1);
	free(old);

	/* soft delete */
	setenv("SCODESK_NOW", "2026-11-25T10:00:00Z", 1);
	mark = max_audit_id(t.db);
	s = sk_delete(t.db, tb, id, &err);
	if (s != SK_OK)
		fail_msg("%s: delete: %s", tb->name, err.msg);
	collected live = {0}, gone = {0}, all = {0};
	list_into(t.db, tb, &(sk_query){.which = SK_LIVE}, &live);
	list_into(t.db, tb, &(sk_query){.which = SK_DELETED}, &gone);
	list_into(t.db, tb, &(sk_query){.which = SK_ALL}, &all);
	assert_false(listed(&live, id));
	assert_true(listed(&gone, id));
	assert_true(listed(&all, id));
	assert_int_equal(gone.n, 1);
	assert_int_equal(count_of(t.db, tb, &(sk_query){.which = SK_LIVE}), live0);
	assert_int_equal(count_of(t.db, tb, &(sk_query){.which = SK_DELETED}), 1);
	assert_int_equal(count_of(t.db, tb, &(sk_query){.which = SK_ALL}), live0 + 1);
	sk_record_free(rec);
	assert_int_equal(sk_get_record(t.db, tb, id, &rec, &err), SK_OK);
	assert_string_equal(sk_get(rec, "deleted_at"), "2026-11-25T10:00:00Z");
	assert_int_equal(sk_record_version(rec), 3);
	assert_string_equal(sk_get(rec, col->name), changed);
	expect_audit(t.db, mark, "delete", tb->name, id);
	expect_audit_member(t.db, "before", "deleted_at", NULL);
	expect_audit_member(t.db, "after", "deleted_at", "2026-11-25T10:00:00Z");

	/* restore */
	setenv("SCODESK_NOW", "2026-11-25T11:00:00Z", 1);
	mark = max_audit_id(t.db);
	s = sk_restore(t.db, tb, id, &err);
	if (s != SK_OK)
		fail_msg("%s: restore: %s", tb->name, err.msg);
	list_into(t.db, tb, &(sk_query){.which = SK_LIVE}, &live);
	list_into(t.db, tb, &(sk_query){.which = SK_DELETED}, &gone);
	assert_true(listed(&live, id));
	assert_false(listed(&gone, id));
	assert_int_equal(count_of(t.db, tb, &(sk_query){.which = SK_LIVE}), live0 + 1);
	sk_record_free(rec);
	assert_int_equal(sk_get_record(t.db, tb, id, &rec, &err), SK_OK);
	assert_null(sk_get(rec, "deleted_at"));
	assert_int_equal(sk_record_version(rec), 4);
	assert_string_equal(sk_get(rec, col->name), changed);
	assert_string_equal(sk_get(rec, "updated_at"), "2026-11-25T11:00:00Z");
	expect_audit(t.db, mark, "restore", tb->name, id);
	expect_audit_member(t.db, "before", "deleted_at", "2026-11-25T10:00:00Z");
	expect_audit_member(t.db, "after", "deleted_at", NULL);

	unsetenv("SCODESK_NOW");
	collected_free(&live);
	collected_free(&gone);
	collected_free(&all);
	sk_record_free(rec);
	sk_record_free(got);
	sk_record_free(given);
	tu_close(&t);
}

/* An update that changes nothing writes nothing and keeps the version. */
static void unchanged_update_is_quiet(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	sk_record *rec = tu_valid(t.db, tb, 1);
	long long id = tu_insert(t.db, rec);
	long long n = audit_count(t.db);
	sk_err err;
	assert_int_equal(sk_update(t.db, rec, &err), SK_OK);
	assert_int_equal(sk_record_version(rec), 1);
	assert_int_equal(audit_count(t.db), n);
	sk_record_free(rec);
	assert_int_equal(sk_get_record(t.db, tb, id, &rec, &err), SK_OK);
	assert_int_equal(sk_record_version(rec), 1);
	sk_record_free(rec);
	tu_close(&t);
}

static void missing_records(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("personnel");
	sk_err err;
	static char sentinel;
	sk_record *rec = (sk_record *)(void *)&sentinel; /* must come back NULL */
	assert_int_equal(sk_get_record(t.db, tb, 4242, &rec, &err), SK_NOTFOUND);
	assert_null(rec);
	assert_non_null(strstr(err.msg, "4242"));
	assert_int_equal(sk_delete(t.db, tb, 4242, &err), SK_NOTFOUND);
	assert_int_equal(sk_restore(t.db, tb, 4242, &err), SK_NOTFOUND);
	rec = tu_valid(t.db, tb, 1);
	assert_int_equal(sk_set(rec, "id", "4242"), SK_OK);
	assert_int_equal(sk_set(rec, "version", "1"), SK_OK);
	assert_int_equal(sk_update(t.db, rec, &err), SK_NOTFOUND);
	assert_int_equal(rows_in(t.db, "personnel"), 0);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM audit_log WHERE table_name ="
	                             " 'personnel'"), 0);
	sk_record_free(rec);
	tu_close(&t);
}

/* Nobody writes audit_log through the record functions. */
static void audit_log_is_append_only(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_record *c = tu_valid(t.db, sk_table_find("contacts"), 1);
	long long cid = tu_insert(t.db, c);
	sk_record_free(c);
	const sk_table *tb = sk_table_find("audit_log");
	assert_true(tb->append_only);
	long long id = max_audit_id(t.db);
	sk_err err;
	sk_record *rec = NULL;
	assert_int_equal(sk_get_record(t.db, tb, id, &rec, &err), SK_OK);
	assert_int_equal(sk_set(rec, "user", "mallory"), SK_OK);
	assert_int_equal(sk_update(t.db, rec, &err), SK_INVALID);
	assert_int_equal(sk_set(rec, "id", NULL), SK_OK);
	assert_int_equal(sk_insert(t.db, rec, &err), SK_INVALID);
	assert_int_equal(sk_delete(t.db, tb, id, &err), SK_INVALID);
	sk_record_free(rec);
	assert_int_equal(audit_count(t.db), 1);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM audit_log WHERE user = 'mallory'"), 0);
	/* and it lists */
	collected got = {0};
	list_into(t.db, tb, NULL, &got);
	assert_int_equal(got.n, 1);
	char rid[24];
	snprintf(rid, sizeof rid, "%lld", cid);
	list_into(t.db, tb, &(sk_query){.where = {{"row_id", rid}}, .nwhere = 1}, &got);
	assert_int_equal(got.n, 1);
	collected_free(&got);
	tu_close(&t);
}

/* ---- who ----------------------------------------------------------------------- */

static void audit_user_names_ssh_client(void **state)
{
	(void)state;
	const char *keep = getenv("SSH_CONNECTION");
	char *saved = keep ? strdup(keep) : NULL;

	setenv("SSH_CONNECTION", "203.0.113.7 52100 10.0.0.5 22", 1);
	tu_db t;
	tu_open(&t);
	sk_record *rec = tu_valid(t.db, sk_table_find("contacts"), 1);
	long long id = tu_insert(t.db, rec);
	sk_record_free(rec);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(sk_sqlite(t.db), "SELECT user FROM audit_log"
	                                    " WHERE table_name = 'contacts' AND row_id = ?",
	                                    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	const char *user = (const char *)sqlite3_column_text(st, 0);
	if (!strstr(user, "203.0.113.7"))
		fail_msg("audit user '%s' lacks the SSH client address", user);
	const struct passwd *pw = getpwuid(geteuid());
	if (pw && strncmp(user, pw->pw_name, strlen(pw->pw_name)) != 0)
		fail_msg("audit user '%s' does not start with the login name %s", user,
		         pw->pw_name);
	assert_null(strstr(user, "52100")); /* the address, not the port */
	assert_string_equal(user, sk_user(t.db));
	sqlite3_finalize(st);
	tu_close(&t);

	/* Without SSH there is no address. */
	unsetenv("SSH_CONNECTION");
	tu_open(&t);
	assert_null(strstr(sk_user(t.db), "203.0.113.7"));
	assert_true(sk_user(t.db)[0] != '\0');
	rec = tu_valid(t.db, sk_table_find("contacts"), 1);
	tu_insert(t.db, rec);
	sk_record_free(rec);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM audit_log WHERE user LIKE '%203.0.113.7%'"),
	                 0);
	tu_close(&t);

	if (saved)
		setenv("SSH_CONNECTION", saved, 1);
	free(saved);
}

/* ---- version conflicts ----------------------------------------------------------- */

/* A save over a record deleted since it was read is refused as gone, and
 * names who deleted it; restored, the change goes through. */
static void update_of_a_deleted_record(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("personnel");
	sk_record *rec = tu_valid(t.db, tb, 1);
	long long id = tu_insert(t.db, rec);
	sk_record_free(rec);
	sk_record *mine = NULL;
	sk_err err;
	assert_int_equal(sk_get_record(t.db, tb, id, &mine, &err), SK_OK);
	setenv("SCODESK_NOW", "2026-11-25T15:00:00Z", 1);
	assert_int_equal(sk_delete(t.db, tb, id, &err), SK_OK);
	unsetenv("SCODESK_NOW");
	long long n = audit_count(t.db);
	assert_int_equal(sk_set(mine, "phone", "+1 555 0111"), SK_OK);
	sk_status s = sk_update(t.db, mine, &err);
	if (s != SK_GONE)
		fail_msg("update of a deleted record gave %s: %s", sk_status_name(s), err.msg);
	char name[160], want[400];
	sk_record_name(mine, name, sizeof name);
	snprintf(want, sizeof want, "%s was deleted by %s at 2026-11-25T15:00:00Z", name,
	         sk_user(t.db));
	assert_string_equal(err.msg, want);
	assert_int_equal(audit_count(t.db), n);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT deleted_at IS NOT NULL AND phone IS NOT '+1 555 0111'"
	         " FROM personnel WHERE id = %lld", id);
	assert_int_equal(tu_int(t.db, sql), 1);
	/* restored, and read at its new version: saved */
	assert_int_equal(sk_restore(t.db, tb, id, &err), SK_OK);
	sk_record *back = NULL;
	assert_int_equal(sk_get_record(t.db, tb, id, &back, &err), SK_OK);
	assert_int_equal(sk_set(back, "phone", "+1 555 0111"), SK_OK);
	assert_int_equal(sk_update(t.db, back, &err), SK_OK);
	sk_record_free(back);
	sk_record_free(mine);
	tu_close(&t);
}

/* Three-way merge: each side's changes to its own fields kept; a field
 * both changed differently is mine and reported; core's columns theirs. */
static void merge_of_two_changes(void **state)
{
	(void)state;
	const sk_table *tb = sk_table_find("personnel");
	sk_record *base = sk_record_new(tb);
	sk_set(base, "id", "4");
	sk_set(base, "version", "3");
	sk_set(base, "last_name", "Chen");
	sk_set(base, "phone", "1");
	sk_set(base, "email", "a@x");
	sk_set(base, "notes", "n");
	sk_record *mine = sk_record_dup(base), *theirs = sk_record_dup(base);
	sk_set(mine, "email", "mine@x");     /* mine only */
	sk_set(mine, "notes", "mine");       /* both, differently */
	sk_set(mine, "grade", "O-4");        /* both, the same */
	sk_set(theirs, "phone", "2");        /* theirs only */
	sk_set(theirs, "notes", "theirs");
	sk_set(theirs, "grade", "O-4");
	sk_set(theirs, "version", "5");
	sk_merged how;
	sk_record *m = sk_merge(base, mine, theirs, &how);
	assert_non_null(m);
	assert_string_equal(sk_get(m, "email"), "mine@x");
	assert_string_equal(sk_get(m, "phone"), "2");
	assert_string_equal(sk_get(m, "notes"), "mine");
	assert_string_equal(sk_get(m, "grade"), "O-4");
	assert_string_equal(sk_get(m, "last_name"), "Chen");
	assert_string_equal(sk_get(m, "version"), "5");
	assert_int_equal(how.nclash, 1);
	assert_int_equal(how.clash[0], sk_column_index(tb, "notes"));
	assert_int_equal(how.ntaken, 1);
	assert_int_equal(how.taken[0], sk_column_index(tb, "phone"));
	sk_record_free(m);
	sk_record_free(base);
	sk_record_free(mine);
	sk_record_free(theirs);
}

static void version_conflict(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("personnel");
	sk_record *rec = tu_valid(t.db, tb, 1);
	long long id = tu_insert(t.db, rec);
	sk_record_free(rec);

	sk_record *first = NULL, *second = NULL;
	sk_err err;
	assert_int_equal(sk_get_record(t.db, tb, id, &first, &err), SK_OK);
	assert_int_equal(sk_get_record(t.db, tb, id, &second, &err), SK_OK);

	setenv("SCODESK_NOW", "2026-11-25T14:37:05Z", 1);
	assert_int_equal(sk_set(first, "phone", "+1 555 0100"), SK_OK);
	assert_int_equal(sk_update(t.db, first, &err), SK_OK);
	unsetenv("SCODESK_NOW");
	long long n = audit_count(t.db);

	/* The second copy changes another field: still a conflict. */
	assert_int_equal(sk_set(second, "email", "second@example.org"), SK_OK);
	assert_int_equal(sk_set(second, "phone", "+1 555 0199"), SK_OK);
	sk_status s = sk_update(t.db, second, &err);
	if (s != SK_CONFLICT)
		fail_msg("stale update gave %s: %s", sk_status_name(s), err.msg);
	assert_int_equal(err.status, SK_CONFLICT);
	if (!strstr(err.msg, sk_user(t.db)) || !strstr(err.msg, "2026-11-25T14:37:05Z"))
		fail_msg("the message does not name who and when: %s", err.msg);

	/* Nothing was overwritten, nothing audited. */
	sk_record *now = NULL;
	assert_int_equal(sk_get_record(t.db, tb, id, &now, &err), SK_OK);
	assert_string_equal(sk_get(now, "phone"), "+1 555 0100");
	assert_string_equal(sk_get(now, "email"), sk_get(first, "email"));
	assert_int_equal(sk_record_version(now), 2);
	assert_int_equal(audit_count(t.db), n);

	/* Read again, the change goes through. */
	assert_int_equal(sk_set(now, "phone", "+1 555 0199"), SK_OK);
	assert_int_equal(sk_update(t.db, now, &err), SK_OK);
	assert_int_equal(sk_record_version(now), 3);

	/* A record deleted since it was read is gone (update_of_a_deleted_record). */
	assert_int_equal(sk_delete(t.db, tb, id, &err), SK_OK);
	assert_int_equal(sk_set(now, "phone", "+1 555 0123"), SK_OK);
	assert_int_equal(sk_update(t.db, now, &err), SK_GONE);

	sk_record_free(first);
	sk_record_free(second);
	sk_record_free(now);
	tu_close(&t);
}

static void conflict_with_another_process(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	sk_record *rec = tu_valid(t.db, tb, 1);
	long long id = tu_insert(t.db, rec);
	sk_record_free(rec);
	sk_record *mine = NULL;
	sk_err err;
	assert_int_equal(sk_get_record(t.db, tb, id, &mine, &err), SK_OK);

	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Another user, on another connection, in another process. */
		setenv("SSH_CONNECTION", "198.51.100.23 40000 10.0.0.1 22", 1);
		int code = 1;
		sk_db *db = NULL;
		sk_err e;
		sk_record *r = NULL;
		if (sk_open(t.path, 0, &db, &e) == SK_OK &&
		    sk_get_record(db, tb, id, &r, &e) == SK_OK &&
		    sk_set(r, "last_name", "Changed elsewhere") == SK_OK &&
		    sk_update(db, r, &e) == SK_OK)
			code = 0;
		else
			fprintf(stderr, "# child: %s\n", e.msg);
		sk_record_free(r);
		sk_close(db);
		_exit(code);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	assert_int_equal(sk_set(mine, "last_name", "Changed here"), SK_OK);
	sk_status s = sk_update(t.db, mine, &err);
	if (s != SK_CONFLICT)
		fail_msg("stale update gave %s: %s", sk_status_name(s), err.msg);
	if (!strstr(err.msg, "198.51.100.23"))
		fail_msg("the message does not name the other user: %s", err.msg);

	sk_record *now = NULL;
	assert_int_equal(sk_get_record(t.db, tb, id, &now, &err), SK_OK);
	assert_string_equal(sk_get(now, "last_name"), "Changed elsewhere");
	assert_int_equal(sk_record_version(now), 2);
	sk_record_free(now);
	sk_record_free(mine);
	tu_close(&t);
}

static void note_finding(void *ctx, const char *finding)
{
	char *buf = ctx;
	size_t len = strlen(buf);
	snprintf(buf + len, 2048 - len, "%s\n", finding);
}

/* ---- hostile text ----------------------------------------------------------------- */

#define BIG 10240
static char big[BIG + 1];

static const char *const hostile[] = {
	"O'Brien \"the quote\" `tick` ''",
	"'; DROP TABLE personnel; --",
	"Robert'); DROP TABLE students;--",
	"\" OR \"1\"=\"1",
	big,
	"\xF0\x9F\x87\xBA\xF0\x9F\x87\xB8 \xF0\x9F\x91\xA9\xF0\x9F\x8F\xBD\xE2\x80\x8D"
	"\xE2\x9C\x88\xEF\xB8\x8F \xF0\x9F\x98\x80",
	"وزارة الدفاع — משרד הביטחון",
	"\xE2\x80\xAE" "evil\xE2\x80\xAC override, \xE2\x80\x8F" "rlm",
	"e\xCC\x81\xCC\x80\xCC\xA3 Z\xCD\x91\xCC\x80\xCC\xB4 n\xCC\x83",
	"\x1b[2J\x1b[H cleared",
	"\x1b]52;c;ZWNobw==\x07",
	"\x1b]0;title\x07 \xC2\x9B" "31m C1",
	"กระทรวงกลาโหม 国防部 Министерство",
	"  padded\t ",
	"100% _wild_ \\back\\slash",
};
#define NHOSTILE (sizeof hostile / sizeof hostile[0])

static void fill_big(void)
{
	static const char unit[] = "abcdefghijklmnopqrstuvwxyz'\"%_;";
	for (size_t i = 0; i < BIG; i++)
		big[i] = unit[i % (sizeof unit - 1)];
	big[BIG] = '\0';
}

static void hostile_text(void **state)
{
	const sk_table *tb = *state;
	const sk_column *col = free_text_column(tb);
	assert_non_null(col);
	tu_db t;
	tu_open(&t);
	sk_err err;
	long long ids[NHOSTILE];

	for (size_t k = 0; k < NHOSTILE; k++) {
		sk_record *rec = tu_valid(t.db, tb, 100 + (int)k);
		assert_int_equal(sk_set(rec, col->name, hostile[k]), SK_OK);
		ids[k] = tu_insert(t.db, rec);
		sk_record_free(rec);
		rec = NULL;
		assert_int_equal(sk_get_record(t.db, tb, ids[k], &rec, &err), SK_OK);
		const char *v = sk_get(rec, col->name);
		assert_non_null(v);
		assert_int_equal(strlen(v), strlen(hostile[k]));
		assert_memory_equal(v, hostile[k], strlen(hostile[k]));
		sk_record_free(rec);
	}

	/* The same through updates of one record. */
	for (size_t k = 0; k < NHOSTILE; k++) {
		sk_record *rec = NULL;
		assert_int_equal(sk_get_record(t.db, tb, ids[0], &rec, &err), SK_OK);
		const char *v = hostile[(k + 1) % NHOSTILE];
		assert_int_equal(sk_set(rec, col->name, v), SK_OK);
		if (sk_update(t.db, rec, &err) != SK_OK)
			fail_msg("%s: update with hostile value %zu: %s", tb->name, k, err.msg);
		sk_record_free(rec);
		assert_int_equal(sk_get_record(t.db, tb, ids[0], &rec, &err), SK_OK);
		assert_int_equal(strlen(sk_get(rec, col->name)), strlen(v));
		assert_memory_equal(sk_get(rec, col->name), v, strlen(v));
		sk_record_free(rec);
	}

	/* Searching for each finds its record. */
	collected got = {0};
	for (size_t k = 1; k < NHOSTILE; k++) {
		list_into(t.db, tb, &(sk_query){.text = hostile[k]}, &got);
		if (!listed(&got, ids[k]))
			fail_msg("%s: searching for hostile value %zu does not find it", tb->name, k);
	}
	collected_free(&got);

	/* The audit JSON holds them, still valid. */
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM audit_log WHERE NOT json_valid(after)"
	                             " OR (before IS NOT NULL AND NOT json_valid(before))"), 0);
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = 'insert' AND"
	         " table_name = '%s' AND json_extract(after, '$.\"%s\"') = ?", tb->name, col->name);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(sk_sqlite(t.db), sql, -1, &st, NULL), SQLITE_OK);
	for (size_t k = 0; k < NHOSTILE; k++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, hostile[k], -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		if (sqlite3_column_int(st, 0) < 1)
			fail_msg("%s: audit JSON lost hostile value %zu", tb->name, k);
	}
	sqlite3_finalize(st);

	/* Bytes that are not UTF-8 are refused, not stored mangled. */
	sk_record *rec = tu_valid(t.db, tb, 500);
	long long n = rows_in(t.db, tb->name);
	assert_int_equal(sk_set(rec, col->name, "bad \xff\xfe bytes"), SK_OK);
	assert_int_equal(sk_insert(t.db, rec, &err), SK_INVALID);
	assert_int_equal(rows_in(t.db, tb->name), n);
	sk_record_free(rec);

	/* Every table is still there and sound. */
	for (size_t i = 0; i < sk_ntables; i++) {
		snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
		         " AND name = '%s'", sk_tables[i]->name);
		assert_int_equal(tu_int(t.db, sql), 1);
	}
	char findings[2048] = "";
	int nf = sk_check(t.db, note_finding, findings, &err);
	if (nf != 0)
		fail_msg("%d findings:\n%s", nf, findings);
	tu_close(&t);
}

/* ---- listing ----------------------------------------------------------------------- */

static long long add_contact(sk_db *db, const char *last, const char *first,
                             const char *key_leader)
{
	sk_record *rec = sk_record_new(sk_table_find("contacts"));
	assert_non_null(rec);
	assert_int_equal(sk_set(rec, "last_name", last), SK_OK);
	if (first)
		assert_int_equal(sk_set(rec, "first_name", first), SK_OK);
	if (key_leader)
		assert_int_equal(sk_set(rec, "key_leader", key_leader), SK_OK);
	long long id = tu_insert(db, rec);
	sk_record_free(rec);
	return id;
}

static void list_text_filter(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	long long pct = add_contact(t.db, "Alpha%Beta", NULL, NULL);
	long long x = add_contact(t.db, "AlphaXBeta", NULL, NULL);
	long long und = add_contact(t.db, "Gamma_Delta", NULL, NULL);
	long long y = add_contact(t.db, "GammaYDelta", NULL, NULL);
	long long bs = add_contact(t.db, "Back\\slash", NULL, NULL);
	long long q = add_contact(t.db, "O'Hara", "Scarlett", NULL);
	collected got = {0};

	/* a substring, anywhere, any case */
	list_into(t.db, tb, &(sk_query){.text = "lphaX"}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], x);
	list_into(t.db, tb, &(sk_query){.text = "alpha"}, &got);
	assert_int_equal(got.n, 2);
	assert_true(listed(&got, pct) && listed(&got, x));
	list_into(t.db, tb, &(sk_query){.text = "carlet"}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], q);
	/* % and _ are themselves */
	list_into(t.db, tb, &(sk_query){.text = "%"}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], pct);
	list_into(t.db, tb, &(sk_query){.text = "a%b"}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], pct);
	list_into(t.db, tb, &(sk_query){.text = "_"}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], und);
	list_into(t.db, tb, &(sk_query){.text = "a_D"}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], und);
	assert_false(listed(&got, y));
	list_into(t.db, tb, &(sk_query){.text = "\\"}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], bs);
	list_into(t.db, tb, &(sk_query){.text = "'"}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], q);
	assert_int_equal(count_of(t.db, tb, &(sk_query){.text = "%"}), 1);
	assert_int_equal(count_of(t.db, tb, &(sk_query){.text = "Delta"}), 2);
	/* an empty filter is no filter */
	assert_int_equal(count_of(t.db, tb, &(sk_query){.text = ""}), 6);

	/* SQL in the filter is only text */
	static const char *const attacks[] = {
		"' OR '1'='1", "'; DROP TABLE contacts; --", "%' OR 1=1 --",
		"\") OR 1=1 --", "x' UNION SELECT * FROM audit_log --",
	};
	for (size_t i = 0; i < sizeof attacks / sizeof attacks[0]; i++) {
		list_into(t.db, tb, &(sk_query){.text = attacks[i]}, &got);
		if (got.n != 0)
			fail_msg("filter %s matched %d records", attacks[i], got.n);
		assert_int_equal(count_of(t.db, tb, &(sk_query){.text = attacks[i]}), 0);
	}
	assert_int_equal(rows_in(t.db, "contacts"), 6);
	assert_int_equal(count_of(t.db, tb, NULL), 6);

	/* where: equality, and NULL matching NULL */
	list_into(t.db, tb, &(sk_query){.where = {{"first_name", "Scarlett"}}, .nwhere = 1}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], q);
	list_into(t.db, tb, &(sk_query){.where = {{"first_name", NULL}}, .nwhere = 1}, &got);
	assert_int_equal(got.n, 5);
	assert_false(listed(&got, q));
	list_into(t.db, tb, &(sk_query){.where = {{"last_name", "' OR 1=1 --"}}, .nwhere = 1}, &got);
	assert_int_equal(got.n, 0);
	/* text and where together */
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", und);
	list_into(t.db, tb, &(sk_query){.text = "Delta", .where = {{"id", sid}}, .nwhere = 1},
	          &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], und);
	list_into(t.db, tb, &(sk_query){.text = "Alpha", .where = {{"id", sid}}, .nwhere = 1},
	          &got);
	assert_int_equal(got.n, 0);
	sk_err err;
	collected none = {0};
	assert_int_equal(sk_list(t.db, tb, &(sk_query){.where = {{"no_such", "1"}}, .nwhere = 1},
	                         collect, &none, &err), SK_INVALID);
	assert_int_equal(none.n, 0);
	collected_free(&got);
	tu_close(&t);
}

/* Sorting by every column: descending is ascending reversed, every row
 * once, and numbers sort as numbers. */
static void list_sort_every_column(void **state)
{
	const sk_table *tb = *state;
	tu_db t;
	tu_open(&t);
	/* audit_log fills by itself from changes to other tables */
	const sk_table *fill = tb->append_only ? sk_table_find("contacts") : tb;
	for (int k = 0; k < 4; k++) {
		sk_record *rec = tu_valid(t.db, fill, 60 + 7 * k);
		tu_insert(t.db, rec);
		sk_record_free(rec);
	}
	int64_t total = count_of(t.db, tb, NULL);
	assert_true(total >= 4);
	assert_true(total <= 64);
	collected up = {0}, down = {0};
	for (size_t i = 0; i < tb->ncolumns; i++) {
		const sk_column *c = &tb->columns[i];
		up.column = down.column = c->name;
		list_into(t.db, tb, &(sk_query){.sort = c->name}, &up);
		list_into(t.db, tb, &(sk_query){.sort = c->name, .descending = true}, &down);
		assert_int_equal(up.n, total);
		assert_int_equal(down.n, total);
		/* Empty values come last both ways, the rest reversed: the
		 * ascending list is A then E, the descending one A reversed then
		 * E reversed (ties go the sort's way too). */
		bool split = false;
		for (int k = 0; k <= up.n && !split; k++) {
			bool fits = true;
			for (int j = 0; j < k && fits; j++)
				fits = up.ids[j] == down.ids[k - 1 - j];
			for (int j = k; j < up.n && fits; j++)
				fits = up.ids[j] == down.ids[up.n - 1 - (j - k)];
			split = fits;
		}
		if (!split)
			fail_msg("%s sorted by %s: descending is not ascending reversed, empty ones last",
			         tb->name, c->name);
		for (int k = 0; k < up.n; k++)
			for (int j = 0; j < k; j++)
				assert_int_not_equal(up.ids[j], up.ids[k]);
		bool numeric = c->type == SK_T_ID || c->type == SK_T_INT || c->type == SK_T_BOOL ||
		               c->type == SK_T_MONEY;
		for (int k = 1; numeric && k < up.n; k++) {
			if (!up.vals[k - 1] || !up.vals[k])
				assert_null(up.vals[k]); /* empty last */
			else if (strtoll(up.vals[k - 1], NULL, 10) > strtoll(up.vals[k], NULL, 10))
				fail_msg("%s sorted by %s: %s before %s", tb->name, c->name,
				         up.vals[k - 1], up.vals[k]);
		}
	}
	collected_free(&up);
	collected_free(&down);
	tu_close(&t);
}

static void list_sort_and_window(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	static const char *const names[] = {"Baker", "Adams", "Evans", "Clark", "Davis",
	                                    "Grant", "Foster"};
	long long ids[7];
	for (int i = 0; i < 7; i++)
		ids[i] = add_contact(t.db, names[i], NULL, i % 2 ? "1" : "0");
	static const char *const sorted[] = {"Adams", "Baker", "Clark", "Davis", "Evans",
	                                     "Foster", "Grant"};
	collected got = {.column = "last_name"};
	list_into(t.db, tb, &(sk_query){.sort = "last_name"}, &got);
	assert_int_equal(got.n, 7);
	for (int i = 0; i < 7; i++)
		assert_string_equal(got.vals[i], sorted[i]);
	list_into(t.db, tb, &(sk_query){.sort = "last_name", .descending = true}, &got);
	for (int i = 0; i < 7; i++)
		assert_string_equal(got.vals[i], sorted[6 - i]);
	/* no sort: by id; descending: newest first */
	list_into(t.db, tb, NULL, &got);
	for (int i = 0; i < 7; i++)
		assert_int_equal(got.ids[i], ids[i]);
	list_into(t.db, tb, &(sk_query){.descending = true}, &got);
	for (int i = 0; i < 7; i++)
		assert_int_equal(got.ids[i], ids[6 - i]);
	/* ties go by the other name columns (last name), then id; on a
	 * list longer than SCODESK_TIES_MAX, by id alone */
	list_into(t.db, tb, &(sk_query){.sort = "key_leader"}, &got);
	static const int by_leader[] = {0, 4, 2, 6, 1, 3, 5};
	for (int i = 0; i < 7; i++)
		assert_int_equal(got.ids[i], ids[by_leader[i]]);
	setenv("SCODESK_TIES_MAX", "6", 1);
	list_into(t.db, tb, &(sk_query){.sort = "key_leader"}, &got);
	unsetenv("SCODESK_TIES_MAX");
	static const int by_id[] = {0, 2, 4, 6, 1, 3, 5};
	for (int i = 0; i < 7; i++)
		assert_int_equal(got.ids[i], ids[by_id[i]]);

	/* windows over the sorted list */
	list_into(t.db, tb, &(sk_query){.sort = "last_name", .limit = 3}, &got);
	assert_int_equal(got.n, 3);
	assert_string_equal(got.vals[0], "Adams");
	assert_string_equal(got.vals[2], "Clark");
	list_into(t.db, tb, &(sk_query){.sort = "last_name", .limit = 3, .offset = 3}, &got);
	assert_int_equal(got.n, 3);
	assert_string_equal(got.vals[0], "Davis");
	assert_string_equal(got.vals[2], "Foster");
	list_into(t.db, tb, &(sk_query){.sort = "last_name", .limit = 3, .offset = 6}, &got);
	assert_int_equal(got.n, 1);
	assert_string_equal(got.vals[0], "Grant");
	list_into(t.db, tb, &(sk_query){.sort = "last_name", .limit = 3, .offset = 7}, &got);
	assert_int_equal(got.n, 0);
	list_into(t.db, tb, &(sk_query){.sort = "last_name", .offset = 5}, &got);
	assert_int_equal(got.n, 2);
	assert_string_equal(got.vals[0], "Foster");
	list_into(t.db, tb, &(sk_query){.sort = "last_name", .descending = true, .limit = 2,
	                                .offset = 1}, &got);
	assert_int_equal(got.n, 2);
	assert_string_equal(got.vals[0], "Foster");
	assert_string_equal(got.vals[1], "Evans");
	/* the count ignores the window */
	assert_int_equal(count_of(t.db, tb, &(sk_query){.limit = 2, .offset = 1}), 7);

	/* numbers sort as numbers */
	const sk_table *st = sk_table_find("students");
	static const char *const scores[] = {"9", "100", "80", "75"};
	for (int i = 0; i < 4; i++) {
		sk_record *rec = tu_valid(t.db, st, 20 + i);
		assert_int_equal(sk_set(rec, "ecl_score", scores[i]), SK_OK);
		tu_insert(t.db, rec);
		sk_record_free(rec);
	}
	collected sc = {.column = "ecl_score"};
	list_into(t.db, st, &(sk_query){.sort = "ecl_score"}, &sc);
	assert_int_equal(sc.n, 4);
	assert_string_equal(sc.vals[0], "9");
	assert_string_equal(sc.vals[1], "75");
	assert_string_equal(sc.vals[2], "80");
	assert_string_equal(sc.vals[3], "100");
	collected_free(&sc);

	/* an unknown column, or SQL in its place, is refused */
	sk_err err;
	collected none = {0};
	assert_int_equal(sk_list(t.db, tb, &(sk_query){.sort = "shoe_size"}, collect, &none, &err),
	                 SK_INVALID);
	assert_string_equal(err.field, "shoe_size");
	assert_non_null(strstr(err.msg, "shoe_size"));
	assert_int_equal(sk_list(t.db, tb, &(sk_query){.sort = "last_name; DROP TABLE contacts"},
	                         collect, &none, &err), SK_INVALID);
	assert_int_equal(sk_list(t.db, tb, &(sk_query){.sort = "1"}, collect, &none, &err),
	                 SK_INVALID);
	assert_int_equal(none.n, 0);
	assert_int_equal(rows_in(t.db, "contacts"), 7);
	collected_free(&got);
	tu_close(&t);
}

static long long add_engagement(sk_db *db, const char *date, const char *links)
{
	sk_record *rec = sk_record_new(sk_table_find("engagements"));
	assert_non_null(rec);
	assert_int_equal(sk_set(rec, "date", date), SK_OK);
	assert_int_equal(sk_set(rec, "type", "office_call"), SK_OK);
	assert_int_equal(sk_set(rec, "contact_ids", links), SK_OK);
	long long id = tu_insert(db, rec);
	sk_record_free(rec);
	return id;
}

static void list_where_links(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("engagements");
	long long c1 = add_contact(t.db, "Haddad", NULL, "1");
	long long c2 = add_contact(t.db, "Nasser", NULL, NULL);
	long long c3 = add_contact(t.db, "Khoury", NULL, NULL);
	char l12[48], l2[24], l3[24], s1[24], s2[24], s3[24];
	snprintf(l12, sizeof l12, "%lld;%lld", c2, c1); /* out of order on purpose */
	snprintf(l2, sizeof l2, "%lld", c2);
	snprintf(l3, sizeof l3, "%lld", c3);
	snprintf(s1, sizeof s1, "%lld", c1);
	snprintf(s2, sizeof s2, "%lld", c2);
	snprintf(s3, sizeof s3, "%lld", c3);
	long long a = add_engagement(t.db, "2026-10-01", l12);
	long long b = add_engagement(t.db, "2026-10-15", l2);
	long long c = add_engagement(t.db, "2026-11-02", l3);

	sk_record *rec = NULL;
	sk_err err;
	assert_int_equal(sk_get_record(t.db, tb, a, &rec, &err), SK_OK);
	char want[48];
	snprintf(want, sizeof want, "%lld;%lld", c1, c2);
	assert_string_equal(sk_get(rec, "contact_ids"), want);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM engagement_contacts"), 4);

	collected got = {0};
	list_into(t.db, tb, &(sk_query){.where = {{"contact_ids", s2}}, .nwhere = 1}, &got);
	assert_int_equal(got.n, 2);
	assert_true(listed(&got, a) && listed(&got, b));
	list_into(t.db, tb, &(sk_query){.where = {{"contact_ids", s1}}, .nwhere = 1}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], a);
	list_into(t.db, tb, &(sk_query){.where = {{"contact_ids", s3}}, .nwhere = 1}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], c);
	list_into(t.db, tb, &(sk_query){.where = {{"contact_ids", "999"}}, .nwhere = 1}, &got);
	assert_int_equal(got.n, 0);
	/* two conditions together */
	list_into(t.db, tb, &(sk_query){.where = {{"contact_ids", s2}, {"date", "2026-10-15"}},
	                                .nwhere = 2}, &got);
	assert_int_equal(got.n, 1);
	assert_int_equal(got.ids[0], b);
	assert_int_equal(count_of(t.db, tb, &(sk_query){.where = {{"contact_ids", s2}},
	                                                .nwhere = 1}), 2);

	/* Changing the links moves the engagement between the lists. */
	assert_int_equal(sk_set(rec, "contact_ids", s3), SK_OK);
	long long mark = max_audit_id(t.db);
	assert_int_equal(sk_update(t.db, rec, &err), SK_OK);
	expect_audit(t.db, mark, "update", "engagements", a);
	expect_audit_member(t.db, "before", "contact_ids", want);
	expect_audit_member(t.db, "after", "contact_ids", s3);
	list_into(t.db, tb, &(sk_query){.where = {{"contact_ids", s3}}, .nwhere = 1}, &got);
	assert_int_equal(got.n, 2);
	assert_true(listed(&got, a) && listed(&got, c));
	list_into(t.db, tb, &(sk_query){.where = {{"contact_ids", s1}}, .nwhere = 1}, &got);
	assert_int_equal(got.n, 0);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM engagement_contacts"), 3);
	sk_record_free(rec);
	collected_free(&got);
	tu_close(&t);
}

/* ---- transactions ------------------------------------------------------------------- */

static void rollback_keeps_nothing(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	sk_err err;
	long long audit = audit_count(t.db);

	assert_int_equal(sk_begin(t.db, &err), SK_OK);
	sk_record *a = tu_valid(t.db, tb, 1), *b = tu_valid(t.db, tb, 2);
	assert_int_equal(sk_insert(t.db, a, &err), SK_OK);
	assert_int_equal(sk_insert(t.db, b, &err), SK_OK);
	long long ida = sk_record_id(a), idb = sk_record_id(b);
	/* inside, both are there */
	assert_int_equal(rows_in(t.db, "contacts"), 2);
	sk_rollback(t.db);
	assert_int_equal(rows_in(t.db, "contacts"), 0);
	assert_int_equal(audit_count(t.db), audit);
	sk_record *r = NULL;
	assert_int_equal(sk_get_record(t.db, tb, ida, &r, &err), SK_NOTFOUND);
	assert_int_equal(sk_get_record(t.db, tb, idb, &r, &err), SK_NOTFOUND);
	sk_record_free(a);
	sk_record_free(b);

	/* the same, committed, keeps both, with their audit entries */
	assert_int_equal(sk_begin(t.db, &err), SK_OK);
	a = tu_valid(t.db, tb, 3);
	b = tu_valid(t.db, tb, 4);
	assert_int_equal(sk_insert(t.db, a, &err), SK_OK);
	assert_int_equal(sk_insert(t.db, b, &err), SK_OK);
	assert_int_equal(sk_commit(t.db, &err), SK_OK);
	assert_int_equal(rows_in(t.db, "contacts"), 2);
	assert_int_equal(audit_count(t.db), audit + 2);
	sk_record_free(a);
	sk_record_free(b);

	/* a commit with nothing begun is an error */
	assert_int_not_equal(sk_commit(t.db, &err), SK_OK);
	tu_close(&t);
}

static void invalid_insert_leaves_nothing(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_err err;
	long long audit = audit_count(t.db);
	const sk_table *tb = sk_table_find("personnel");
	long long persons = rows_in(t.db, "personnel");

	sk_record *rec = tu_valid(t.db, tb, 1);
	assert_int_equal(sk_set(rec, "service", "marines"), SK_OK);
	assert_int_equal(sk_insert(t.db, rec, &err), SK_INVALID);
	assert_string_equal(err.field, "service");
	sk_record_free(rec);

	rec = tu_valid(t.db, tb, 2);
	assert_int_equal(sk_set(rec, "last_name", ""), SK_OK);
	assert_int_equal(sk_insert(t.db, rec, &err), SK_INVALID);
	assert_string_equal(err.field, "last_name");
	sk_record_free(rec);

	rec = tu_valid(t.db, tb, 3);
	assert_int_equal(sk_set(rec, "billet_number", "NO-SUCH-BILLET"), SK_OK);
	assert_int_equal(sk_insert(t.db, rec, &err), SK_INVALID);
	sk_record_free(rec);

	/* tu_valid inserted the referenced billets; nothing else was added */
	assert_int_equal(rows_in(t.db, "personnel"), persons);
	assert_int_equal(audit_count(t.db), audit + rows_in(t.db, "billets"));
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM audit_log WHERE table_name ="
	                             " 'personnel'"), 0);

	/* The connection is still usable: no transaction left open. */
	assert_int_equal(sqlite3_get_autocommit(sk_sqlite(t.db)), 1);
	rec = tu_valid(t.db, tb, 4);
	tu_insert(t.db, rec);
	sk_record_free(rec);
	assert_int_equal(rows_in(t.db, "personnel"), persons + 1);
	tu_close(&t);
}

/*
 * Inside one transaction, a change that fails must not end the
 * transaction behind the caller's back: later changes still belong to it,
 * and the caller's rollback undoes them all ("only the outermost commit
 * writes").
 */
static void failed_change_inside_transaction(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	sk_err err;
	long long audit = audit_count(t.db);

	assert_int_equal(sk_begin(t.db, &err), SK_OK);
	sk_record *a = tu_valid(t.db, tb, 1);
	assert_int_equal(sk_insert(t.db, a, &err), SK_OK);
	sk_record *bad = tu_valid(t.db, tb, 2);
	assert_int_equal(sk_set(bad, "key_leader", "maybe"), SK_OK);
	assert_int_equal(sk_insert(t.db, bad, &err), SK_INVALID);
	sk_record *c = tu_valid(t.db, tb, 3);
	sk_status s = sk_insert(t.db, c, &err);
	sk_rollback(t.db);
	sk_record_free(a);
	sk_record_free(bad);
	sk_record_free(c);
	long long rows = rows_in(t.db, "contacts"), audits = audit_count(t.db);
	tu_close(&t);
	if (rows != 0 || audits != audit)
		fail_msg("after the caller's rollback %lld contacts and %lld audit entries remain"
		         " (third insert: %s): a failed insert ended the caller's transaction and"
		         " the next insert committed on its own", rows, audits - audit,
		         sk_status_name(s));
}

/* ---- a save that fails keeps the form ----------------------------------------- */

/* Every value of a and b the same (NULL apart from "")? */
static bool same_record(const sk_record *a, const sk_record *b)
{
	for (size_t i = 0; i < a->table->ncolumns; i++)
		if (!same(a->values[i], b->values[i]))
			return false;
	return true;
}

/*
 * A save refused at its commit (the file may not grow: the same error as
 * a full disk, EFBIG) leaves the record it was given exactly as it was,
 * same version; once the file may grow again, the same record saves, as
 * the next version. Before, the record came back with the version of the
 * rolled-back transaction, and every retry was a conflict with itself.
 */
static void failed_save_keeps_the_record(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	sk_record *rec = tu_valid(t.db, tb, 1);
	long long id = tu_insert(t.db, rec);
	sk_record_free(rec);
	sk_record *form = NULL;
	sk_err err;
	assert_int_equal(sk_get_record(t.db, tb, id, &form, &err), SK_OK);
	assert_int_equal(sk_set(form, "notes", "typed in the form"), SK_OK);
	sk_record *before = sk_record_dup(form);
	assert_non_null(before);
	long long audit = audit_count(t.db);

	/* The commit appends to the -wal: no byte more may be written. */
	char wal[400];
	snprintf(wal, sizeof wal, "%s-wal", t.path);
	struct stat st;
	assert_int_equal(stat(wal, &st), 0);
	struct rlimit old, small;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = (rlim_t)st.st_size;
	void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	sk_status s = sk_update(t.db, form, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, prev);
	if (s != SK_IO)
		fail_msg("a save that cannot be written: %s: %s", sk_status_name(s), err.msg);
	if (!same_record(form, before))
		fail_msg("the failed save changed the record: version %lld, read as %lld",
		         (long long)sk_record_version(form), (long long)sk_record_version(before));
	assert_int_equal(audit_count(t.db), audit);

	/* Room again: the same Enter saves. */
	s = sk_update(t.db, form, &err);
	if (s != SK_OK)
		fail_msg("the same save once the file may grow: %s: %s", sk_status_name(s), err.msg);
	assert_int_equal(sk_record_version(form), sk_record_version(before) + 1);
	assert_string_equal(sk_get(form, "notes"), "typed in the form");
	assert_int_equal(audit_count(t.db), audit + 1);

	/* A new record whose insert fails comes back without an id. */
	sk_record *fresh = tu_valid(t.db, tb, 2);
	sk_record *fresh_before = sk_record_dup(fresh);
	assert_int_equal(stat(wal, &st), 0);
	small.rlim_cur = (rlim_t)st.st_size;
	prev = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	s = sk_insert(t.db, fresh, &err);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, prev);
	assert_int_equal(s, SK_IO);
	assert_true(same_record(fresh, fresh_before));
	assert_int_equal(sk_insert(t.db, fresh, &err), SK_OK);
	assert_true(sk_record_id(fresh) > 0);
	sk_record_free(fresh);
	sk_record_free(fresh_before);
	sk_record_free(form);
	sk_record_free(before);
	tu_close(&t);
}

/*
 * A save that waits past the timeout for another connection's write lock
 * is refused as busy, leaves the record as it was, and goes through once
 * the lock is gone.
 */
static void busy_save_keeps_the_record(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	sk_record *rec = tu_valid(t.db, tb, 1);
	long long id = tu_insert(t.db, rec);
	sk_record_free(rec);
	sk_record *form = NULL;
	sk_err err;
	assert_int_equal(sk_get_record(t.db, tb, id, &form, &err), SK_OK);
	assert_int_equal(sk_set(form, "notes", "typed while another user writes"), SK_OK);
	sk_record *before = sk_record_dup(form);
	assert_non_null(before);

	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(t.path, &other), SQLITE_OK);
	tu_exec(other, "BEGIN IMMEDIATE");
	sk_status s = sk_update(t.db, form, &err);
	tu_exec(other, "ROLLBACK");
	sqlite3_close(other);
	if (s != SK_BUSY)
		fail_msg("a save while another holds the lock: %s: %s", sk_status_name(s), err.msg);
	assert_true(same_record(form, before));
	s = sk_update(t.db, form, &err);
	if (s != SK_OK)
		fail_msg("the same save once the lock is gone: %s: %s", sk_status_name(s), err.msg);
	assert_int_equal(sk_record_version(form), sk_record_version(before) + 1);
	sk_record_free(form);
	sk_record_free(before);
	tu_close(&t);
}

/* ---- the vetting rule ----------------------------------------------------------------- */

static void expect_vetting_refusal(sk_status s, const sk_err *err, const char *status,
                                   const char *leahy)
{
	if (s != SK_INVALID)
		fail_msg("status %s with vetting %s: got %s (%s)", status, leahy,
		         sk_status_name(s), err->msg);
	assert_string_equal(err->field, "status");
	if (!strstr(err->msg, "students") || !strstr(err->msg, "\"status\"") ||
	    !strstr(err->msg, "approved"))
		fail_msg("the message does not explain: %s", err->msg);
}

static void vetting_rule(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("students");
	static const char *const gated[] = {"ito_issued", "in_training", "completed"};
	static const char *const unapproved[] = {"not_submitted", "pending", "denied", "expired"};
	sk_err err;
	int seed = 1;

	/* insert straight into a gated status */
	for (size_t i = 0; i < 3; i++) {
		for (size_t j = 0; j < 4; j++) {
			sk_record *rec = tu_valid(t.db, tb, seed++);
			assert_int_equal(sk_set(rec, "status", gated[i]), SK_OK);
			assert_int_equal(sk_set(rec, "leahy_status", unapproved[j]), SK_OK);
			sk_status s = sk_insert(t.db, rec, &err);
			sk_record_free(rec);
			expect_vetting_refusal(s, &err, gated[i], unapproved[j]);
		}
		sk_record *rec = tu_valid(t.db, tb, seed++);
		assert_int_equal(sk_set(rec, "status", gated[i]), SK_OK);
		assert_int_equal(sk_set(rec, "leahy_status", NULL), SK_OK);
		sk_status s = sk_insert(t.db, rec, &err);
		sk_record_free(rec);
		/* an empty vetting status is refused one way or the other */
		assert_int_equal(s, SK_INVALID);
	}
	assert_int_equal(rows_in(t.db, "students"), 0);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM audit_log WHERE table_name = 'students'"),
	                 0);

	/* with approved vetting they go in */
	for (size_t i = 0; i < 3; i++) {
		sk_record *rec = tu_valid(t.db, tb, seed++);
		assert_int_equal(sk_set(rec, "status", gated[i]), SK_OK);
		assert_int_equal(sk_set(rec, "leahy_status", "approved"), SK_OK);
		tu_insert(t.db, rec);
		sk_record_free(rec);
	}
	assert_int_equal(rows_in(t.db, "students"), 3);

	/* update: screened -> ito_issued needs approval first */
	sk_record *rec = tu_valid(t.db, tb, seed++);
	assert_int_equal(sk_set(rec, "status", "screened"), SK_OK);
	assert_int_equal(sk_set(rec, "leahy_status", "pending"), SK_OK);
	long long id = tu_insert(t.db, rec);
	long long audit = audit_count(t.db);
	for (size_t i = 0; i < 3; i++) {
		sk_record_free(rec);
		assert_int_equal(sk_get_record(t.db, tb, id, &rec, &err), SK_OK);
		assert_int_equal(sk_set(rec, "status", gated[i]), SK_OK);
		expect_vetting_refusal(sk_update(t.db, rec, &err), &err, gated[i], "pending");
	}
	sk_record_free(rec);
	assert_int_equal(sk_get_record(t.db, tb, id, &rec, &err), SK_OK);
	assert_string_equal(sk_get(rec, "status"), "screened");
	assert_int_equal(sk_record_version(rec), 1);
	assert_int_equal(audit_count(t.db), audit);

	/* approval and the new status in one change is fine */
	assert_int_equal(sk_set(rec, "leahy_status", "approved"), SK_OK);
	assert_int_equal(sk_set(rec, "status", "ito_issued"), SK_OK);
	if (sk_update(t.db, rec, &err) != SK_OK)
		fail_msg("approved and ito_issued refused: %s", err.msg);
	assert_int_equal(sk_record_version(rec), 2);
	/* and onward */
	assert_int_equal(sk_set(rec, "status", "in_training"), SK_OK);
	assert_int_equal(sk_update(t.db, rec, &err), SK_OK);
	assert_string_equal(sk_get(rec, "status"), "in_training");
	sk_record_free(rec);
	tu_close(&t);
}

/* ---- main ------------------------------------------------------------------------------- */

int main(void)
{
	fill_big();
	static struct CMUnitTest tests[64];
	static char names[64][64];
	size_t n = 0;
	for (size_t i = 0; i < sk_ntables && n + 3 < 64; i++) {
		const sk_table *tb = sk_tables[i];
		if (!tb->append_only) {
			snprintf(names[n], sizeof names[n], "lifecycle_%s", tb->name);
			tests[n] = (struct CMUnitTest){names[n], lifecycle, NULL, NULL, (void *)tb};
			n++;
			snprintf(names[n], sizeof names[n], "hostile_text_%s", tb->name);
			tests[n] = (struct CMUnitTest){names[n], hostile_text, NULL, NULL, (void *)tb};
			n++;
		}
		snprintf(names[n], sizeof names[n], "list_sort_every_column_%s", tb->name);
		tests[n] = (struct CMUnitTest){names[n], list_sort_every_column, NULL, NULL,
		                               (void *)tb};
		n++;
	}
	const struct CMUnitTest fixed[] = {
		cmocka_unit_test(unchanged_update_is_quiet),
		cmocka_unit_test(missing_records),
		cmocka_unit_test(audit_log_is_append_only),
		cmocka_unit_test(audit_user_names_ssh_client),
		cmocka_unit_test(version_conflict),
		cmocka_unit_test(update_of_a_deleted_record),
		cmocka_unit_test(merge_of_two_changes),
		cmocka_unit_test(conflict_with_another_process),
		cmocka_unit_test(list_text_filter),
		cmocka_unit_test(list_sort_and_window),
		cmocka_unit_test(list_where_links),
		cmocka_unit_test(rollback_keeps_nothing),
		cmocka_unit_test(invalid_insert_leaves_nothing),
		cmocka_unit_test(failed_change_inside_transaction),
		cmocka_unit_test(failed_save_keeps_the_record),
		cmocka_unit_test(busy_save_keeps_the_record),
		cmocka_unit_test(vetting_rule),
	};
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && n < 64; i++)
		tests[n++] = fixed[i];
	return _cmocka_run_group_tests("test_records", tests, n, NULL, NULL);
}
