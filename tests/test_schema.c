/*
 * test_schema.c: the database file, its connection settings, the schema
 * built from the table descriptions, migrations, refused files and
 * settings.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

/* ---- helpers ------------------------------------------------------------- */

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *c = NULL;
	if (sqlite3_open_v2(path, &c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK)
		fail_msg("raw open of %s failed: %s", path, c ? sqlite3_errmsg(c) : "?");
	return c;
}

static int count_rows(sk_db *db, const char *table)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
	return (int)tu_q_int(sk_sqlite(db), sql);
}

/*
 * Inserts a valid row into tb with raw SQL, from the description alone
 * (no record.c involved): references point at the latest row of the
 * referenced table, which must exist. seed keeps unique values apart.
 * Returns the new id.
 */
static long long raw_row(sqlite3 *c, const sk_table *tb, int seed)
{
	char sql[4096], vals[2048];
	int n = snprintf(sql, sizeof sql, "INSERT INTO \"%s\" (", tb->name);
	int m = 0;
	int nparams = 0;
	const sk_column *params[64];
	for (size_t i = 0; i < tb->ncolumns; i++) {
		const sk_column *col = &tb->columns[i];
		if (!sk_column_stored(col) || col->type == SK_T_ID)
			continue;
		n += snprintf(sql + n, sizeof sql - (size_t)n, "%s\"%s\"", nparams ? ", " : "",
		              col->name);
		m += snprintf(vals + m, sizeof vals - (size_t)m, "%s?", nparams ? ", " : "");
		params[nparams++] = col;
	}
	snprintf(sql + n, sizeof sql - (size_t)n, ") VALUES (%s)", vals);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(c));
	for (int k = 0; k < nparams; k++) {
		const sk_column *col = params[k];
		char buf[128];
		switch (col->type) {
		case SK_T_TEXT:
			if (col->check == sk_check_grade)
				snprintf(buf, sizeof buf, "O-3");
			else if (col->check == sk_check_case_id)
				snprintf(buf, sizeof buf, "ZZ-B-%03d", seed % 1000);
			else if (strcmp(col->name, "implementing_agency") == 0)
				snprintf(buf, sizeof buf, "B");
			else if (strcmp(col->name, "key") == 0)
				snprintf(buf, sizeof buf, "raw_key_%d", seed);
			else
				snprintf(buf, sizeof buf, "%s %d", col->name, seed);
			sqlite3_bind_text(st, k + 1, buf, -1, SQLITE_TRANSIENT);
			break;
		case SK_T_INT:
			sqlite3_bind_int64(st, k + 1, col->min < col->max ? col->min : 1);
			break;
		case SK_T_BOOL:
			sqlite3_bind_int64(st, k + 1, 0);
			break;
		case SK_T_MONEY:
			sqlite3_bind_int64(st, k + 1, 100);
			break;
		case SK_T_DATE:
			sqlite3_bind_text(st, k + 1, "2026-01-15", -1, SQLITE_STATIC);
			break;
		case SK_T_TIMESTAMP:
			if (strcmp(col->name, "deleted_at") == 0)
				sqlite3_bind_null(st, k + 1);
			else
				sqlite3_bind_text(st, k + 1, "2026-01-15T10:00:00Z", -1, SQLITE_STATIC);
			break;
		case SK_T_ENUM:
			sqlite3_bind_text(st, k + 1, col->def ? col->def
			                  : col->enumeration->values[0].code, -1, SQLITE_STATIC);
			break;
		case SK_T_REF:
		case SK_T_KEYREF: {
			char q[256];
			snprintf(q, sizeof q, "SELECT \"%s\" FROM \"%s\" ORDER BY id DESC LIMIT 1",
			         col->type == SK_T_REF ? "id" : col->ref_column, col->ref_table);
			char *v = tu_q_text(c, q);
			if (col->type == SK_T_REF)
				sqlite3_bind_int64(st, k + 1, strtoll(v, NULL, 10));
			else
				sqlite3_bind_text(st, k + 1, v, -1, SQLITE_TRANSIENT);
			free(v);
			break;
		}
		default:
			break;
		}
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		fail_msg("raw insert into %s: %s", tb->name, sqlite3_errmsg(c));
	sqlite3_finalize(st);
	return sqlite3_last_insert_rowid(c);
}

/* A raw row of every table, parents first; ids[i] is sk_tables[i]'s. */
static void raw_rows(sqlite3 *c, int seed, long long *ids)
{
	for (size_t i = 0; i < sk_ntables; i++)
		ids[i] = raw_row(c, sk_tables[i], seed);
	/* and one link */
	tu_exec(c, "INSERT INTO engagement_contacts SELECT max(e.id), max(k.id)"
	            " FROM engagements e, contacts k");
}

/* Everything about a file that "left untouched" covers. */
typedef struct snapshot {
	char *data;
	size_t size;
	struct stat st;
	char listing[1024]; /* names in its folder, sorted, '/'-joined */
} snapshot;

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void folder_listing(const char *dir, char *out, size_t size)
{
	char *names[64];
	size_t n = 0;
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	while ((e = readdir(d)) && n < 64)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof names[0], name_cmp);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s/", names[i]);
		free(names[i]);
	}
}

/* Sets the file's times to a fixed moment long ago, so that any write
 * shows in its mtime. */
