/*
 * test_trust.c: database files from outside. The schema of a file is
 * compared with the one scodesk makes for its version, on open, in check
 * and in restore; a file with an object scodesk did not make (or one that
 * differs, or is missing) is refused untouched with a sentence naming it,
 * and check lists each. Connections are in SQLite's defensive mode and
 * trust no schema they have not verified. A schema version outside 0 to
 * SK_SCHEMA_VERSION is not scodesk's. A restore upgrades and checks a
 * private copy before anything is replaced.
 */
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/core/trust.h"
#include "scodesk/backup.h"
#include "scodesk/demo.h"
#include "testutil.h"

/* ---- helpers ------------------------------------------------------------- */

/* Runs sql on path through a plain SQLite connection, as anyone with the
 * sqlite3 program could (no defensive mode, no foreign keys). */
static void craft(const char *path, const char *sql)
{
	sqlite3 *c;
	assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(c, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("crafting \"%s\": %s", sql, msg ? msg : "?");
	assert_int_equal(sqlite3_close(c), SQLITE_OK);
}

/* A fresh current database at t->path with one contact, closed. */
static void fresh(tu_db *t)
{
	tu_open(t);
	sk_record *rec = tu_valid(t->db, sk_table_find("contacts"), 1);
	tu_insert(t->db, rec);
	sk_record_free(rec);
	sk_close(t->db);
	t->db = NULL;
}

static void collect(void *ctx, const char *line)
{
	char *buf = ctx;
	size_t len = strlen(buf);
	snprintf(buf + len, 8192 - len, "%s\n", line);
}

static bool same_bytes(const char *path, const char *bytes, size_t size)
{
	size_t now;
	char *b = tu_slurp(path, &now);
	bool same = b && now == size && memcmp(b, bytes, size) == 0;
	free(b);
	return same;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* The names in dir, joined by spaces ("" when empty). */
static void names_in(const char *dir, char *buf, size_t size)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | LC_ALL=C sort | tr '\\n' ' '", dir);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	pclose(f);
}

/* Opening path is refused (SK_REFUSED) with a sentence naming it and
 * holding want, and leaves the file byte for byte as it was; check, which
 * opens it without trusting it, lists "schema: " want. */
static void assert_refused_and_listed(const char *path, const char *want)
{
	size_t size;
	char *before = tu_slurp(path, &size);
	assert_non_null(before);
	sk_db *db = NULL;
	sk_err err;
	sk_status s = sk_open(path, 0, &db, &err);
	if (s != SK_REFUSED)
		fail_msg("open of a file with %s gave %s: %s", want, sk_status_name(s), err.msg);
	assert_null(db);
	if (!strstr(err.msg, path) || !strstr(err.msg, want) || !strstr(err.msg, "untouched"))
		fail_msg("unclear refusal (wanted %s): %s", want, err.msg);
	assert_true(same_bytes(path, before, size));
	char wal[400];
	snprintf(wal, sizeof wal, "%s-wal", path);
	assert_false(exists(wal));

	s = sk_open(path, SK_OPEN_READONLY | SK_OPEN_NO_MIGRATE | SK_OPEN_NO_VERIFY, &db, &err);
	if (s != SK_OK)
		fail_msg("open to check: %s", err.msg);
	char lines[8192] = "", line[600];
	int n = sk_check(db, collect, lines, &err);
	sk_close(db);
	snprintf(line, sizeof line, "schema: %s\n", want);
	if (n < 1 || !strstr(lines, line))
		fail_msg("check found %d, not \"%s\":\n%s", n, want, lines);
	assert_true(same_bytes(path, before, size));
	free(before);
}

static long long user_version_of(const char *path)
{
	sqlite3 *c;
	assert_int_equal(sqlite3_open_v2(path, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	long long v = tu_q_int(c, "PRAGMA user_version");
	sqlite3_close(c);
	return v;
}

/* ---- the digest behind a quick open --------------------------------------- */

static void sha256_known_answers(void **state)
{
	(void)state;
	static const struct {
		const char *in, *hex;
	} cases[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	};
	unsigned char d[32];
	char hex[65];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sk_sha256(cases[i].in, strlen(cases[i].in), d);
		for (int j = 0; j < 32; j++)
			snprintf(hex + 2 * j, 3, "%02x", d[j]);
		assert_string_equal(hex, cases[i].hex);
	}
	/* a million "a", across many blocks */
	size_t n = 1000000;
	char *a = malloc(n);
	assert_non_null(a);
	memset(a, 'a', n);
	sk_sha256(a, n, d);
	free(a);
	for (int j = 0; j < 32; j++)
		snprintf(hex + 2 * j, 3, "%02x", d[j]);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* The digest trust.c knows is that of the schema scodesk makes here:
 * otherwise every open would build the reference (about 8 ms). */
static void known_digest_is_current(void **state)
{
	(void)state;
	char hex[65];
	sk_err err;
	if (!sk_trust_known_digest(hex, &err))
		fail_msg("the schema of version %d has the digest %s (%s); put it in "
		         "src/core/trust.c as known_digest, with KNOWN_VERSION %d",
		         SK_SCHEMA_VERSION, hex, hex[0] ? "not the one known" : err.msg,
		         SK_SCHEMA_VERSION);
}

/* ---- honest files --------------------------------------------------------- */

/* A file of every version, as scodesk made it, opens as it is, and its
 * schema is scodesk's for that version; so is a file full of data. */
static void every_version_verifies(void **state)
{
	(void)state;
	for (int v = 0; v <= SK_SCHEMA_VERSION; v++) {
		tu_db t;
		tu_open_version(&t, v);
		sk_err err;
		sk_close(t.db);
		t.db = NULL;
		sk_status s = sk_open(t.path, SK_OPEN_NO_MIGRATE, &t.db, &err);
		if (s != SK_OK)
			fail_msg("version %d: %s", v, err.msg);
		char lines[8192] = "";
		int n = sk_trust_compare(t.db, v, collect, lines, &err);
		if (n != 0)
			fail_msg("version %d: %d differences:\n%s", v, n, lines);
		tu_close(&t);
	}
	tu_db t;
	tu_open(&t);
	sk_err err;
	assert_int_equal(sk_demo_fill(t.db, &err), SK_OK);
	sk_close(t.db);
	t.db = NULL;
	if (sk_open(t.path, 0, &t.db, &err) != SK_OK)
		fail_msg("the demo: %s", err.msg);
	tu_close(&t);
}

/* ---- crafted files --------------------------------------------------------- */

static void foreign_objects_are_refused(void **state)
{
	(void)state;
	static const struct {
		const char *sql, *want;
	} cases[] = {
		/* writing elsewhere on every insert */
		{"CREATE TRIGGER evil AFTER INSERT ON contacts BEGIN DELETE FROM audit_log; END",
		 "trigger \"evil\" on \"contacts\" is not one scodesk makes"},
		/* calling a scodesk function */
		{"CREATE VIEW peek AS SELECT sk_cert_rank(cert_level) AS r, sk_today() AS d"
		 " FROM personnel",
		 "view \"peek\" is not one scodesk makes"},
		{"CREATE INDEX contacts_evil ON contacts(notes)",
		 "index \"contacts_evil\" on \"contacts\" is not one scodesk makes"},
		{"CREATE TABLE extra(x)", "table \"extra\" is not one scodesk makes"},
		/* one of scodesk's names, with another body */
		{"DROP TRIGGER contacts_fts_INSERT; CREATE TRIGGER contacts_fts_INSERT AFTER INSERT"
		 " ON contacts BEGIN UPDATE settings SET value = 'x'; END",
		 "trigger \"contacts_fts_INSERT\" on \"contacts\" differs from the one scodesk makes"},
		{"DROP INDEX contacts_last_name",
		 "index \"contacts_last_name\" on \"contacts\" is missing"},
		{"ALTER TABLE contacts ADD COLUMN evil TEXT DEFAULT 'x'",
		 "table \"contacts\" differs from the one scodesk makes"},
		/* a rule taken out where only the stored SQL shows it */
		{"PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql ="
		 " replace(sql, 'CHECK (\"key\" <> '''')', 'CHECK (1)') WHERE name = 'settings'",
		 "table \"settings\" differs from the one scodesk makes"},
		/* scodesk never runs ANALYZE */
		{"ANALYZE", "table \"sqlite_stat1\" is not one scodesk makes"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_db t;
		fresh(&t);
		craft(t.path, cases[i].sql);
		assert_refused_and_listed(t.path, cases[i].want);
		tu_close(&t);
	}
}

/* A file of an older version is compared with that version's schema: an
 * object it should not have is refused before any upgrade runs. */
static void older_file_with_a_foreign_trigger(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	sk_err err;
	assert_int_equal(sk_open(t.path, SK_OPEN_CREATE | SK_OPEN_NO_MIGRATE, &t.db, &err), SK_OK);
	assert_int_equal(sk_migrate(t.db, 2, &err), SK_OK);
	sk_close(t.db);
	t.db = NULL;
	craft(t.path, "CREATE TRIGGER evil AFTER INSERT ON settings BEGIN"
	              " DELETE FROM contacts; END");
	assert_refused_and_listed(t.path, "trigger \"evil\" on \"settings\" is not one scodesk makes");
	assert_int_equal(user_version_of(t.path), 2);
	tu_close(&t);
}

/* A name is cut short in the message, on a character boundary. */
static void long_names_are_cut(void **state)
{
	(void)state;
	tu_db t;
	fresh(&t);
	char sql[400], name[200] = "";
	for (int i = 0; i < 40; i++)
		strcat(name, "\xc3\xa9"); /* é, two bytes each: 80 bytes */
	snprintf(sql, sizeof sql, "CREATE TABLE \"%s\"(x)", name);
	craft(t.path, sql);
	char want[200] = "table \"";
	for (int i = 0; i < 30; i++)
		strcat(want, "\xc3\xa9");
	strcat(want, "...\" is not one scodesk makes");
	assert_refused_and_listed(t.path, want);
	tu_close(&t);
}

/* ---- a schema changed while scodesk has the file open ------------------- */

/* Another program adds a trigger while scodesk has the file open: the next
 * change is refused, naming it, and the trigger never runs. */
static void a_trigger_added_later_never_runs(void **state)
{
	(void)state;
	tu_db t;
	fresh(&t);
	sk_err err;
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	craft(t.path, "CREATE TRIGGER evil AFTER INSERT ON contacts BEGIN"
	              " UPDATE contacts SET position = 'the trigger ran'; END");
	const sk_table *contacts = sk_table_find("contacts");
	sk_record *rec = tu_valid(t.db, contacts, 2);
	sk_status s = sk_insert(t.db, rec, &err);
	sk_record_free(rec);
	if (s != SK_REFUSED || !strstr(err.msg, "trigger \"evil\" on \"contacts\"") ||
	    !strstr(err.msg, "nothing was changed"))
		fail_msg("insert gave %s: %s", sk_status_name(s), err.msg);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM contacts"), 1);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM contacts"
	                              " WHERE position = 'the trigger ran'"), 0);
	/* Taken out again, changes go on. */
	craft(t.path, "DROP TRIGGER evil");
	rec = tu_valid(t.db, contacts, 3);
	tu_insert(t.db, rec);
	sk_record_free(rec);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM contacts"), 2);
	tu_close(&t);
}

/* A bulk import changes the full-text triggers inside its transaction and
 * puts them back: the schema is scodesk's again afterwards, and the next
 * change goes through. */
static void bulk_change_leaves_the_schema_as_it_was(void **state)
{
	(void)state;
	tu_db t;
	fresh(&t);
	sk_err err;
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	char *before = tu_schema(sk_sqlite(t.db));
	const sk_table *contacts = sk_table_find("contacts");
	assert_int_equal(sk_bulk_begin(t.db, contacts, &err), SK_OK);
	for (int i = 0; i < 3; i++) {
		sk_record *rec = tu_valid(t.db, contacts, 10 + i);
		tu_insert(t.db, rec);
		sk_record_free(rec);
	}
	assert_int_equal(sk_bulk_commit(t.db, &err), SK_OK);
	char *after = tu_schema(sk_sqlite(t.db));
	assert_string_equal(before, after);
	free(before);
	free(after);
	sk_record *rec = tu_valid(t.db, contacts, 20);
	tu_insert(t.db, rec);
	sk_record_free(rec);
	char lines[8192] = "";
	assert_int_equal(sk_check(t.db, collect, lines, &err), 0);
	tu_close(&t);
}

/* ---- the connection ------------------------------------------------------ */

/*
 * Every connection is in SQLite's defensive mode: the schema table and
 * the full-text shadow tables cannot be written with SQL. One opened to
 * check a file does not trust its schema (trusted_schema off): a view of
 * the file's reading a virtual table is refused, and scodesk's own
 * queries (derived columns with sk_today, a full-text filter) work
 * regardless.
 */
static void connections_are_defensive(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_err err;
	assert_int_equal(sk_demo_fill(t.db, &err), SK_OK);
	sqlite3 *c = sk_sqlite(t.db);
	int on = -1;
	assert_int_equal(sqlite3_db_config(c, SQLITE_DBCONFIG_DEFENSIVE, -1, &on), SQLITE_OK);
	assert_int_equal(on, 1);
	assert_int_equal(sqlite3_exec(c, "PRAGMA writable_schema = ON", NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(c, "UPDATE sqlite_schema SET sql = sql", NULL, NULL,
	                                  NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(c, "DELETE FROM contacts_fts_data", NULL, NULL, NULL),
	                     SQLITE_OK);
	sk_close(t.db);
	t.db = NULL;

	craft(t.path, "CREATE VIEW peek AS SELECT rowid FROM contacts_fts");
	assert_int_equal(sk_open(t.path, SK_OPEN_READONLY | SK_OPEN_NO_MIGRATE |
	                         SK_OPEN_NO_VERIFY, &t.db, &err), SK_OK);
	c = sk_sqlite(t.db);
	assert_int_equal(tu_q_int(c, "PRAGMA trusted_schema"), 0);
	sqlite3_stmt *st = NULL;
	assert_int_not_equal(sqlite3_prepare_v2(c, "SELECT count(*) FROM peek", -1, &st, NULL),
	                     SQLITE_OK);
	assert_non_null(strstr(sqlite3_errmsg(c), "unsafe use"));
	/* scodesk's own reading */
	const sk_table *training = sk_table_find("staff_training");
	int64_t id = tu_int(t.db, "SELECT min(id) FROM staff_training");
	sk_record *rec = NULL;
	assert_int_equal(sk_get_record(t.db, training, id, &rec, &err), SK_OK);
	assert_non_null(sk_get(rec, "status"));
	sk_record_free(rec);
	sk_query q = {.text = "a"};
	int64_t n = 0;
	assert_int_equal(sk_count(t.db, sk_table_find("contacts"), &q, &n, &err), SK_OK);
	assert_true(n > 0);
	tu_close(&t);
}

/* ---- schema versions that are none of scodesk's -------------------------- */

typedef struct odd_version {
	const char *path;
	long long version;
} odd_version;

/* In a child, so that a crash shows as a failure of this test alone. */
static int open_odd(void *ctx, char *msg, size_t size)
{
	const odd_version *o = ctx;
	static const unsigned flags[] = {0, SK_OPEN_READONLY | SK_OPEN_NO_MIGRATE | SK_OPEN_NO_VERIFY};
	for (size_t i = 0; i < 2; i++) {
		sk_db *db = NULL;
		sk_err err;
		sk_status s = sk_open(o->path, flags[i], &db, &err);
		sk_close(db);
		if (s != SK_REFUSED || !strstr(err.msg, "not a scodesk database") ||
		    !strstr(err.msg, o->path)) {
			snprintf(msg, size, "version %lld, flags %u: %s: %s", o->version, flags[i],
			         sk_status_name(s), err.msg);
			return 1;
		}
	}
	return 0;
}

static void odd_versions_are_not_scodesk(void **state)
{
	(void)state;
	static const long long versions[] = {-1, -5, -1000000, INT_MIN};
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++) {
		tu_db t;
		fresh(&t);
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version = %lld", versions[i]);
		craft(t.path, sql);
		size_t size;
		char *before = tu_slurp(t.path, &size);
		odd_version o = {t.path, versions[i]};
		char msg[1024] = "";
		int rc = tu_in_child(open_odd, &o, 0, 0, msg, sizeof msg);
		if (rc != 0)
			fail_msg("%s", msg[0] ? msg : "the open crashed");
		assert_true(same_bytes(t.path, before, size));
		free(before);
		/* nor restored */
		char live[400];
		snprintf(live, sizeof live, "%s/live.db", t.dir);
		sk_err err;
		sk_status s = sk_restore_file(live, t.path, &err);
		if (s != SK_REFUSED || !strstr(err.msg, "not a scodesk database"))
			fail_msg("restore gave %s: %s", sk_status_name(s), err.msg);
		assert_false(exists(live));
		tu_close(&t);
	}
}

/* ---- restore --------------------------------------------------------------- */

/* A folder for temporary files of the test's own, as TMPDIR. */
static void private_tmpdir(tu_db *t, char *tmp, size_t size)
{
	snprintf(tmp, size, "%s/tmp", t->dir);
	assert_int_equal(mkdir(tmp, 0700), 0);
	assert_int_equal(setenv("TMPDIR", tmp, 1), 0);
}

static void restore_refuses_a_foreign_schema(void **state)
{
	(void)state;
	tu_db t;
	fresh(&t);
	char tmp[400], copy[400], names[600];
	private_tmpdir(&t, tmp, sizeof tmp);
	snprintf(copy, sizeof copy, "%s/copy.db", t.dir);
	sk_err err;
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	assert_int_equal(sk_backup(t.db, copy, &err), SK_OK);
	sk_close(t.db);
	t.db = NULL;
	craft(copy, "CREATE TRIGGER evil AFTER UPDATE ON contacts BEGIN"
	            " DELETE FROM audit_log; END");
	size_t size;
	char *before = tu_slurp(t.path, &size);
	sk_status s = sk_restore_file(t.path, copy, &err);
	if (s != SK_REFUSED || !strstr(err.msg, copy) ||
	    !strstr(err.msg, "trigger \"evil\" on \"contacts\" is not one scodesk makes") ||
	    !strstr(err.msg, "nothing was changed"))
		fail_msg("restore gave %s: %s", sk_status_name(s), err.msg);
	assert_true(same_bytes(t.path, before, size));
	free(before);
	names_in(t.dir, names, sizeof names);
	assert_string_equal(names, "copy.db test.db tmp ");
	names_in(tmp, names, sizeof names);
	assert_string_equal(names, "");
	unsetenv("TMPDIR");
	tu_close(&t);
}

/*
 * A backup whose upgrade fails (a version 3 file whose full-text index is
 * damaged where no integrity check looks, so that version 4's rebuild of
 * it fails): refused, and the live database is as it was and works. It
 * used to be copied into the live file first and upgraded there, which
 * left the live database at version 3 and unusable.
 */
static void restore_whose_upgrade_fails_changes_nothing(void **state)
{
	(void)state;
	tu_db t;
	fresh(&t);
	char tmp[400], old[400], names[600];
	private_tmpdir(&t, tmp, sizeof tmp);
	snprintf(old, sizeof old, "%s/v3.db", t.dir);
	sk_db *db = NULL;
	sk_err err;
	assert_int_equal(sk_open(old, SK_OPEN_CREATE | SK_OPEN_NO_MIGRATE, &db, &err), SK_OK);
	assert_int_equal(sk_migrate(db, 3, &err), SK_OK);
	sk_close(db);
	craft(old, "INSERT INTO contacts (last_name, key_leader, created_at, updated_at, version)"
	           " VALUES ('Old', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1);"
	           " UPDATE contacts_fts_data SET block = x'ffffffffffff' WHERE id = 10;"
	           " PRAGMA journal_mode = DELETE");
	size_t size;
	char *before = tu_slurp(t.path, &size);
	sk_status s = sk_restore_file(t.path, old, &err);
	if (s != SK_REFUSED || !strstr(err.msg, old) || !strstr(err.msg, "upgrading the schema to version 4") ||
	    !strstr(err.msg, "nothing was changed"))
		fail_msg("restore gave %s: %s", sk_status_name(s), err.msg);
	assert_true(same_bytes(t.path, before, size));
	free(before);
	names_in(t.dir, names, sizeof names);
	assert_string_equal(names, "test.db tmp v3.db ");
	names_in(tmp, names, sizeof names);
	assert_string_equal(names, "");
	/* The live database opens and takes a change. */
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	sk_record *rec = tu_valid(t.db, sk_table_find("contacts"), 5);
	tu_insert(t.db, rec);
	sk_record_free(rec);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM contacts"), 2);
	unsetenv("TMPDIR");
	tu_close(&t);
}

/* An older backup is upgraded in the private folder, which is gone after;
 * the restore is in the audit log. A folder for temporary files that
 * others may change is not used. */
static void restore_upgrades_a_private_copy(void **state)
{
	(void)state;
	tu_db t;
	fresh(&t);
	char tmp[400], old[400], names[600];
	private_tmpdir(&t, tmp, sizeof tmp);
	snprintf(old, sizeof old, "%s/v1.db", t.dir);
	sk_db *db = NULL;
	sk_err err;
	assert_int_equal(sk_open(old, SK_OPEN_CREATE | SK_OPEN_NO_MIGRATE, &db, &err), SK_OK);
	assert_int_equal(sk_migrate(db, 1, &err), SK_OK);
	sk_close(db);
	craft(old, "INSERT INTO contacts (last_name, key_leader, created_at, updated_at, version)"
	           " VALUES ('Old', 0, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1)");

	/* TMPDIR others may change (group-writable, not sticky): refused. */
	assert_int_equal(chmod(tmp, 0770), 0);
	size_t size;
	char *before = tu_slurp(t.path, &size);
	sk_status s = sk_restore_file(t.path, old, &err);
	if (s != SK_REFUSED || !strstr(err.msg, tmp) || !strstr(err.msg, "TMPDIR"))
		fail_msg("restore with a shared TMPDIR gave %s: %s", sk_status_name(s), err.msg);
	assert_true(same_bytes(t.path, before, size));
	free(before);
	assert_int_equal(chmod(tmp, 0700), 0);

	char saved[600];
	if (sk_restore_file_ex(t.path, old, saved, sizeof saved, &err) != SK_OK)
		fail_msg("restore: %s", err.msg);
	names_in(tmp, names, sizeof names);
	assert_string_equal(names, "");
	assert_int_equal(user_version_of(old), 1);
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	assert_int_equal(sk_schema_version(t.db), SK_SCHEMA_VERSION);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM contacts WHERE last_name = 'Old'"), 1);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM audit_log WHERE action = 'restore'"
	                              " AND table_name = 'database'"), 1);
	char lines[8192] = "";
	assert_int_equal(sk_check(t.db, collect, lines, &err), 0);
	unsetenv("TMPDIR");
	tu_close(&t);
}

/* A live database that is itself not as scodesk makes it is no reason to
 * refuse a sound backup: the restore is how it is put right (and it is
 * kept beside it). */
static void restore_over_a_damaged_schema(void **state)
{
	(void)state;
	tu_db t;
	fresh(&t);
	char tmp[400], copy[400];
	private_tmpdir(&t, tmp, sizeof tmp);
	snprintf(copy, sizeof copy, "%s/copy.db", t.dir);
	sk_err err;
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	assert_int_equal(sk_backup(t.db, copy, &err), SK_OK);
	sk_close(t.db);
	t.db = NULL;
	craft(t.path, "CREATE TRIGGER evil AFTER INSERT ON contacts BEGIN"
	              " DELETE FROM audit_log; END");
	char saved[600];
	if (sk_restore_file_ex(t.path, copy, saved, sizeof saved, &err) != SK_OK)
		fail_msg("restore: %s", err.msg);
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	sk_close(t.db);
	t.db = NULL;
	sk_db *db = NULL;
	assert_int_equal(sk_open(saved, SK_OPEN_READONLY, &db, &err), SK_REFUSED);
	unsetenv("TMPDIR");
	tu_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_known_answers),
		cmocka_unit_test(known_digest_is_current),
		cmocka_unit_test(every_version_verifies),
		cmocka_unit_test(foreign_objects_are_refused),
		cmocka_unit_test(older_file_with_a_foreign_trigger),
		cmocka_unit_test(long_names_are_cut),
		cmocka_unit_test(a_trigger_added_later_never_runs),
		cmocka_unit_test(bulk_change_leaves_the_schema_as_it_was),
		cmocka_unit_test(connections_are_defensive),
		cmocka_unit_test(odd_versions_are_not_scodesk),
		cmocka_unit_test(restore_refuses_a_foreign_schema),
		cmocka_unit_test(restore_whose_upgrade_fails_changes_nothing),
		cmocka_unit_test(restore_upgrades_a_private_copy),
		cmocka_unit_test(restore_over_a_damaged_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
