/*
 * test_readonly.c: a database the user may not write opens read-only
 * instead of failing: cleanly closed (no -shm, so SQLite could neither
 * create nor use one), while its owner writes to it, and on a read-only
 * mount. Nothing may be created beside it, since a -wal or -shm made by a
 * reader would stop the owner from writing.
 *
 * Permissions do not bind root, so as root the reading runs in a child
 * that has become nobody (tu_in_child); the mount needs root and a mount
 * namespace of its own, and is left out where there is none.
 */
#define _GNU_SOURCE /* unshare() and the mount flags */
#include <errno.h>
#include <stdarg.h>
#include <sched.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

/* tu_in_child's result when a read-only mount cannot be made here. */
#define NO_MOUNT 100

/* ---- helpers ------------------------------------------------------------- */

/* Writes a message for the parent into msg and returns rc (in a child). */
static int say(char *msg, size_t size, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int say(char *msg, size_t size, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
	return rc;
}

static void add_rows(sk_db *db, int n, const char *name)
{
	const sk_table *t = sk_table_find("contacts");
	for (int i = 0; i < n; i++) {
		sk_record *rec = sk_record_new(t);
		assert_non_null(rec);
		assert_int_equal(sk_set(rec, "last_name", name), SK_OK);
		tu_insert(db, rec);
		sk_record_free(rec);
	}
}

/* Names in dir, sorted, joined by spaces (the child may not run ls). */
static int listing(const char *dir, char *buf, size_t size)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | LC_ALL=C sort | tr '\\n' ' '", dir);
	FILE *f = popen(cmd, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	return pclose(f) == 0 ? 0 : -1;
}

/* Permissions that keep the reader from writing: as root the file and
 * folder stay root's and the reader is nobody; otherwise the user takes
 * write permission from themselves. As root the file (and what is beside
 * it) goes to nobody's group, so that it is a file shared with the
 * reader's group, read-only: scodesk opens no other user's file that is
 * not their group's. */
static void forbid_writing(tu_db *t, mode_t dir_mode)
{
	mode_t mode = geteuid() == 0 ? 0644 : 0444;
	char wal[400], shm[400];
	snprintf(wal, sizeof wal, "%s-wal", t->path);
	snprintf(shm, sizeof shm, "%s-shm", t->path);
	assert_int_equal(chmod(t->path, mode), 0);
	if (access(wal, F_OK) == 0)
		assert_int_equal(chmod(wal, mode), 0);
	if (geteuid() == 0) {
		assert_int_equal(chown(t->path, 0, 65534), 0);
		if (access(wal, F_OK) == 0)
			assert_int_equal(chown(wal, 0, 65534), 0);
		if (access(shm, F_OK) == 0)
			assert_int_equal(chown(shm, 0, 65534), 0);
	}
	assert_int_equal(chmod(t->dir, dir_mode), 0);
}

static void allow_writing(tu_db *t)
{
	chmod(t->dir, 0700);
	chmod(t->path, 0600);
}

/* What the reader expects. */
typedef struct reader {
	const char *path;
	int rows;             /* contacts named "Row" */
	int fresh;            /* contacts named "Fresh" (only in the -wal) */
} reader;

static long long count_named(sk_db *db, const char *name)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(sk_sqlite(db), "SELECT count(*) FROM contacts WHERE last_name = ?",
	                       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return n;
}

static void count_finding(void *ctx, const char *finding)
{
	(void)finding;
	++*(int *)ctx;
}

/* In the child: the database opens read-only, reads, and refuses changes. */
static int read_it(void *ctx, char *msg, size_t size)
{
	const reader *r = ctx;
	sk_db *db;
	sk_err err;
	if (access(r->path, W_OK) == 0)
		return say(msg, size, 1, "the reader may write %s: the test means nothing",
		                r->path);
	if (sk_open(r->path, 0, &db, &err) != SK_OK)
		return say(msg, size, 2, "open: %s", err.msg);
	int rc = 0, findings = 0;
	long long rows = count_named(db, "Row"), fresh = count_named(db, "Fresh");
	sk_record *rec = sk_record_new(sk_table_find("contacts"));
	sk_set(rec, "last_name", "Reader");
	sk_status s = sk_insert(db, rec, &err);
	sk_record_free(rec);
	if (!sk_readonly(db))
		rc = say(msg, size, 3, "not read-only");
	else if (rows != r->rows || fresh != r->fresh)
		rc = say(msg, size, 4, "read %lld rows and %lld fresh ones, not %d and %d", rows,
		              fresh, r->rows, r->fresh);
	else if (s != SK_READONLY)
		rc = say(msg, size, 5, "an insert gave %s", sk_status_name(s));
	else if (sk_check(db, count_finding, &findings, &err) != 0)
		rc = say(msg, size, 6, "the check found %d problems: %s", findings, err.msg);
	sk_close(db);
	return rc;
}

/* A writer in another process: opens the database, inserts `fresh` rows
 * named "Fresh" (they stay in the -wal), says so, and keeps the database
 * open until the pipe closes. */
static pid_t start_writer(const char *path, int fresh, int *stop)
{
	int ready[2], hold[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(hold), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		close(hold[1]);
		sk_db *db;
		sk_err err;
		if (sk_open(path, 0, &db, &err) != SK_OK)
			_exit(2);
		const sk_table *t = sk_table_find("contacts");
		for (int i = 0; i < fresh; i++) {
			sk_record *rec = sk_record_new(t);
			if (!rec || sk_set(rec, "last_name", "Fresh") != SK_OK ||
			    sk_insert(db, rec, &err) != SK_OK)
				_exit(3);
			sk_record_free(rec);
		}
		char c;
		if (write(ready[1], "r", 1) != 1 || read(hold[0], &c, 1) < 0)
			_exit(4);
		sk_close(db);
		_exit(0);
	}
	close(ready[1]);
	close(hold[0]);
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	*stop = hold[1];
	return pid;
}

static void stop_writer(pid_t pid, int stop)
{
	close(stop);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the writer failed (status %d)", status);
}

/* A database with `rows` contacts named "Row", closed (WAL mode, so no
 * -wal or -shm is left). */
static void make_db(tu_db *t, int rows)
{
	tu_open(t);
	add_rows(t->db, rows, "Row");
	sk_close(t->db);
	t->db = NULL;
	char names[400];
	assert_int_equal(listing(t->dir, names, sizeof names), 0);
	assert_string_equal(names, "test.db ");
	/* WAL, from the header (bytes 18 and 19 are 2): an SQLite connection
	 * opened read-only to look would leave a -wal and -shm behind. */
	size_t size;
	char *head = tu_slurp(t->path, &size);
	assert_non_null(head);
	assert_true(size > 100);
	assert_int_equal(head[18], 2);
	assert_int_equal(head[19], 2);
	free(head);
}

/* ---- tests ---------------------------------------------------------------- */

/* No -shm and a folder the reader may not write: SQLite alone fails
 * ("attempt to write a readonly database"). */
static void closed_database_in_unwritable_folder(void **state)
{
	(void)state;
	tu_db t;
	make_db(&t, 3);
	forbid_writing(&t, geteuid() == 0 ? 0755 : 0555);
	reader r = {t.path, 3, 0};
	char msg[1024], names[400];
	int rc = tu_in_child(read_it, &r, 1, 0, msg, sizeof msg);
	assert_int_equal(listing(t.dir, names, sizeof names), 0);
	allow_writing(&t);
	if (rc != 0)
		fail_msg("reader: %s", msg);
	assert_string_equal(names, "test.db ");
	tu_close(&t);
}

/* No -shm and a folder anyone may write (sticky): SQLite alone would
 * create -wal and -shm owned by the reader, and the owner could then no
 * longer write ("attempt to write a readonly database", SQLite 3.40). */
static void closed_database_creates_nothing(void **state)
{
	(void)state;
	tu_db t;
	make_db(&t, 2);
	forbid_writing(&t, 01777);
	reader r = {t.path, 2, 0};
	char msg[1024], names[400];
	int rc = tu_in_child(read_it, &r, 1, 0, msg, sizeof msg);
	assert_int_equal(listing(t.dir, names, sizeof names), 0);
	allow_writing(&t);
	if (rc != 0)
		fail_msg("reader: %s", msg);
	assert_string_equal(names, "test.db ");
	/* And the owner writes as before. */
	t.db = NULL;
	sk_err err;
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	assert_false(sk_readonly(t.db));
	add_rows(t.db, 1, "Owner");
	tu_close(&t);
}

/* While the owner has it open (so -wal and -shm exist, the newest rows
 * only in the -wal), a reader who may write neither sees those rows. */
static void reads_while_the_owner_writes(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return; /* needs a writer who is someone else than the reader */
	tu_db t;
	make_db(&t, 4);
	forbid_writing(&t, 0755);
	int stop;
	pid_t writer = start_writer(t.path, 2, &stop);
	char names[400];
	assert_int_equal(listing(t.dir, names, sizeof names), 0);
	assert_string_equal(names, "test.db test.db-shm test.db-wal ");
	reader r = {t.path, 4, 2};
	char msg[1024];
	int rc = tu_in_child(read_it, &r, 1, 0, msg, sizeof msg);
	stop_writer(writer, stop);
	allow_writing(&t);
	if (rc != 0)
		fail_msg("reader: %s", msg);
	tu_close(&t);
}

/* A -wal with changes but no -shm (left by a crash, then the -shm
 * removed) in a folder the reader may not write: nothing can be read
 * safely without folding the -wal in, and the sentence says who can. */
static int read_refused(void *ctx, char *msg, size_t size)
{
	const reader *r = ctx;
	sk_db *db = NULL;
	sk_err err;
	sk_status s = sk_open(r->path, 0, &db, &err);
	sk_close(db);
	if (s != SK_READONLY)
		return say(msg, size, 1, "open gave %s: %s", sk_status_name(s), err.msg);
	if (!strstr(err.msg, r->path) || !strstr(err.msg, "-wal") ||
	    !strstr(err.msg, "open it once"))
		return say(msg, size, 2, "unclear message: %s", err.msg);
	return 0;
}

static void journal_without_shm_is_refused_clearly(void **state)
{
	(void)state;
	tu_db t;
	make_db(&t, 1);
	sqlite3 *c;
	assert_int_equal(sqlite3_open(t.path, &c), SQLITE_OK);
	assert_int_equal(sqlite3_db_config(c, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, "UPDATE contacts SET first_name = 'x'", NULL, NULL,
	                              NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(c), SQLITE_OK);
	char shm[400];
	snprintf(shm, sizeof shm, "%s-shm", t.path);
	unlink(shm);
	forbid_writing(&t, geteuid() == 0 ? 0755 : 0555);
	reader r = {t.path, 1, 0};
	char msg[1024];
	int rc = tu_in_child(read_refused, &r, 1, 0, msg, sizeof msg);
	allow_writing(&t);
	if (rc != 0)
		fail_msg("reader: %s", msg);
	/* The owner opens it and the change is there. */
	sk_err err;
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	assert_int_equal(count_named(t.db, "Row"), 1);
	tu_close(&t);
}

/* An empty -wal and a -shm the reader may not read, as a read-only
 * connection of the owner's leaves them (it cannot remove them on close):
 * SQLite alone fails ("unable to open database file"). */
static void leftover_shm_it_cannot_read(void **state)
{
	(void)state;
	tu_db t;
	make_db(&t, 2);
	char side[400];
	snprintf(side, sizeof side, "%s-wal", t.path);
	FILE *f = fopen(side, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(side, sizeof side, "%s-shm", t.path);
	f = fopen(side, "w");
	assert_non_null(f);
	assert_int_equal(fputs("not a wal-index", f) >= 0, 1);
	fclose(f);
	assert_int_equal(chmod(side, 0), 0);
	forbid_writing(&t, geteuid() == 0 ? 0755 : 0555);
	reader r = {t.path, 2, 0};
	char msg[1024], names[400];
	int rc = tu_in_child(read_it, &r, 1, 0, msg, sizeof msg);
	assert_int_equal(listing(t.dir, names, sizeof names), 0);
	allow_writing(&t);
	if (rc != 0)
		fail_msg("reader: %s", msg);
	assert_string_equal(names, "test.db test.db-shm test.db-wal ");
	tu_close(&t);
}

/* In the child, as root: the folder `from` mounted read-only at `to` (in a
 * mount namespace of the child's own, gone when it ends), then read. */
typedef struct mounted {
	const char *from, *to;
	reader r;
} mounted;

static int read_on_readonly_mount(void *ctx, char *msg, size_t size)
{
	mounted *m = ctx;
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount(m->from, m->to, NULL, MS_BIND, NULL) != 0 ||
	    mount(NULL, m->to, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0)
		return say(msg, size, NO_MOUNT, "%s", strerror(errno));
	char before[400], after[400];
	if (listing(m->to, before, sizeof before) != 0)
		return say(msg, size, 10, "cannot list %s", m->to);
	if (access(m->r.path, W_OK) == 0 || errno != EROFS)
		return say(msg, size, 11, "%s is not on a read-only mount", m->r.path);
	int rc = read_it(&m->r, msg, size);
	if (rc == 0 && (listing(m->to, after, sizeof after) != 0 || strcmp(before, after) != 0))
		rc = say(msg, size, 12, "files changed: %s / %s", before, after);
	return rc;
}

static void readonly_mount(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return; /* mounting needs root */
	tu_db t;
	make_db(&t, 5);
	char to[400], path[450];
	snprintf(to, sizeof to, "%s-ro", t.dir);
	assert_int_equal(mkdir(to, 0700), 0);
	snprintf(path, sizeof path, "%s/test.db", to);
	mounted m = {t.dir, to, {path, 5, 0}};
	char msg[1024];
	int rc = tu_in_child(read_on_readonly_mount, &m, 0, 0, msg, sizeof msg);
	if (rc == NO_MOUNT) {
		printf("# no read-only mount here (%s): that part was left out\n", msg);
		rmdir(to);
		tu_close(&t);
		return;
	}
	if (rc != 0) {
		rmdir(to);
		fail_msg("on a read-only mount, quiet: %s", msg);
	}
	/* And while the owner writes through the writable path. */
	int stop;
	pid_t writer = start_writer(t.path, 3, &stop);
	m.r.fresh = 3;
	rc = tu_in_child(read_on_readonly_mount, &m, 0, 0, msg, sizeof msg);
	stop_writer(writer, stop);
	rmdir(to);
	if (rc != 0)
		fail_msg("on a read-only mount, while written: %s", msg);
	tu_close(&t);
}

/* A file the owner opens with --read-only is not a snapshot: it sees what
 * others write after it opened (only unwritable files are read so). */
static void owner_readonly_sees_later_changes(void **state)
{
	(void)state;
	tu_db t;
	make_db(&t, 1);
	sk_db *ro;
	sk_err err;
	assert_int_equal(sk_open(t.path, SK_OPEN_READONLY, &ro, &err), SK_OK);
	assert_int_equal(count_named(ro, "Row"), 1);
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	add_rows(t.db, 2, "Row");
	assert_int_equal(count_named(ro, "Row"), 3);
	sk_close(ro);
	tu_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(closed_database_in_unwritable_folder),
		cmocka_unit_test(closed_database_creates_nothing),
		cmocka_unit_test(reads_while_the_owner_writes),
		cmocka_unit_test(journal_without_shm_is_refused_clearly),
		cmocka_unit_test(leftover_shm_it_cannot_read),
		cmocka_unit_test(readonly_mount),
		cmocka_unit_test(owner_readonly_sees_later_changes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
