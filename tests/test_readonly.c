/*
 * test_readonly.c: a database the user may not write opens read-only
 * instead of failing, when it can be read so that what is read stays
 * whole while its owner writes: a copy with a rollback journal (as
 * backups are), or a WAL database while its owner has it open (through
 * its -wal and -shm), also on a read-only mount. Otherwise (cleanly
 * closed, so no -shm; a -shm it may not read) the open is refused with a
 * sentence saying what is missing; such files used to be read as
 * immutable, without locks, which showed pages of two different saves
 * (reader_never_sees_a_torn_state). Nothing may be created beside it,
 * since a -wal or -shm made by a reader would stop the owner from
 * writing.
 *
 * Permissions do not bind root, so as root the reading runs in a child
 * that has become nobody (tu_in_child); the mount needs root and a mount
 * namespace of its own, and is left out where there is none.
 */
#define _GNU_SOURCE /* unshare() and the mount flags */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
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

#include "scodesk/backup.h"
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
	char wal[400];
	snprintf(wal, sizeof wal, "%s-wal", t->path);
	chmod(t->dir, 0700);
	chmod(t->path, 0600);
	chmod(wal, 0600);
}

/* What the reader expects. */
typedef struct reader {
	const char *path;
	int rows;             /* contacts named "Row" */
	int fresh;            /* contacts named "Fresh" (only in the -wal) */
	/* when set: the open is refused (SK_READONLY), the sentence naming
	 * the file and holding these */
	const char *refused, *also;
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

/* In the child: the database opens read-only, reads, and refuses changes
 * (or, when r->refused is set, is refused with the sentence). */
static int read_it(void *ctx, char *msg, size_t size)
{
	const reader *r = ctx;
	sk_db *db = NULL;
	sk_err err;
	if (access(r->path, W_OK) == 0)
		return say(msg, size, 1, "the reader may write %s: the test means nothing",
		                r->path);
	sk_status opened = sk_open(r->path, 0, &db, &err);
	if (r->refused) {
		sk_close(db);
		if (opened != SK_READONLY)
			return say(msg, size, 9, "open gave %s, not a refusal: %s",
			           sk_status_name(opened), opened ? err.msg : "");
		if (!strstr(err.msg, r->path) || !strstr(err.msg, r->refused) ||
		    (r->also && !strstr(err.msg, r->also)))
			return say(msg, size, 10, "unclear refusal: %s", err.msg);
		return 0;
	}
	if (opened != SK_OK)
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

/* A copy of the database made by scodesk backup (a rollback journal, not
 * WAL) at t->dir/copy.db, which the reader may read; into out. */
static void make_copy(tu_db *t, char *out, size_t size)
{
	snprintf(out, size, "%s/copy.db", t->dir);
	sk_err err;
	assert_int_equal(sk_open(t->path, 0, &t->db, &err), SK_OK);
	assert_int_equal(sk_backup(t->db, out, &err), SK_OK);
	sk_close(t->db);
	t->db = NULL;
	assert_int_equal(chmod(out, geteuid() == 0 ? 0644 : 0444), 0);
	/* as root, the reader (nobody) opens root's copy only as its group's */
	if (geteuid() == 0)
		assert_int_equal(chown(out, 0, 65534), 0);
}

/* ---- tests ---------------------------------------------------------------- */

/* No -shm and a folder the reader may not write: SQLite alone fails
 * ("attempt to write a readonly database"); it used to be read as
 * immutable. Now the sentence says what is missing, and a backup copy
 * (a rollback journal) in the same folder reads as it should. */
static void closed_database_in_unwritable_folder(void **state)
{
	(void)state;
	tu_db t;
	make_db(&t, 3);
	char copy[400];
	make_copy(&t, copy, sizeof copy);
	forbid_writing(&t, geteuid() == 0 ? 0755 : 0555);
	reader r = {t.path, 3, 0, "-shm", "scodesk backup"};
	char msg[1024], names[400];
	int rc = tu_in_child(read_it, &r, 1, 0, msg, sizeof msg);
	reader rc_copy = {copy, 3, 0, NULL, NULL};
	char msg2[1024];
	int rc2 = rc == 0 ? tu_in_child(read_it, &rc_copy, 1, 0, msg2, sizeof msg2) : 0;
	assert_int_equal(listing(t.dir, names, sizeof names), 0);
	allow_writing(&t);
	if (rc != 0)
		fail_msg("reader: %s", msg);
	if (rc2 != 0)
		fail_msg("reader of the copy: %s", msg2);
	assert_string_equal(names, "copy.db test.db ");
	tu_close(&t);
}

/* No -shm and a folder anyone may write (sticky): SQLite alone would
 * create -wal and -shm owned by the reader, and the owner could then no
 * longer write ("attempt to write a readonly database", SQLite 3.40).
 * It used to be read as immutable; now it is refused, and nothing is
 * created. */
static void closed_database_creates_nothing(void **state)
{
	(void)state;
	tu_db t;
	make_db(&t, 2);
	forbid_writing(&t, 01777);
	reader r = {t.path, 2, 0, "-shm", "scodesk backup"};
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
	reader r = {t.path, 4, 2, NULL, NULL};
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
	reader r = {t.path, 1, 0, NULL, NULL};
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
 * SQLite alone fails ("unable to open database file"). It used to be
 * read as immutable; now the sentence names the -shm. */
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
	reader r = {t.path, 2, 0, side, "let you read"};
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
	char copy[400];
	make_copy(&t, copy, sizeof copy);
	char to[400], path[450], copy_path[450];
	snprintf(to, sizeof to, "%s-ro", t.dir);
	assert_int_equal(mkdir(to, 0700), 0);
	snprintf(path, sizeof path, "%s/test.db", to);
	snprintf(copy_path, sizeof copy_path, "%s/copy.db", to);
	/* Quiet, nobody has it open: no -shm to read it through while the
	 * owner may write it through the writable path (it used to be read
	 * as immutable); a backup copy reads. */
	mounted m = {t.dir, to, {path, 5, 0, "-shm", "scodesk backup"}};
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
	m.r = (reader){copy_path, 5, 0, NULL, NULL};
	rc = tu_in_child(read_on_readonly_mount, &m, 0, 0, msg, sizeof msg);
	if (rc != 0) {
		rmdir(to);
		fail_msg("on a read-only mount, a backup copy: %s", msg);
	}
	/* And while the owner writes through the writable path. */
	int stop;
	pid_t writer = start_writer(t.path, 3, &stop);
	m.r = (reader){path, 5, 3, NULL, NULL};
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

/* ---- a reader while the owner writes: never a torn state ---------------- */

/*
 * Every write of the owner's changes two tables together, in one
 * transaction: all 400 rows of contact_last_engaged (about 50 pages) get
 * the generation number k, and so does one setting. A reader that takes
 * pages from two different saves sees rows of different generations, or
 * a setting of another one. The owner checkpoints after each save, so
 * that the database file itself changes all the time (a WAL write alone
 * leaves it as it is). The reader keeps only a page in its cache, as it
 * would for any database larger than the cache: each read goes to the
 * file.
 */
#define GENERATION_ROWS 400

static void make_generations(tu_db *t)
{
	tu_open(t);
	sk_err err;
	assert_int_equal(sk_setting_set(t->db, "office_name", "000000", &err), SK_OK);
	char sql[300];
	snprintf(sql, sizeof sql,
	         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
	         " INSERT INTO contact_last_engaged SELECT i, '000000' || hex(zeroblob(250))"
	         " FROM n", GENERATION_ROWS);
	tu_exec(sk_sqlite(t->db), sql);
	sk_close(t->db);
	t->db = NULL;
}

typedef struct owner_pipes {
	int go[2], ready[2], stop[2];
} owner_pipes;

/*
 * The owner, in a process of its own: waits for a byte on go (the end of
 * go: nothing to do), may write the file again (it is the owner; without
 * root the test took that away from it too), saves and checkpoints until
 * stop is closed, saying "r" on ready after the first save.
 */
static pid_t start_owner(tu_db *t, owner_pipes *p)
{
	assert_int_equal(pipe(p->go), 0);
	assert_int_equal(pipe(p->ready), 0);
	assert_int_equal(pipe(p->stop), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid != 0) {
		close(p->go[0]);
		close(p->ready[1]);
		close(p->stop[0]);
		return pid;
	}
	close(p->go[1]);
	close(p->ready[0]);
	close(p->stop[1]);
	char c;
	if (read(p->go[0], &c, 1) != 1)
		_exit(0);
	if (geteuid() != 0)
		allow_writing(t);
	sqlite3 *db;
	sqlite3_stmt *rows, *setting;
	if (sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(db, 5000) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE contact_last_engaged SET date = printf('%06d', ?1)"
	                           " || hex(zeroblob(250))", -1, &rows, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "UPDATE settings SET value = printf('%06d', ?1)"
	                           " WHERE key = 'office_name'", -1, &setting, NULL) != SQLITE_OK)
		_exit(2);
	struct pollfd stop = {.fd = p->stop[0], .events = POLLIN};
	for (int k = 1;; k = k % 999999 + 1) {
		sqlite3_bind_int(rows, 1, k);
		sqlite3_bind_int(setting, 1, k);
		if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_step(rows) != SQLITE_DONE || sqlite3_step(setting) != SQLITE_DONE ||
		    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			_exit(3);
		sqlite3_reset(rows);
		sqlite3_reset(setting);
		sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		if (k == 1 && write(p->ready[1], "r", 1) != 1)
			_exit(4);
		if (poll(&stop, 1, 0) != 0)
			break;
	}
	sqlite3_finalize(rows);
	sqlite3_finalize(setting);
	_exit(sqlite3_close(db) == SQLITE_OK ? 0 : 5);
}

static void stop_owner(pid_t pid, owner_pipes *p)
{
	close(p->go[1]);
	close(p->stop[1]);
	close(p->ready[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the owner failed (status %d)", status);
}

typedef struct torn_reader {
	const char *path;
	owner_pipes *pipes;
	bool owner_first; /* the owner has it open before the reader opens */
} torn_reader;

/*
 * In the child: opens the database (refused is fine, with the sentence,
 * when the owner does not have it open), lets the owner go, and reads
 * until it has seen five generations, failing at the first torn read.
 * Reading never stops seeing new generations while the owner writes: a
 * reader that sees none for 200,000 reads is stuck on a snapshot.
 */
static int read_generations(void *ctx, char *msg, size_t size)
{
	torn_reader *r = ctx;
	sk_db *db = NULL;
	sk_err err;
	sk_status s = sk_open(r->path, 0, &db, &err);
	if (s != SK_OK && !r->owner_first) {
		if (s != SK_READONLY || !strstr(err.msg, r->path) || !strstr(err.msg, "-shm") ||
		    !strstr(err.msg, "scodesk backup"))
			return say(msg, size, 1, "open gave %s: %s", sk_status_name(s), err.msg);
		return 0;
	}
	if (s != SK_OK)
		return say(msg, size, 2, "open: %s", err.msg);
	if (!sk_readonly(db)) {
		sk_close(db);
		return say(msg, size, 3, "not read-only: the test means nothing");
	}
	sqlite3 *c = sk_sqlite(db);
	sqlite3_stmt *st = NULL;
	char c1;
	int rc = 0;
	if (sqlite3_exec(c, "PRAGMA cache_size = 1", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c, "SELECT min(date), max(date), (SELECT value FROM settings"
	                          " WHERE key = 'office_name') FROM contact_last_engaged",
	                       -1, &st, NULL) != SQLITE_OK)
		rc = say(msg, size, 4, "cannot read: %s", sqlite3_errmsg(c));
	else if (!r->owner_first &&
	         (write(r->pipes->go[1], "g", 1) != 1 || read(r->pipes->ready[0], &c1, 1) != 1))
		rc = say(msg, size, 5, "the owner did not start");
	char last[7] = "";
	int seen = 0;
	for (long i = 0, quiet = 0; rc == 0 && seen < 5; i++, quiet++) {
		int step = sqlite3_step(st);
		const char *lo = (const char *)sqlite3_column_text(st, 0);
		const char *hi = (const char *)sqlite3_column_text(st, 1);
		const char *set = (const char *)sqlite3_column_text(st, 2);
		if (step != SQLITE_ROW || !lo || !hi || !set)
			rc = say(msg, size, 6, "read %ld failed: %s", i, sqlite3_errmsg(c));
		else if (strcmp(lo, hi) != 0 || strncmp(lo, set, 6) != 0 || strlen(set) != 6)
			rc = say(msg, size, 7, "read %ld is torn: rows of generations %.6s to %.6s, "
			         "the setting of %s", i, lo, hi, set);
		else if (strcmp(set, last) != 0) {
			snprintf(last, sizeof last, "%s", set);
			seen++;
			quiet = 0;
		} else if (quiet > 200000) {
			rc = say(msg, size, 8, "stuck at generation %s after %ld reads", last, i);
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sk_close(db);
	return rc;
}

static void reader_never_sees_a_torn_state(void **state)
{
	(void)state;
	tu_db t;
	make_generations(&t);
	owner_pipes p;
	char msg[1024];

	/* The reader first, the owner after: once the reader opened it as
	 * immutable, it read pages of two saves. */
	forbid_writing(&t, geteuid() == 0 ? 0755 : 0555);
	pid_t owner = start_owner(&t, &p);
	torn_reader r = {t.path, &p, false};
	int rc = tu_in_child(read_generations, &r, 1, 0, msg, sizeof msg);
	stop_owner(owner, &p);
	allow_writing(&t);
	if (rc != 0)
		fail_msg("reader opened first: %s", msg);

	/* The owner first: the reader reads through the -wal and -shm, and
	 * sees every save whole. (As root the file is the reader's to read
	 * before the owner opens it, so that its -shm is too; without root
	 * the owner, who is also the reader, opens it before it loses the
	 * right to write.) */
	if (geteuid() == 0)
		forbid_writing(&t, 0755);
	owner = start_owner(&t, &p);
	char c;
	assert_int_equal(write(p.go[1], "g", 1), 1);
	assert_int_equal(read(p.ready[0], &c, 1), 1);
	if (geteuid() != 0)
		forbid_writing(&t, 0555);
	r.owner_first = true;
	rc = tu_in_child(read_generations, &r, 1, 0, msg, sizeof msg);
	stop_owner(owner, &p);
	allow_writing(&t);
	if (rc != 0)
		fail_msg("owner opened first: %s", msg);
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
		cmocka_unit_test(reader_never_sees_a_torn_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