static void age_file(const char *path)
{
	struct timespec ts[2] = {{.tv_sec = 1577836800, .tv_nsec = 0},
	                         {.tv_sec = 1577836800, .tv_nsec = 0}};
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void take_snapshot(const char *dir, const char *path, snapshot *s)
{
	memset(s, 0, sizeof *s);
	assert_int_equal(stat(path, &s->st), 0);
	if (S_ISREG(s->st.st_mode)) {
		s->data = tu_slurp(path, &s->size);
		assert_non_null(s->data);
	}
	folder_listing(dir, s->listing, sizeof s->listing);
}

static void assert_untouched(const char *dir, const char *path, snapshot *before)
{
	snapshot after;
	take_snapshot(dir, path, &after);
	assert_int_equal(after.st.st_size, before->st.st_size);
	assert_int_equal(after.size, before->size);
	if (before->data)
		assert_memory_equal(after.data, before->data, before->size);
	assert_int_equal(after.st.st_mtim.tv_sec, before->st.st_mtim.tv_sec);
	assert_int_equal(after.st.st_mtim.tv_nsec, before->st.st_mtim.tv_nsec);
	assert_int_equal(after.st.st_mode, before->st.st_mode);
	assert_string_equal(after.listing, before->listing);
	free(after.data);
	free(before->data);
	before->data = NULL;
}

static void collect_finding(void *ctx, const char *finding)
{
	char *buf = ctx;
	size_t len = strlen(buf);
	snprintf(buf + len, 4096 - len, "%s\n", finding);
}


/* ---- a fresh database ------------------------------------------------------ */

static void fresh_database_settings(void **state)
{
	(void)state;
	/* With no umask at all, any looser mode would show. */
	mode_t old = umask(0);
	tu_db t;
	tu_open(&t);
	umask(old);
	sqlite3 *c = sk_sqlite(t.db);

	assert_int_equal(tu_q_int(c, "PRAGMA user_version"), SK_SCHEMA_VERSION);
	assert_int_equal(sk_schema_version(t.db), SK_SCHEMA_VERSION);
	assert_int_equal(tu_q_int(c, "PRAGMA application_id"), SK_APPLICATION_ID);
	char *mode = tu_q_text(c, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	assert_int_equal(tu_q_int(c, "PRAGMA foreign_keys"), 1);
	/* The wait for a busy database is scodesk's own busy handler (so the
	 * interface can say it waits); busy_after_timeout checks its length. */
	/* synchronous = FULL is 2 */
	assert_int_equal(tu_q_int(c, "PRAGMA synchronous"), 2);
	assert_false(sk_readonly(t.db));
	assert_string_equal(sk_path(t.db), t.path);

	struct stat st;
	assert_int_equal(stat(t.path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	tu_close(&t);
}

/* A write makes the -wal file exist; it must be as private as the file. */
static void fresh_database_wal_mode(void **state)
{
	(void)state;
	mode_t old = umask(0);
	tu_db t;
	tu_open(&t);
	sk_record *rec = tu_valid(t.db, sk_table_find("contacts"), 1);
	tu_insert(t.db, rec);
	sk_record_free(rec);
	umask(old);

	char wal[400], shm[400];
	snprintf(wal, sizeof wal, "%s-wal", t.path);
	snprintf(shm, sizeof shm, "%s-shm", t.path);
	struct stat st;
	assert_int_equal(stat(wal, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(shm, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(t.path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	tu_close(&t);
}

static void missing_folders_created_private(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	char sub[400], subsub[400], path[450];
	snprintf(sub, sizeof sub, "%s/office", t.dir);
	snprintf(subsub, sizeof subsub, "%s/office/data", t.dir);
	snprintf(path, sizeof path, "%s/scodesk.db", subsub);

	mode_t old = umask(0);
	sk_db *db = NULL;
	sk_err err;
	sk_status s = sk_open(path, SK_OPEN_CREATE, &db, &err);
	umask(old);
	if (s != SK_OK)
		fail_msg("open %s: %s", path, err.msg);
	assert_int_equal(sk_schema_version(db), SK_SCHEMA_VERSION);
	sk_close(db);

	struct stat st;
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(subsub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* It opens again without SK_OPEN_CREATE. */
	assert_int_equal(sk_open(path, 0, &db, &err), SK_OK);
	sk_close(db);

	char p[500];
	const char *files[] = {"scodesk.db", "scodesk.db-wal", "scodesk.db-shm"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s/%s", subsub, files[i]);
		unlink(p);
	}
	rmdir(subsub);
	rmdir(sub);
	tu_close(&t);
}

/* ---- migrations ---------------------------------------------------------------- */

static void migrations_from_every_version(void **state)
{
	(void)state;
	tu_db fresh;
	tu_open(&fresh);
	char *want = tu_schema(sk_sqlite(fresh.db));
	assert_non_null(want);

	for (int v = 0; v < SK_SCHEMA_VERSION; v++) {
		tu_db t;
		tu_mkdir(&t);
		sk_err err;
		sk_status s = sk_open(t.path, SK_OPEN_CREATE | SK_OPEN_NO_MIGRATE, &t.db, &err);
		if (s != SK_OK)
			fail_msg("version %d: open: %s", v, err.msg);
		assert_int_equal(sk_schema_version(t.db), 0);
		s = sk_migrate(t.db, v, &err);
		if (s != SK_OK)
			fail_msg("version %d: migrate: %s", v, err.msg);
		assert_int_equal(sk_schema_version(t.db), v);
		if (v >= 1)
			assert_int_equal(tu_q_int(sk_sqlite(t.db), "PRAGMA application_id"),
			                 SK_APPLICATION_ID);
		sk_close(t.db);
		t.db = NULL;

		/* Opening it read-only cannot upgrade it, and says so. */
		sk_db *ro = NULL;
		assert_int_equal(sk_open(t.path, SK_OPEN_READONLY, &ro, &err), SK_READONLY);
		assert_null(ro);
		assert_non_null(strstr(err.msg, t.path));

		s = sk_open(t.path, 0, &t.db, &err);
		if (s != SK_OK)
			fail_msg("version %d: reopen: %s", v, err.msg);
		sqlite3 *c = sk_sqlite(t.db);
		assert_int_equal(tu_q_int(c, "PRAGMA user_version"), SK_SCHEMA_VERSION);
		assert_int_equal(tu_q_int(c, "PRAGMA application_id"), SK_APPLICATION_ID);
		char findings[4096] = "";
		int n = sk_check(t.db, collect_finding, findings, &err);
		if (n != 0)
			fail_msg("version %d upgraded: %d findings:\n%s%s", v, n, findings,
			         n < 0 ? err.msg : "");
		/* Same tables, columns, checks and indexes as a new file. */
		char *got = tu_schema(c);
		assert_non_null(got);
		if (strcmp(got, want) != 0)
			fail_msg("version %d upgraded differs from a fresh file:\n%s\n---\n%s",
			         v, got, want);
		free(got);
		/* And it works: a contact and an engagement linked to it go in. */
		sk_record *rec = tu_valid(t.db, sk_table_find("contacts"), v);
		long long contact = tu_insert(t.db, rec);
		sk_record_free(rec);
		rec = sk_record_new(sk_table_find("engagements"));
		assert_non_null(rec);
		char link[24];
		snprintf(link, sizeof link, "%lld", contact);
		assert_int_equal(sk_set(rec, "date", "2026-11-20"), SK_OK);
		assert_int_equal(sk_set(rec, "type", "kle"), SK_OK);
		assert_int_equal(sk_set(rec, "contact_ids", link), SK_OK);
		tu_insert(t.db, rec);
		assert_string_equal(sk_get(rec, "contact_ids"), link);
		sk_record_free(rec);
		tu_close(&t);
	}
	free(want);
	tu_close(&fresh);
}

/*
 * Version 6 gives a program that is not a case its own statuses and a
 * student Returned: the CHECKs widen in place, the rows of programs that
 * are not cases take the status that says the same of them, cases keep
 * theirs, and a connection that was open before the upgrade writes the
 * new codes too. The defensive mode is back on afterwards.
 */
static void migration_6_program_statuses(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	sk_err err;
	assert_int_equal(sk_open(t.path, SK_OPEN_CREATE | SK_OPEN_NO_MIGRATE, &t.db, &err), SK_OK);
	assert_int_equal(sk_migrate(t.db, 5, &err), SK_OK);
	sqlite3 *c = sk_sqlite(t.db);
	static const struct {
		const char *authority, *status, *deleted, *want;
	} rows[] = {
		{"imet", "implemented", NULL, "active"},
		{"s345", "lor_received", NULL, "planned"},
		{"incle", "development", NULL, "planned"},
		{"cn", "accepted", NULL, "planned"},
		{"other", "supply_complete", NULL, "complete"},
		{"imet", "closed", "2026-02-01T00:00:00Z", "complete"},
		{"imet", "cancelled", NULL, "cancelled"},
		{"fms", "implemented", NULL, "implemented"},
		{"s333", "lor_received", NULL, "lor_received"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(c, "INSERT INTO programs(id, authority, title, status,"
		                                    " created_at, updated_at, version, deleted_at)"
		                                    " VALUES (?, ?, 'p', ?, '2026-01-15T10:00:00Z',"
		                                    " '2026-01-15T10:00:00Z', 1, ?)", -1, &st, NULL),
		                 SQLITE_OK);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 2, rows[i].authority, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rows[i].status, -1, SQLITE_STATIC);
		if (rows[i].deleted)
			sqlite3_bind_text(st, 4, rows[i].deleted, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			fail_msg("row %zu: %s", i, sqlite3_errmsg(c));
		sqlite3_finalize(st);
	}
	/* version 5 knows no Active */
	assert_int_not_equal(sqlite3_exec(c, "UPDATE programs SET status = 'active' WHERE id = 1",
	                                  NULL, NULL, NULL), SQLITE_OK);
	/* another user's connection, open across the upgrade */
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open_v2(t.path, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(tu_q_int(other, "SELECT count(*) FROM programs"), 9);

	assert_int_equal(sk_migrate(t.db, 6, &err), SK_OK);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char q[80];
		snprintf(q, sizeof q, "SELECT status FROM programs WHERE id = %zu", i + 1);
		char *got = tu_q_text(c, q);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("%s in %s became %s, not %s", rows[i].authority, rows[i].status, got,
			         rows[i].want);
		free(got);
	}
	/* the other connection reads the new schema before its next write */
	if (sqlite3_exec(other, "UPDATE programs SET status = 'complete' WHERE id = 1", NULL, NULL,
	                 NULL) != SQLITE_OK)
		fail_msg("the connection open across the upgrade: %s", sqlite3_errmsg(other));
	sqlite3_close(other);
	/* still a CHECK: a code no version has is refused */
	assert_int_not_equal(sqlite3_exec(c, "UPDATE programs SET status = 'bogus' WHERE id = 1",
	                                  NULL, NULL, NULL), SQLITE_OK);
	/* and the connection is defensive again: no writing the schema */
	sqlite3_exec(c, "PRAGMA writable_schema = ON", NULL, NULL, NULL);
	assert_int_not_equal(sqlite3_exec(c, "UPDATE sqlite_schema SET sql = sql WHERE name = 'programs'",
	                                  NULL, NULL, NULL), SQLITE_OK);
	char findings[4096] = "";
	int n = sk_check(t.db, collect_finding, findings, &err);
	if (n != 0)
		fail_msg("upgraded: %d findings:\n%s", n, findings);
	tu_close(&t);
}

static int added_in(int since) { return since ? since : 1; }

/* A table's full-text index in each version has the columns the table has
 * then, as a file an older scodesk made has it; a version that adds a
 * searchable column makes the index again, with the rows already there. */
static void full_text_index_of_each_version(void **state)
{
	(void)state;
	for (int v = 3; v <= SK_SCHEMA_VERSION; v++) {
		tu_db t;
		tu_open_version(&t, v);
		sk_err err;
		sqlite3 *c = sk_sqlite(t.db);
		for (size_t i = 0; i < sk_ntables; i++) {
			const sk_table *tb = sk_tables[i];
			if (added_in(tb->since) > v)
				continue;
			char want[2048] = "", sql[160];
			for (size_t j = 0; j < tb->ncolumns; j++) {
				const sk_column *col = &tb->columns[j];
				if (sk_column_searchable(col) && added_in(col->since) <= v)
					snprintf(want + strlen(want), sizeof want - strlen(want), "c_%s,",
					         col->name);
			}
			snprintf(sql, sizeof sql, "SELECT group_concat(name || ',', '') FROM"
			         " pragma_table_info('%s_fts')", tb->name);
			char *got = tu_q_text(c, sql);
			if (strcmp(got ? got : "", want) != 0)
				fail_msg("version %d: %s_fts has %s, the table then %s", v, tb->name,
				         got ? got : "(nothing)", want);
			free(got);
		}
		if (v == SK_SCHEMA_VERSION - 1) {
			/* a program from before case_type, then upgraded */
			assert_int_equal(sqlite3_exec(c, "INSERT INTO programs(authority, title, status,"
			                              " created_at, updated_at, version) VALUES ('fms',"
			                              " 'Coastal radar', 'lor_received',"
			                              " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)",
			                              NULL, NULL, NULL), SQLITE_OK);
			sk_close(t.db);
			t.db = NULL;
			assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
			c = sk_sqlite(t.db);
			char findings[4096] = "";
			int n = sk_check(t.db, collect_finding, findings, &err);
			if (n != 0)
				fail_msg("version %d upgraded: %d findings:\n%s", v, n, findings);
			assert_int_equal(tu_q_int(c, "SELECT count(*) FROM programs_fts WHERE"
			                             " programs_fts MATCH '\"radar\"'"), 1);
			assert_int_equal(sqlite3_exec(c, "UPDATE programs SET case_type = 'training'",
			                              NULL, NULL, NULL), SQLITE_OK);
			assert_int_equal(tu_q_int(c, "SELECT count(*) FROM programs_fts WHERE"
			                             " programs_fts MATCH 'c_case_type : \"training\"'"), 1);
		}
		tu_close(&t);
	}
}

/* sk_migrate on a current file does nothing, and never goes past. */
static void migrate_is_idempotent(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	char *before = tu_schema(sk_sqlite(t.db));
	sk_err err;
	assert_int_equal(sk_migrate(t.db, SK_SCHEMA_VERSION, &err), SK_OK);
	assert_int_equal(sk_migrate(t.db, SK_SCHEMA_VERSION + 5, &err), SK_OK);
	assert_int_equal(sk_schema_version(t.db), SK_SCHEMA_VERSION);
	char *after = tu_schema(sk_sqlite(t.db));
	assert_string_equal(before, after);
	free(before);
	free(after);
	tu_close(&t);
}

/* ---- the schema against the descriptions ---------------------------------------- */

static const char *strict_type(sk_type type)
{
	switch (type) {
	case SK_T_ID:
	case SK_T_INT:
	case SK_T_BOOL:
	case SK_T_MONEY:
	case SK_T_REF:
		return "INTEGER";
	case SK_T_TEXT:
	case SK_T_DATE:
	case SK_T_TIMESTAMP:
	case SK_T_ENUM:
	case SK_T_KEYREF:
		return "TEXT";
	case SK_T_LINKS:
	case SK_T_DERIVED:
		break;
	}
	return NULL;
}

static void columns_match_descriptions(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sqlite3 *c = sk_sqlite(t.db);
	sqlite3_stmt *info, *strict, *ncols;
	assert_int_equal(sqlite3_prepare_v2(c, "SELECT type, \"notnull\", pk FROM"
	                                    " pragma_table_info(?1) WHERE name = ?2",
	                                    -1, &info, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(c, "SELECT strict FROM pragma_table_list"
	                                    " WHERE name = ?1 AND schema = 'main'",
	                                    -1, &strict, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(c, "SELECT count(*) FROM pragma_table_info(?1)",
	                                    -1, &ncols, NULL), SQLITE_OK);
	for (size_t i = 0; i < sk_ntables; i++) {
		const sk_table *tb = sk_tables[i];
		sqlite3_reset(strict);
		sqlite3_bind_text(strict, 1, tb->name, -1, SQLITE_STATIC);
		if (sqlite3_step(strict) != SQLITE_ROW)
			fail_msg("table %s is missing", tb->name);
		if (sqlite3_column_int(strict, 0) != 1)
			fail_msg("table %s is not STRICT", tb->name);
		int stored = 0;
		for (size_t j = 0; j < tb->ncolumns; j++) {
			const sk_column *col = &tb->columns[j];
			if (col->type == SK_T_LINKS && col->link_table) {
				sqlite3_reset(strict);
				sqlite3_bind_text(strict, 1, col->link_table, -1, SQLITE_STATIC);
				if (sqlite3_step(strict) != SQLITE_ROW ||
				    sqlite3_column_int(strict, 0) != 1)
					fail_msg("link table %s missing or not STRICT", col->link_table);
			}
			if (!sk_column_stored(col))
				continue;
			stored++;
			sqlite3_reset(info);
			sqlite3_bind_text(info, 1, tb->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(info, 2, col->name, -1, SQLITE_STATIC);
			if (sqlite3_step(info) != SQLITE_ROW)
				fail_msg("%s.%s is described but not in the file", tb->name, col->name);
			const char *type = (const char *)sqlite3_column_text(info, 0);
			if (strcmp(type, strict_type(col->type)) != 0)
				fail_msg("%s.%s has type %s, expected %s", tb->name, col->name,
				         type, strict_type(col->type));
			int notnull = sqlite3_column_int(info, 1), pk = sqlite3_column_int(info, 2);
			if (col->type == SK_T_ID) {
				if (pk != 1)
					fail_msg("%s.%s is not the primary key", tb->name, col->name);
			} else if ((col->flags & SK_F_REQUIRED) && !notnull) {
				fail_msg("%s.%s is required but may be NULL in the file", tb->name,
				         col->name);
			} else if (!(col->flags & SK_F_REQUIRED) && notnull && !col->def) {
				/* NOT NULL on an optional column needs a default */
				fail_msg("%s.%s is optional, NOT NULL and has no default", tb->name,
				         col->name);
			}
		}
		/* Nothing in the file that the description does not know. */
		sqlite3_reset(ncols);
		sqlite3_bind_text(ncols, 1, tb->name, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(ncols), SQLITE_ROW);
		if (sqlite3_column_int(ncols, 0) != stored)
			fail_msg("%s has %d columns in the file, %d described", tb->name,
			         sqlite3_column_int(ncols, 0), stored);
	}
	sqlite3_finalize(info);
	sqlite3_finalize(strict);
	sqlite3_finalize(ncols);
	tu_close(&t);
}

/* A raw UPDATE of one column; returns SQLite's extended result code. */
typedef struct bad_value {
	int is_null;
	int is_int;
	long long i;
	const char *s;
} bad_value;

static int raw_set(sqlite3 *c, const char *table, const char *column, long long id,
                   const bad_value *v)
{
	char sql[256];
	snprintf(sql, sizeof sql, "UPDATE \"%s\" SET \"%s\" = ?1 WHERE id = ?2", table, column);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(c));
	if (v->is_null)
		sqlite3_bind_null(st, 1);
	else if (v->is_int)
		sqlite3_bind_int64(st, 1, v->i);
	else
		sqlite3_bind_text(st, 1, v->s, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		rc = sqlite3_extended_errcode(c);
	else
		rc = sqlite3_changes(c) == 1 ? SQLITE_OK : SQLITE_NOTFOUND;
	sqlite3_finalize(st);
	return rc;
}

static char *raw_value(sqlite3 *c, const char *table, const char *column, long long id)
{
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT quote(\"%s\") FROM \"%s\" WHERE id = %lld",
	         column, table, id);
	return tu_q_text(c, sql);
}

/* A column says it has an index (sk_column_indexed: a long list may sort
 * by it) exactly when the database has an index, not partial, that starts
 * with it (the id is the table's own key). */
static void indexes_match_descriptions(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sqlite3 *c = sk_sqlite(t.db);
	char sql[512];
	int indexed = 0;
	for (size_t i = 0; i < sk_ntables; i++) {
		const sk_table *tb = sk_tables[i];
		for (size_t j = 0; j < tb->ncolumns; j++) {
			const sk_column *col = &tb->columns[j];
			if (!sk_column_stored(col) || col->type == SK_T_ID)
				continue;
			snprintf(sql, sizeof sql,
			         "SELECT count(*) FROM pragma_index_list('%s') l"
			         " WHERE l.partial = 0 AND (SELECT name FROM pragma_index_info(l.name)"
			         " WHERE seqno = 0) = '%s'", tb->name, col->name);
			bool has = tu_q_int(c, sql) > 0;
			if (has != sk_column_indexed(col))
				fail_msg("%s.%s: %s an index, but the description says it %s", tb->name,
				         col->name, has ? "has" : "has no",
				         sk_column_indexed(col) ? "has" : "has none");
			indexed += has;
		}
	}
	assert_true(indexed > 50);
	/* the audit log's JSON has none, a long free text neither */
	assert_false(sk_column_indexed(sk_column_find(sk_table_find("audit_log"), "after")));
	assert_false(sk_column_indexed(sk_column_find(sk_table_find("engagements"), "objectives")));
	assert_true(sk_column_indexed(sk_column_find(sk_table_find("engagements"), "date")));
	tu_close(&t);
}

static void expect_refused(sqlite3 *c, const sk_table *tb, const sk_column *col,
                           long long id, const bad_value *v, int code)
{
	char *before = raw_value(c, tb->name, col->name, id);
	int rc = raw_set(c, tb->name, col->name, id, v);
	char shown[64];
	if (v->is_null)
		snprintf(shown, sizeof shown, "NULL");
	else if (v->is_int)
		snprintf(shown, sizeof shown, "%lld", v->i);
	else
		snprintf(shown, sizeof shown, "'%s'", v->s);
	if ((rc & 0xff) != SQLITE_CONSTRAINT)
		fail_msg("%s.%s = %s was accepted by the file (rc %d)", tb->name, col->name,
		         shown, rc);
	if (code && rc != code)
		fail_msg("%s.%s = %s: refused with %d, expected %d", tb->name, col->name,
		         shown, rc, code);
	char *after = raw_value(c, tb->name, col->name, id);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void expect_accepted(sqlite3 *c, const sk_table *tb, const sk_column *col,
                            long long id, const bad_value *v)
{
	int rc = raw_set(c, tb->name, col->name, id, v);
	if (rc != SQLITE_OK)
		fail_msg("%s.%s = '%s' was refused (rc %d: %s)", tb->name, col->name,
		         v->s ? v->s : "", rc, sqlite3_errmsg(c));
}

static void check_constraints_hold(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sqlite3 *c = sk_sqlite(t.db);
	int checked = 0;
	long long ids[64], ids2[64];
	assert_true(sk_ntables <= 64);
	raw_rows(c, 7, ids);
	raw_rows(c, 8, ids2);
	for (size_t i = 0; i < sk_ntables; i++) {
		const sk_table *tb = sk_tables[i];
		long long id = ids[i];
		for (size_t j = 0; j < tb->ncolumns; j++) {
			const sk_column *col = &tb->columns[j];
			if (!sk_column_stored(col) || col->type == SK_T_ID)
				continue;
			const char *type = strict_type(col->type);
			if (col->flags & SK_F_REQUIRED) {
				bad_value null = {.is_null = 1};
				expect_refused(c, tb, col, id, &null, SQLITE_CONSTRAINT_NOTNULL);
				checked++;
			}
			if (strcmp(type, "INTEGER") == 0) {
				bad_value text = {.s = "twelve"};
				expect_refused(c, tb, col, id, &text, SQLITE_CONSTRAINT_DATATYPE);
				checked++;
			}
			bad_value b1 = {0}, b2 = {0}, b3 = {0}, good = {0};
			char upper[64] = "";
			switch (col->type) {
			case SK_T_ENUM:
				b1.s = "no_such_code";
				/* codes are stored lower case; the label or the upper case
				 * spelling is not a code */
				snprintf(upper, sizeof upper, "%s", col->enumeration->values[0].code);
				for (char *p = upper; *p; p++)
					if (*p >= 'a' && *p <= 'z')
						*p = (char)(*p - 'a' + 'A');
				b2.s = strcmp(upper, col->enumeration->values[0].code) ? upper
				                                                      : "no such code";
				b3.s = "";
				good.s = col->enumeration->values[col->enumeration->count - 1].code;
				break;
			case SK_T_DATE:
				b1.s = "2026-13-01";
				b2.s = "2026-2-3";
				b3.s = "25/11/2026";
				good.s = "2024-02-29";
				break;
			case SK_T_TIMESTAMP:
				b1.s = "2026-11-25 10:00:00";
				b2.s = "2026-11-25T10:61:00Z";
				b3.s = "2026-11-25";
				good.s = "2026-11-25T23:59:59Z";
				break;
			case SK_T_BOOL:
				b1.is_int = 1, b1.i = 2;
				b2.is_int = 1, b2.i = -1;
				break;
			case SK_T_MONEY:
				b1.is_int = 1, b1.i = -1;
				break;
			case SK_T_INT:
				if (col->min < col->max) {
					b1.is_int = 1, b1.i = col->min - 1;
					b2.is_int = 1, b2.i = col->max + 1;
				}
				break;
			case SK_T_REF:
				b1.is_int = 1, b1.i = 987654;
				break;
			case SK_T_KEYREF:
				b1.s = "no-such-key";
				break;
			case SK_T_TEXT:
				if (col->flags & SK_F_REQUIRED)
					b1.s = "";
				break;
			default:
				break;
			}
			bad_value *bad[] = {&b1, &b2, &b3};
			for (size_t k = 0; k < 3; k++) {
				if (!bad[k]->s && !bad[k]->is_int)
					continue;
				int code = (col->type == SK_T_REF || col->type == SK_T_KEYREF)
				           ? SQLITE_CONSTRAINT_FOREIGNKEY : SQLITE_CONSTRAINT_CHECK;
				expect_refused(c, tb, col, id, bad[k], code);
				checked++;
			}
			if (good.s)
				expect_accepted(c, tb, col, id, &good);
		}
		/* Unique columns: a second row may not take the first one's value. */
		for (size_t j = 0; j < tb->ncolumns && !tb->append_only; j++) {
			const sk_column *col = &tb->columns[j];
			if (!(col->flags & SK_F_UNIQUE))
				continue;
			long long id2 = ids2[i];
			char sql[256];
			snprintf(sql, sizeof sql, "SELECT \"%s\" FROM \"%s\" WHERE id = %lld",
			         col->name, tb->name, id);
			char *first = tu_q_text(c, sql);
			assert_non_null(first);
			bad_value dup = {.s = first};
			expect_refused(c, tb, col, id2, &dup, SQLITE_CONSTRAINT_UNIQUE);
			checked++;
			free(first);
		}
	}
	/* The link table refuses links to nothing. */
	assert_int_not_equal(sqlite3_exec(c, "INSERT INTO engagement_contacts VALUES"
	                                     " (987654, 987655)", NULL, NULL, NULL),
	                     SQLITE_OK);
	assert_int_equal(sqlite3_extended_errcode(c), SQLITE_CONSTRAINT_FOREIGNKEY);
	assert_true(checked > 100);

	/* A whole row as a person would type it: a bad enumeration value is
	 * refused, the same row with a good one goes in. */
	int rc = sqlite3_exec(c, "INSERT INTO personnel (last_name, first_name, service,"
	                         " status, clearance, cert_level, arrival_date, created_at,"
	                         " updated_at, version) VALUES ('Doe', 'J', 'marines', 'present',"
	                         " 'none', 'none', '2026-02-28', '2026-01-01T00:00:00Z',"
	                         " '2026-01-01T00:00:00Z', 1)", NULL, NULL, NULL);
	assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
	assert_int_equal(sqlite3_extended_errcode(c), SQLITE_CONSTRAINT_CHECK);
	rc = sqlite3_exec(c, "INSERT INTO personnel (last_name, first_name, service,"
	                     " status, clearance, cert_level, arrival_date, created_at,"
	                     " updated_at, version) VALUES ('Doe', 'J', 'army', 'present',"
	                     " 'none', 'none', '2026-02-28', '2026-01-01T00:00:00Z',"
	                     " '2026-01-01T00:00:00Z', 1)", NULL, NULL, NULL);
	assert_int_equal(rc, SQLITE_OK);

	char findings[4096] = "";
	sk_err err;
	int n = sk_check(t.db, collect_finding, findings, &err);
	if (n != 0)
		fail_msg("%d findings after the refused writes:\n%s", n, findings);
	tu_close(&t);
}

/*
 * Dates that look right but are not on the calendar: the 30th of February,
 * the 31st of April, the 29th of February outside a leap year, and the
 * hour 24. SQLite's date() echoes such a day back unchanged unless a
 * modifier makes it normalise, so a CHECK of the form date(x) IS x lets
 * them in. Every DATE and TIMESTAMP column is tried; all problems are
 * listed at once.
 */
static void check_constraints_calendar(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sqlite3 *c = sk_sqlite(t.db);
	static const char *const dates[] = {"2026-02-30", "2026-04-31", "2026-02-29",
	                                    "2026-11-31"};
	static const char *const stamps[] = {"2026-11-25T24:00:00Z", "2026-02-30T10:00:00Z",
	                                     "2026-06-31T00:00:00Z"};
	char problems[2048] = "";
	/* for each bad value: how many columns took it, and the first one */
	int taken_d[4] = {0}, taken_s[3] = {0};
	char first_d[4][64] = {"", "", "", ""}, first_s[3][64] = {"", "", ""};
	int tried = 0;
	long long ids[64];
	assert_true(sk_ntables <= 64);
	raw_rows(c, 9, ids);
	for (size_t i = 0; i < sk_ntables; i++) {
		const sk_table *tb = sk_tables[i];
		long long id = ids[i];
		for (size_t j = 0; j < tb->ncolumns; j++) {
			const sk_column *col = &tb->columns[j];
			const char *const *bad = NULL;
			size_t nbad = 0;
			if (col->type == SK_T_DATE)
				bad = dates, nbad = sizeof dates / sizeof dates[0];
			else if (col->type == SK_T_TIMESTAMP)
				bad = stamps, nbad = sizeof stamps / sizeof stamps[0];
			for (size_t k = 0; k < nbad; k++) {
				bad_value v = {.s = bad[k]};
				int rc = raw_set(c, tb->name, col->name, id, &v);
				tried++;
				if (rc != SQLITE_CONSTRAINT_CHECK) {
					int *taken = bad == dates ? &taken_d[k] : &taken_s[k];
					char *first = bad == dates ? first_d[k] : first_s[k];
					if (!(*taken)++)
						snprintf(first, 64, "%s.%s", tb->name, col->name);
				}
			}
		}
	}
	assert_true(tried > 40);
	for (size_t k = 0; k < 4 + 3; k++) {
		int taken = k < 4 ? taken_d[k] : taken_s[k - 4];
		if (!taken)
			continue;
		size_t len = strlen(problems);
		snprintf(problems + len, sizeof problems - len,
		         "'%s' accepted by %d columns (first %s)\n",
		         k < 4 ? dates[k] : stamps[k - 4], taken, k < 4 ? first_d[k] : first_s[k - 4]);
	}

	/* The brief's own example, as a person would type it. */
	int rc = sqlite3_exec(c, "INSERT INTO personnel (last_name, first_name, service,"
	                         " status, clearance, cert_level, arrival_date, created_at,"
	                         " updated_at, version) VALUES ('Doe', 'J', 'army', 'present',"
	                         " 'none', 'none', '2026-02-30', '2026-01-01T00:00:00Z',"
	                         " '2026-01-01T00:00:00Z', 1)", NULL, NULL, NULL);
	if ((rc & 0xff) != SQLITE_CONSTRAINT) {
		size_t len = strlen(problems);
		snprintf(problems + len, sizeof problems - len,
		         "INSERT INTO personnel with arrival_date '2026-02-30' gave %d\n", rc);
	}
	tu_close(&t);
	if (problems[0])
		fail_msg("impossible dates pass the CHECK constraints:\n%s", problems);
}

/* sk_check finds what is wrong: a missing column, a dangling reference. */
static void check_reports_findings(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sqlite3 *c = sk_sqlite(t.db);
	long long ids[64];
	assert_true(sk_ntables <= 64);
	raw_rows(c, 1, ids);
	char findings0[4096] = "";
	sk_err err0;
	assert_int_equal(sk_check(t.db, collect_finding, findings0, &err0), 0);
	long long id = 0;
	for (size_t i = 0; i < sk_ntables; i++)
		if (strcmp(sk_tables[i]->name, "languages") == 0)
			id = ids[i];
	tu_exec(c, "PRAGMA foreign_keys = OFF");
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE languages SET person_id = 987654 WHERE id = %lld", id);
	tu_exec(c, sql);
	/* The full-text triggers and the sort index name the column; they go first. */
	tu_exec(c, "DROP TRIGGER contacts_fts_INSERT; DROP TRIGGER contacts_fts_UPDATE;"
	            " DROP TRIGGER contacts_fts_DELETE; DROP INDEX IF EXISTS contacts_us_trained");
	tu_exec(c, "ALTER TABLE contacts DROP COLUMN us_trained");
	tu_exec(c, "PRAGMA foreign_keys = ON");
	char findings[4096] = "";
	sk_err err;
	int n = sk_check(t.db, collect_finding, findings, &err);
	/* The reference, the dangling row and the column, and the schema as
	 * the comparison with scodesk's sees it: the table differs, and the
	 * three triggers and the index are missing. */
	if (n != 7)
		fail_msg("%d findings:\n%s", n, findings);
	assert_non_null(strstr(findings, "languages"));
	assert_non_null(strstr(findings, "us_trained"));
	assert_non_null(strstr(findings, "schema: table \"contacts\" differs from the one "
	                                 "scodesk makes\n"));
	assert_non_null(strstr(findings, "schema: trigger \"contacts_fts_UPDATE\" on "
	                                 "\"contacts\" is missing\n"));
	assert_non_null(strstr(findings, "schema: index \"contacts_us_trained\" on "
	                                 "\"contacts\" is missing\n"));
	tu_close(&t);
}

/* ---- files that are refused -------------------------------------------------------- */

static void expect_refused_file(tu_db *t, const char *path, const char *word)
{
	snapshot before;
	age_file(path);
	take_snapshot(t->dir, path, &before);
	unsigned flags[] = {0, SK_OPEN_CREATE, SK_OPEN_READONLY, SK_OPEN_NO_MIGRATE};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
		static char sentinel;
		sk_db *db = (sk_db *)(void *)&sentinel; /* must come back NULL */
		sk_err err;
		sk_status s = sk_open(path, flags[i], &db, &err);
		if (s != SK_REFUSED)
			fail_msg("%s (flags %u): got %s: %s", path, flags[i], sk_status_name(s),
			         err.msg);
		assert_null(db);
		assert_int_equal(err.status, SK_REFUSED);
		if (!strstr(err.msg, path))
			fail_msg("the message does not name the file: %s", err.msg);
		if (word && !strstr(err.msg, word))
			fail_msg("the message does not say \"%s\": %s", word, err.msg);
	}
	assert_untouched(t->dir, path, &before);
}

static void refuses_text_file(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	FILE *f = fopen(t.path, "w");
	assert_non_null(f);
	fputs("billet_number,title\nP001,\"Chief, ODC\"\n", f);
	fclose(f);
	expect_refused_file(&t, t.path, "not a scodesk database");
	tu_close(&t);
}

static void refuses_short_and_corrupt_files(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	/* Shorter than an SQLite header. */
	FILE *f = fopen(t.path, "w");
	assert_non_null(f);
	fputs("SQLite", f);
	fclose(f);
	expect_refused_file(&t, t.path, NULL);
	/* The header, then garbage. */
	f = fopen(t.path, "w");
	assert_non_null(f);
	fwrite("SQLite format 3", 1, 16, f);
	for (int i = 0; i < 4000; i++)
		fputc((i * 37) & 0xff, f);
	fclose(f);
	expect_refused_file(&t, t.path, NULL);
	tu_close(&t);
}

static void refuses_a_folder(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	char sub[400];
	snprintf(sub, sizeof sub, "%s/not-a-file.db", t.dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	expect_refused_file(&t, sub, NULL);
	rmdir(sub);
	tu_close(&t);
}

static void refuses_other_sqlite_database(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	sqlite3 *c = raw_open(t.path);
	tu_exec(c, "CREATE TABLE x (a TEXT); INSERT INTO x VALUES ('theirs');");
	sqlite3_close(c);
	expect_refused_file(&t, t.path, "another program");
	tu_close(&t);
}

static void refuses_other_wal_database(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	sqlite3 *c = raw_open(t.path);
	tu_exec(c, "PRAGMA journal_mode = WAL; CREATE TABLE x (a TEXT);"
	            " INSERT INTO x VALUES ('theirs');");
	sqlite3_close(c);
	expect_refused_file(&t, t.path, "another program");
	tu_close(&t);
}

/* An SQLite file with only a user_version, no tables and no id. */
static void refuses_foreign_user_version(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	sqlite3 *c = raw_open(t.path);
	tu_exec(c, "PRAGMA user_version = 1");
	sqlite3_close(c);
	expect_refused_file(&t, t.path, NULL);
	tu_close(&t);
}

static void refuses_newer_schema(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_record *rec = tu_valid(t.db, sk_table_find("personnel"), 1);
	tu_insert(t.db, rec);
	sk_record_free(rec);
	sk_close(t.db);
	t.db = NULL;
	sqlite3 *c = raw_open(t.path);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", SK_SCHEMA_VERSION + 1);
	tu_exec(c, sql);
	sqlite3_close(c);
	struct stat st;
	char wal[400];
	snprintf(wal, sizeof wal, "%s-wal", t.path);
	assert_int_not_equal(stat(wal, &st), 0); /* checkpointed and gone */
	expect_refused_file(&t, t.path, "newer");
	tu_close(&t);
}

static void missing_file_not_created(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	sk_db *db = NULL;
	sk_err err;
	assert_int_equal(sk_open(t.path, 0, &db, &err), SK_NOTFOUND);
	assert_null(db);
	assert_non_null(strstr(err.msg, t.path));
	assert_int_equal(sk_open(t.path, SK_OPEN_READONLY, &db, &err), SK_NOTFOUND);
	assert_int_equal(sk_open(t.path, SK_OPEN_READONLY | SK_OPEN_CREATE, &db, &err),
	                 SK_NOTFOUND);
	assert_null(db);
	struct stat st;
	assert_int_not_equal(stat(t.path, &st), 0);
	assert_int_equal(errno, ENOENT);
	/* No folders are made for a file that is not created. */
	char deep[400];
	snprintf(deep, sizeof deep, "%s/sub/test.db", t.dir);
	assert_int_equal(sk_open(deep, 0, &db, &err), SK_NOTFOUND);
	char sub[400];
	snprintf(sub, sizeof sub, "%s/sub", t.dir);
	assert_int_not_equal(stat(sub, &st), 0);
	tu_close(&t);
}

static void unwritable_folder(void **state)
{
	(void)state;
	if (geteuid() == 0)
		return; /* root writes anywhere: nothing to see */
	tu_db t;
	tu_mkdir(&t);
	assert_int_equal(chmod(t.dir, 0500), 0);
	sk_db *db = NULL;
	sk_err err;
	sk_status s = sk_open(t.path, SK_OPEN_CREATE, &db, &err);
	char deep[400];
	snprintf(deep, sizeof deep, "%s/sub/test.db", t.dir);
	sk_err err2;
	sk_status s2 = sk_open(deep, SK_OPEN_CREATE, &db, &err2);
	chmod(t.dir, 0700);
	assert_int_equal(s, SK_IO);
	assert_null(db);
	if (!strstr(err.msg, t.path) || !strstr(err.msg, strerror(EACCES)))
		fail_msg("unclear message: %s", err.msg);
	assert_int_equal(s2, SK_IO);
	if (!strstr(err2.msg, t.dir) || !strstr(err2.msg, strerror(EACCES)))
		fail_msg("unclear message: %s", err2.msg);
	tu_close(&t);
}

/* A file the user may not write opens read-only (and says so) while it
 * can be read through its -wal and -shm, here those of a connection that
 * opened it before the right to write was taken away. Closed, it is
 * refused with a sentence (it used to be read as immutable, which does
 * not stay whole while someone writes: test_readonly.c). */
static void unwritable_file_opens_readonly(void **state)
{
	(void)state;
	if (geteuid() == 0)
		return;
	tu_db t;
	tu_open(&t);
	assert_int_equal(chmod(t.path, 0400), 0);
	sk_db *ro = NULL;
	sk_err err;
	sk_status s = sk_open(t.path, 0, &ro, &err);
	if (s != SK_OK)
		fail_msg("open: %s", err.msg);
	assert_true(sk_readonly(ro));
	sk_record *rec = tu_valid(ro, sk_table_find("contacts"), 1);
	assert_int_equal(sk_insert(ro, rec, &err), SK_READONLY);
	sk_record_free(rec);
	sk_close(ro);
	sk_close(t.db);
	t.db = NULL;
	ro = NULL;
	assert_int_equal(sk_open(t.path, 0, &ro, &err), SK_READONLY);
	assert_null(ro);
	if (!strstr(err.msg, t.path) || !strstr(err.msg, "-shm"))
		fail_msg("unclear message: %s", err.msg);
	chmod(t.path, 0600);
	tu_close(&t);
}

/* ---- read-only ---------------------------------------------------------------------- */

static void readonly_refuses_changes(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	sk_record *rec = tu_valid(t.db, tb, 1);
	long long id = tu_insert(t.db, rec);
	sk_record_free(rec);
	sk_close(t.db);
	t.db = NULL;

	snapshot before;
	age_file(t.path);
	take_snapshot(t.dir, t.path, &before);

	sk_err err;
	sk_status s = sk_open(t.path, SK_OPEN_READONLY, &t.db, &err);
	if (s != SK_OK)
		fail_msg("open read-only: %s", err.msg);
	assert_true(sk_readonly(t.db));
	int audit = count_rows(t.db, "audit_log");

	rec = tu_valid(t.db, tb, 2);
	assert_int_equal(sk_insert(t.db, rec, &err), SK_READONLY);
	assert_int_equal(err.status, SK_READONLY);
	assert_true(err.msg[0] != '\0');
	sk_record_free(rec);

	assert_int_equal(sk_get_record(t.db, tb, id, &rec, &err), SK_OK);
	assert_int_equal(sk_set(rec, "last_name", "Changed"), SK_OK);
	assert_int_equal(sk_update(t.db, rec, &err), SK_READONLY);
	sk_record_free(rec);
	assert_int_equal(sk_delete(t.db, tb, id, &err), SK_READONLY);
	assert_int_equal(sk_setting_set(t.db, "marking", "CUI//X", &err), SK_READONLY);
	assert_int_equal(sk_begin(t.db, &err), SK_READONLY);
	/* SQLite itself refuses too. */
	assert_int_not_equal(sqlite3_exec(sk_sqlite(t.db), "DELETE FROM contacts", NULL,
	                                  NULL, NULL), SQLITE_OK);

	assert_int_equal(count_rows(t.db, "contacts"), 1);
	assert_int_equal(count_rows(t.db, "audit_log"), audit);
	assert_int_equal(sk_get_record(t.db, tb, id, &rec, &err), SK_OK);
	assert_int_equal(sk_record_version(rec), 1);
	assert_null(sk_get(rec, "deleted_at"));
	assert_string_not_equal(sk_get(rec, "last_name"), "Changed");
	sk_record_free(rec);
	sk_close(t.db);
	t.db = NULL;

	/* The database file itself did not change (SQLite may leave its
	 * -shm/-wal companions, so only the file is compared). */
	snapshot after;
	take_snapshot(t.dir, t.path, &after);
	assert_int_equal(after.size, before.size);
	assert_memory_equal(after.data, before.data, before.size);
	assert_int_equal(after.st.st_mtim.tv_sec, before.st.st_mtim.tv_sec);
	assert_int_equal(after.st.st_mtim.tv_nsec, before.st.st_mtim.tv_nsec);
	free(after.data);
	free(before.data);
	tu_close(&t);
}

/* ---- busy --------------------------------------------------------------------------- */

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void count_wait(void *ctx)
{
	(*(int *)ctx)++;
}

static void busy_after_timeout(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *tb = sk_table_find("contacts");
	sk_record *rec = tu_valid(t.db, tb, 1);
	int audit = count_rows(t.db, "audit_log");

	int told = 0;
	sk_on_wait(t.db, count_wait, &told);
	sqlite3 *other = raw_open(t.path);
	tu_exec(other, "BEGIN IMMEDIATE");
	double start = seconds_now();
	sk_err err;
	sk_status s = sk_insert(t.db, rec, &err);
	double waited = seconds_now() - start;
	tu_exec(other, "ROLLBACK");
	sqlite3_close(other);

	if (s != SK_BUSY)
		fail_msg("expected busy, got %s: %s", sk_status_name(s), err.msg);
	assert_int_equal(err.status, SK_BUSY);
	assert_non_null(strstr(err.msg, "busy"));
	/* It waited the timeout, not an instant "locked". */
	if (waited < SK_BUSY_TIMEOUT_MS / 1000.0 - 0.5 || waited > SK_BUSY_TIMEOUT_MS / 1000.0 + 10)
		fail_msg("waited %.2f s, the timeout is %d ms", waited, SK_BUSY_TIMEOUT_MS);
	assert_int_equal(count_rows(t.db, "contacts"), 0);
	assert_int_equal(count_rows(t.db, "audit_log"), audit);
	/* Whoever listens was told, once, that the change was waiting. */
	assert_int_equal(told, 1);

	/* Once the other user is done, the same change goes through. */
	assert_int_equal(sk_insert(t.db, rec, &err), SK_OK);
	assert_int_equal(count_rows(t.db, "contacts"), 1);
	assert_int_equal(count_rows(t.db, "audit_log"), audit + 1);
	sk_record_free(rec);
	tu_close(&t);
}

/* ---- settings ----------------------------------------------------------------------- */

static void settings_defaults_and_changes(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	char buf[128];
	sk_err err;

	/* Every described setting has its default before anything is set. */
	for (size_t i = 0; i < sk_nsetting_defs; i++) {
		assert_int_equal(sk_setting(t.db, sk_setting_defs[i].key, buf, sizeof buf), SK_OK);
		assert_string_equal(buf, sk_setting_defs[i].value);
	}
	assert_int_equal(sk_setting(t.db, "marking", buf, sizeof buf), SK_OK);
	assert_string_equal(buf, "CUI");
	assert_int_equal(sk_setting(t.db, "no_such_setting", buf, sizeof buf), SK_NOTFOUND);
	assert_string_equal(buf, "");
	assert_int_equal(sk_setting_int(t.db, "alert_deros_days"), 120);
	assert_int_equal(sk_setting_int(t.db, "alert_key_leader_days"), 90);
	assert_int_equal(count_rows(t.db, "settings"), 0);

	/* Set, then change again: one row, the latest value. */
	assert_int_equal(sk_setting_set(t.db, "marking", "CUI//SP-PRVCY", &err), SK_OK);
	assert_int_equal(sk_setting(t.db, "marking", buf, sizeof buf), SK_OK);
	assert_string_equal(buf, "CUI//SP-PRVCY");
	assert_int_equal(sk_setting_set(t.db, "marking", "CUI//NOFORN", &err), SK_OK);
	assert_int_equal(sk_setting(t.db, "marking", buf, sizeof buf), SK_OK);
	assert_string_equal(buf, "CUI//NOFORN");
	assert_int_equal(tu_q_int(sk_sqlite(t.db),
	                       "SELECT count(*) FROM settings WHERE key = 'marking'"), 1);
	assert_int_equal(tu_q_int(sk_sqlite(t.db), "SELECT count(*) FROM audit_log WHERE"
	                       " table_name = 'settings'"), 2);

	/* A number. */
	assert_int_equal(sk_setting_set(t.db, "alert_deros_days", "45", &err), SK_OK);
	assert_int_equal(sk_setting_int(t.db, "alert_deros_days"), 45);
	/* Something that is not a number falls back to the default. */
	assert_int_equal(sk_setting_set(t.db, "alert_deros_days", "soon", &err), SK_OK);
	assert_int_equal(sk_setting_int(t.db, "alert_deros_days"), 120);
	assert_int_equal(sk_setting_set(t.db, "alert_deros_days", "12x", &err), SK_OK);
	assert_int_equal(sk_setting_int(t.db, "alert_deros_days"), 120);
	assert_int_equal(sk_setting_set(t.db, "alert_oed_days", "0", &err), SK_OK);
	assert_int_equal(sk_setting_int(t.db, "alert_oed_days"), 0);

	/* A setting nobody described is kept too. */
	assert_int_equal(sk_setting_set(t.db, "office_motto", "Strength together", &err), SK_OK);
	assert_int_equal(sk_setting(t.db, "office_motto", buf, sizeof buf), SK_NOTFOUND);
	assert_string_equal(buf, "Strength together");

	/* A key that is not a key is refused. */
	assert_int_equal(sk_setting_set(t.db, "Bad Key", "x", &err), SK_INVALID);
	assert_int_equal(tu_q_int(sk_sqlite(t.db),
	                       "SELECT count(*) FROM settings WHERE key = 'Bad Key'"), 0);

	/* A deleted setting reads as its default, and setting it again brings
	 * the row back. */
	long long id = tu_q_int(sk_sqlite(t.db), "SELECT id FROM settings WHERE key = 'marking'");
	assert_int_equal(sk_delete(t.db, sk_table_find("settings"), id, &err), SK_OK);
	assert_int_equal(sk_setting(t.db, "marking", buf, sizeof buf), SK_OK);
	assert_string_equal(buf, "CUI");
	assert_int_equal(sk_setting_set(t.db, "marking", "CUI//FEDCON", &err), SK_OK);
	assert_int_equal(sk_setting(t.db, "marking", buf, sizeof buf), SK_OK);
	assert_string_equal(buf, "CUI//FEDCON");
	assert_int_equal(tu_q_int(sk_sqlite(t.db),
	                       "SELECT count(*) FROM settings WHERE key = 'marking'"
	                       " AND deleted_at IS NULL"), 1);

	/* A small buffer gets a cut, terminated value. */
	char small[8];
	assert_int_equal(sk_setting(t.db, "office_name", small, sizeof small), SK_OK);
	assert_string_equal(small, "Office ");

	/* Survives closing. */
	sk_close(t.db);
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	assert_int_equal(sk_setting(t.db, "marking", buf, sizeof buf), SK_OK);
	assert_string_equal(buf, "CUI//FEDCON");
	tu_close(&t);
}

/* Lists write enumeration labels into their SQL as constants (record.c:
 * label_sql): no code or label may hold a quote. */
static void enumerations_hold_no_quote(void **state)
{
	(void)state;
	int seen = 0;
	for (size_t k = 0; k < sk_ntables; k++)
		for (size_t c = 0; c < sk_tables[k]->ncolumns; c++) {
			const sk_enum *e = sk_tables[k]->columns[c].enumeration;
			for (size_t i = 0; e && i < e->count; i++, seen++)
				if (strchr(e->values[i].code, '\'') || strchr(e->values[i].label, '\''))
					fail_msg("%s.%s: a quote in %s / %s", sk_tables[k]->name,
					         sk_tables[k]->columns[c].name, e->values[i].code,
					         e->values[i].label);
		}
	assert_true(seen > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fresh_database_settings),
		cmocka_unit_test(fresh_database_wal_mode),
		cmocka_unit_test(missing_folders_created_private),
		cmocka_unit_test(migrations_from_every_version),
		cmocka_unit_test(full_text_index_of_each_version),
		cmocka_unit_test(migrate_is_idempotent),
		cmocka_unit_test(migration_6_program_statuses),
		cmocka_unit_test(columns_match_descriptions),
		cmocka_unit_test(indexes_match_descriptions),
		cmocka_unit_test(check_constraints_hold),
		cmocka_unit_test(check_constraints_calendar),
		cmocka_unit_test(check_reports_findings),
		cmocka_unit_test(refuses_text_file),
		cmocka_unit_test(refuses_short_and_corrupt_files),
		cmocka_unit_test(refuses_a_folder),
		cmocka_unit_test(refuses_other_sqlite_database),
		cmocka_unit_test(refuses_other_wal_database),
		cmocka_unit_test(refuses_foreign_user_version),
		cmocka_unit_test(refuses_newer_schema),
		cmocka_unit_test(missing_file_not_created),
		cmocka_unit_test(unwritable_folder),
		cmocka_unit_test(unwritable_file_opens_readonly),
		cmocka_unit_test(readonly_refuses_changes),
		cmocka_unit_test(busy_after_timeout),
		cmocka_unit_test(settings_defaults_and_changes),
		cmocka_unit_test(enumerations_hold_no_quote),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
