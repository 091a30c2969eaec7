/*
 * test_backup.c: copies made while another process writes, the rotating
 * daily backup, restoring (and refusing to restore) a copy, the refusal
 * of world-writable files, and sharing the database with a group.
 */
#define _DEFAULT_SOURCE /* flock */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <grp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scodesk/backup.h"
#include "scodesk/share.h"
#include "testutil.h"

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

/* Runs sql on a connection of its own to path (no scodesk checks). */
static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *c;
	assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(c, sql, NULL, NULL, &msg) != SQLITE_OK) {
		char copy[256];
		snprintf(copy, sizeof copy, "%s", msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(c);
		fail_msg("\"%s\" on %s: %s", sql, path, copy);
	}
	assert_int_equal(sqlite3_close(c), SQLITE_OK);
}

static sk_db *open_ok(const char *path, unsigned flags)
{
	sk_db *db = NULL;
	sk_err err;
	if (sk_open(path, flags, &db, &err) != SK_OK)
		fail_msg("cannot open %s: %s", path, err.msg);
	return db;
}

static void no_findings(void *ctx, const char *finding)
{
	(void)ctx;
	fail_msg("finding: %s", finding);
}

/* Opens a copy read-only and checks it the way `scodesk check` does. */
static void assert_sound_copy(const char *path)
{
	sk_db *db = open_ok(path, SK_OPEN_READONLY);
	sk_err err;
	assert_int_equal(sk_check(db, no_findings, NULL, &err), 0);
	assert_int_equal(tu_int(db, "PRAGMA application_id"), SK_APPLICATION_ID);
	assert_int_equal(tu_int(db, "PRAGMA user_version"), SK_SCHEMA_VERSION);
	/* Every insert of a contact is audited in the same transaction: a copy
	 * from one snapshot has as many of each. */
	assert_int_equal(tu_int(db, "SELECT count(*) FROM contacts"),
	                 tu_int(db, "SELECT count(*) FROM audit_log WHERE table_name = "
	                           "'contacts' AND action = 'insert'"));
	sk_close(db);
}

/* Inserts n contacts in one transaction, each with `size` bytes of notes
 * (large ones make the file big enough for the copy to take many steps). */
static void add_contacts(sk_db *db, int n, size_t size, const char *name)
{
	const sk_table *t = sk_table_find("contacts");
	char *notes = malloc(size + 1);
	assert_non_null(notes);
	for (size_t i = 0; i < size; i++)
		notes[i] = (char)('a' + i % 26);
	notes[size] = '\0';
	sk_err err;
	assert_int_equal(sk_begin(db, &err), SK_OK);
	for (int i = 0; i < n; i++) {
		sk_record *rec = sk_record_new(t);
		assert_non_null(rec);
		assert_int_equal(sk_set(rec, "last_name", name), SK_OK);
		assert_int_equal(sk_set(rec, "notes", notes), SK_OK);
		tu_insert(db, rec);
		sk_record_free(rec);
	}
	assert_int_equal(sk_commit(db, &err), SK_OK);
	free(notes);
}

static long long count_named(sk_db *db, const char *name)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(sk_sqlite(db),
	                                    "SELECT count(*) FROM contacts WHERE last_name = ?",
	                                    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Names in dir, sorted, joined by spaces. */
static void listing(const char *dir, char *buf, size_t size)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | LC_ALL=C sort | tr '\\n' ' '", dir);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	pclose(f);
}

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, size, f), size);
	assert_int_equal(fclose(f), 0);
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		fail_msg("cannot stat %s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

/* ---- copies ---------------------------------------------------------------- */

static void backup_is_sound_private_and_self_contained(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	add_contacts(t.db, 20, 100, "Copied");
	char copy[400];
	snprintf(copy, sizeof copy, "%s/copy.db", t.dir);
	sk_err err;
	if (sk_backup(t.db, copy, &err) != SK_OK)
		fail_msg("backup: %s", err.msg);
	assert_int_equal(mode_of(copy), 0600);
	/* One file: the rollback journal, no -wal or -shm to carry along. */
	sqlite3 *c;
	assert_int_equal(sqlite3_open_v2(copy, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(c, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "delete");
	sqlite3_finalize(st);
	sqlite3_close(c);
	assert_sound_copy(copy);
	sk_db *db = open_ok(copy, SK_OPEN_READONLY);
	assert_int_equal(count_named(db, "Copied"), 20);
	sk_close(db);
	char names[1000];
	listing(t.dir, names, sizeof names);
	assert_string_equal(names, "copy.db test.db test.db-shm test.db-wal ");

	/* A second copy replaces the first. */
	add_contacts(t.db, 5, 100, "Later");
	assert_int_equal(sk_backup(t.db, copy, &err), SK_OK);
	db = open_ok(copy, SK_OPEN_READONLY);
	assert_int_equal(count_named(db, "Later"), 5);
	sk_close(db);
	tu_close(&t);
}

static void backup_failures_leave_nothing(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	char path[400], names[1000];
	sk_err err;
	/* No such folder: the sentence names the file. */
	snprintf(path, sizeof path, "%s/missing/copy.db", t.dir);
	assert_int_equal(sk_backup(t.db, path, &err), SK_IO);
	if (!strstr(err.msg, path))
		fail_msg("unclear message: %s", err.msg);
	/* Not over the database itself. */
	assert_int_equal(sk_backup(t.db, t.path, &err), SK_INVALID);
	/* Not in the middle of a change, which the copy would not hold. */
	assert_int_equal(sk_begin(t.db, &err), SK_OK);
	snprintf(path, sizeof path, "%s/copy.db", t.dir);
	assert_int_equal(sk_backup(t.db, path, &err), SK_INVALID);
	sk_rollback(t.db);
	listing(t.dir, names, sizeof names);
	assert_string_equal(names, "test.db test.db-shm test.db-wal ");
	/* A folder that may not be written (root may write anywhere). */
	if (geteuid() != 0) {
		char ro[300];
		snprintf(ro, sizeof ro, "%s/ro", t.dir);
		assert_int_equal(mkdir(ro, 0500), 0);
		snprintf(path, sizeof path, "%s/copy.db", ro);
		assert_int_equal(sk_backup(t.db, path, &err), SK_IO);
		if (!strstr(err.msg, path))
			fail_msg("unclear message: %s", err.msg);
		chmod(ro, 0700);
		listing(ro, names, sizeof names);
		assert_string_equal(names, "");
	}
	tu_close(&t);
}

/* A writer in another process inserts contacts until told to stop. */
static void writer(const char *path, int ready, int stop)
{
	sk_db *db;
	sk_err err;
	if (sk_open(path, 0, &db, &err) != SK_OK) {
		fprintf(stderr, "writer: %s\n", err.msg);
		_exit(2);
	}
	fcntl(stop, F_SETFL, O_NONBLOCK);
	const sk_table *t = sk_table_find("contacts");
	for (int i = 0;; i++) {
		sk_record *rec = sk_record_new(t);
		if (!rec || sk_set(rec, "last_name", "Writer") != SK_OK ||
		    sk_insert(db, rec, &err) != SK_OK) {
			fprintf(stderr, "writer: %s\n", err.msg);
			_exit(3);
		}
		sk_record_free(rec);
		if (i == 0 && write(ready, "r", 1) != 1)
			_exit(4);
		char c;
		if (read(stop, &c, 1) != -1 || errno != EAGAIN)
			break;
	}
	sk_close(db);
	_exit(0);
}

static void backup_while_another_process_writes(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	/* About 1,500 pages: the copy takes several steps of 256. */
	add_contacts(t.db, 400, 12000, "Bulk");
	/* No connection may cross fork(): SQLite's locks are per process. */
	sk_close(t.db);
	t.db = NULL;

	int ready[2], stop[2];
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(stop), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(ready[0]);
		close(stop[1]);
		writer(t.path, ready[1], stop[0]);
	}
	close(ready[1]);
	close(stop[0]);
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);

	t.db = open_ok(t.path, 0);
	long long before = count_named(t.db, "Writer");
	char copies[3][400];
	sk_err err;
	for (int i = 0; i < 3; i++) {
		snprintf(copies[i], sizeof copies[i], "%s/copy%d.db", t.dir, i);
		if (sk_backup(t.db, copies[i], &err) != SK_OK)
			fail_msg("backup while writing: %s", err.msg);
	}
	long long after = count_named(t.db, "Writer");
	close(stop[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("the writer failed (status %d)", status);
	/* The writer was not held up while the copies were made. */
	if (after <= before)
		fail_msg("the writer wrote nothing during the copies (%lld, %lld)", before, after);

	long long last = 0;
	for (int i = 0; i < 3; i++) {
		assert_sound_copy(copies[i]);
		sk_db *db = open_ok(copies[i], SK_OPEN_READONLY);
		long long n = count_named(db, "Writer");
		assert_int_equal(count_named(db, "Bulk"), 400);
		sk_close(db);
		if (n < before || n > after || n < last)
			fail_msg("copy %d holds %lld of the writer's rows, outside %lld..%lld", i,
			         n, before, after);
		last = n;
	}
	char names[1000];
	listing(t.dir, names, sizeof names);
	assert_string_equal(names, "copy0.db copy1.db copy2.db test.db test.db-shm test.db-wal ");
	close(ready[0]);
	tu_close(&t);
}

/* ---- daily backups ------------------------------------------------------- */

static void daily_backup_rotates(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	add_contacts(t.db, 3, 10, "Daily");
	assert_int_equal(sk_setting_int(t.db, "backup_keep"), 7);
	char dir[400], p[600], made[600], names[2000];
	snprintf(dir, sizeof dir, "%s/b", t.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	/* Ten older daily backups, and files that only look like them. */
	for (int d = 10; d < 20; d++) {
		snprintf(p, sizeof p, "%s/scodesk-2026-11-%02d.db", dir, d);
		write_file(p, "old", 3);
	}
	static const char *const others[] = {
		"scodesk-2026-01-01.db.bak", "notes.txt", "scodesk-2026-1-01.db",
		"scodesk-2026-01-0x.db", "Scodesk-2026-01-01.db",
	};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, others[i]);
		write_file(p, "other", 5);
	}
	/* A link with a backup's name is not a backup to remove. */
	snprintf(p, sizeof p, "%s/scodesk-2026-01-02.db", dir);
	assert_int_equal(symlink("notes.txt", p), 0);

	sk_err err;
	if (sk_backup_daily_ex(t.db, dir, 3, made, sizeof made, &err) != SK_OK)
		fail_msg("daily backup: %s", err.msg);
	snprintf(p, sizeof p, "%s/scodesk-2026-11-25.db", dir);
	assert_string_equal(made, p);
	assert_sound_copy(p);
	listing(dir, names, sizeof names);
	assert_string_equal(names, "Scodesk-2026-01-01.db notes.txt scodesk-2026-01-01.db.bak "
	                    "scodesk-2026-01-02.db scodesk-2026-01-0x.db "
	                    "scodesk-2026-1-01.db scodesk-2026-11-18.db scodesk-2026-11-19.db "
	                    "scodesk-2026-11-25.db ");

	/* Today's exists: nothing is made or removed, the copy is not redone. */
	struct stat before, after;
	assert_int_equal(stat(p, &before), 0);
	add_contacts(t.db, 1, 10, "Later");
	assert_int_equal(sk_backup_daily_ex(t.db, dir, 1, made, sizeof made, &err), SK_OK);
	assert_string_equal(made, "");
	assert_int_equal(stat(p, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(before.st_mtime, after.st_mtime);
	char again[2000];
	listing(dir, again, sizeof again);
	assert_string_equal(again, names);

	/* Another day, keep 1: only the new one remains. */
	setenv("SCODESK_TODAY", "2026-11-26", 1);
	sk_close(t.db);
	t.db = open_ok(t.path, 0);
	assert_int_equal(sk_backup_daily(t.db, dir, 1, &err), SK_OK);
	listing(dir, names, sizeof names);
	assert_string_equal(names, "Scodesk-2026-01-01.db notes.txt scodesk-2026-01-01.db.bak "
	                    "scodesk-2026-01-02.db scodesk-2026-01-0x.db "
	                    "scodesk-2026-1-01.db scodesk-2026-11-26.db ");
	snprintf(p, sizeof p, "%s/scodesk-2026-11-26.db", dir);
	sk_db *db = open_ok(p, SK_OPEN_READONLY);
	assert_int_equal(count_named(db, "Later"), 1);
	sk_close(db);
	setenv("SCODESK_TODAY", "2026-11-25", 1);
	tu_close(&t);
}

static void daily_backup_default_folder_and_off(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	char dir[400], names[1000], made[600];
	sk_backup_dir(t.db, dir, sizeof dir);
	char want[500];
	snprintf(want, sizeof want, "%s/backups", t.dir);
	assert_string_equal(dir, want);
	sk_err err;
	/* keep 0 turns it off: no folder, no file. */
	assert_int_equal(sk_backup_daily_ex(t.db, NULL, 0, made, sizeof made, &err), SK_OK);
	assert_string_equal(made, "");
	listing(t.dir, names, sizeof names);
	assert_string_equal(names, "test.db test.db-shm test.db-wal ");
	/* The default folder is made, private. */
	mode_t old = umask(022);
	sk_status s = sk_backup_daily_ex(t.db, NULL, (int)sk_setting_int(t.db, "backup_keep"),
	                                 made, sizeof made, &err);
	umask(old);
	if (s != SK_OK)
		fail_msg("daily backup: %s", err.msg);
	assert_int_equal(mode_of(dir), 0700);
	listing(dir, names, sizeof names);
	assert_string_equal(names, "scodesk-2026-11-25.db ");
	snprintf(want, sizeof want, "%s/scodesk-2026-11-25.db", dir);
	assert_string_equal(made, want);
	assert_int_equal(mode_of(want), 0600);
	tu_close(&t);
}

/* Sets a file's modification time `ago` seconds back (not following links). */
static void age_file(const char *path, time_t ago)
{
	struct timespec times[2];
	times[0].tv_sec = times[1].tv_sec = time(NULL) - ago;
	times[0].tv_nsec = times[1].tv_nsec = 0;
	if (utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) != 0)
		fail_msg("utimensat %s: %s", path, strerror(errno));
}

static void daily_backup_removes_stale_temps(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	char dir[400], p[600], names[2000];
	snprintf(dir, sizeof dir, "%s/b", t.dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	/* Left by daily copies cut short two hours ago: removed. */
	static const char *const stale[] = {
		"scodesk-2026-11-24.db.tmp-Ab3xY9", "scodesk-2026-11-24.db.tmp-Ab3xY9-journal",
		"scodesk-2026-11-25.db.tmp-zz0000", "scodesk-2026-11-25.db.tmp-zz0000-wal",
	};
	/* A copy still being written (it holds a lock on its file), and stale
	 * files that are not a daily copy's temporary: kept. */
	static const char *const fresh[] = {
		"scodesk-2026-11-25.db.tmp-Qw12er", "scodesk-2026-11-25.db.tmp-Qw12er-journal",
	};
	static const char *const others[] = {
		"notes.tmp-abcdef", "scodesk-2026-11-24.db.tmp-abc", "scodesk-2026-11-24.db.tmp-abcdef.bak",
		"scodesk-2026-11-24.db.tmp-abcdef-old", "scodesk-backup-20261124T000000Z.db.tmp-abcdef",
		"scodesk-2026-1-24.db.tmp-abcdef", "xscodesk-2026-11-24.db.tmp-abcdef",
		"scodesk-2026-11-24.db.tmp-ab_def",
	};
	for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, stale[i]);
		write_file(p, "partial", 7);
		age_file(p, 7200);
	}
	for (size_t i = 0; i < sizeof fresh / sizeof fresh[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, fresh[i]);
		write_file(p, "partial", 7);
	}
	snprintf(p, sizeof p, "%s/%s", dir, fresh[0]);
	int busy = open(p, O_RDONLY);
	assert_true(busy >= 0);
	assert_int_equal(flock(busy, LOCK_EX), 0);
	/* A copy of this user's that was killed a moment ago: no lock, so it
	 * is known abandoned, however fresh. */
	snprintf(p, sizeof p, "%s/scodesk-2026-11-25.db.tmp-Kill3d", dir);
	write_file(p, "partial", 7);
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, others[i]);
		write_file(p, "other", 5);
		age_file(p, 7200);
	}
	/* Only plain files: a folder and a link with a temporary's name stay. */
	snprintf(p, sizeof p, "%s/scodesk-2026-11-23.db.tmp-dir123", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	age_file(p, 7200);
	snprintf(p, sizeof p, "%s/scodesk-2026-11-23.db.tmp-lnk123", dir);
	assert_int_equal(symlink("notes.tmp-abcdef", p), 0);
	age_file(p, 7200);

	sk_err err;
	if (sk_backup_daily(t.db, dir, 7, &err) != SK_OK)
		fail_msg("daily backup: %s", err.msg);
	close(busy);
	listing(dir, names, sizeof names);
	assert_string_equal(names, "notes.tmp-abcdef scodesk-2026-1-24.db.tmp-abcdef "
	                    "scodesk-2026-11-23.db.tmp-dir123 scodesk-2026-11-23.db.tmp-lnk123 "
	                    "scodesk-2026-11-24.db.tmp-ab_def scodesk-2026-11-24.db.tmp-abc "
	                    "scodesk-2026-11-24.db.tmp-abcdef-old "
	                    "scodesk-2026-11-24.db.tmp-abcdef.bak scodesk-2026-11-25.db "
	                    "scodesk-2026-11-25.db.tmp-Qw12er "
	                    "scodesk-2026-11-25.db.tmp-Qw12er-journal "
	                    "scodesk-backup-20261124T000000Z.db.tmp-abcdef "
	                    "xscodesk-2026-11-24.db.tmp-abcdef ");
	tu_close(&t);
}

/* ---- restore -------------------------------------------------------------- */

/* The live database as bytes, with every connection closed. */
static char *live_bytes(tu_db *t, size_t *size)
{
	char *data = tu_slurp(t->path, size);
	assert_non_null(data);
	return data;
}

static void assert_refused(tu_db *t, const char *from, sk_status want, const char *says,
                           const char *original, size_t size)
{
	sk_err err;
	sk_status s = sk_restore_file(t->path, from, &err);
	if (s != want)
		fail_msg("restore from %s: %s, expected %s (%s)", from, sk_status_name(s),
		         sk_status_name(want), err.msg);
	if (!strstr(err.msg, from) || !strstr(err.msg, says))
		fail_msg("unclear message for %s: %s", from, err.msg);
	size_t n;
	char *now = live_bytes(t, &n);
	if (n != size || memcmp(now, original, n) != 0)
		fail_msg("the live database changed after refusing %s", from);
	free(now);
	char names[1000];
	listing(t->dir, names, sizeof names);
	if (strstr(names, "before-restore") || strstr(names, "test.db-"))
		fail_msg("files were left: %s", names);
}

static void restore_refuses_unsound_files(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	add_contacts(t.db, 200, 2000, "Live");
	char good[400], p[400];
	snprintf(good, sizeof good, "%s/good.db", t.dir);
	sk_err err;
	assert_int_equal(sk_backup(t.db, good, &err), SK_OK);
	/* A reference to a person that is not there, in a copy of good. */
	const sk_table *lang = sk_table_find("languages");
	sk_record *rec = tu_valid(t.db, lang, 1);
	tu_insert(t.db, rec);
	sk_record_free(rec);
	char broken_ref[400];
	snprintf(broken_ref, sizeof broken_ref, "%s/broken-ref.db", t.dir);
	assert_int_equal(sk_backup(t.db, broken_ref, &err), SK_OK);
	raw_exec(broken_ref, "PRAGMA foreign_keys = OFF; UPDATE languages SET person_id = 999999");
	sk_close(t.db);
	t.db = NULL;
	size_t size;
	char *original = live_bytes(&t, &size);

	/* Bytes that are no database at all. */
	char garbage[8192];
	for (size_t i = 0; i < sizeof garbage; i++)
		garbage[i] = (char)(i * 7919 % 251);
	snprintf(p, sizeof p, "%s/garbage.db", t.dir);
	write_file(p, garbage, sizeof garbage);
	assert_refused(&t, p, SK_REFUSED, "not a scodesk database", original, size);
	unlink(p);
	/* Another program's database. */
	snprintf(p, sizeof p, "%s/other.db", t.dir);
	raw_exec(p, "CREATE TABLE t(x); INSERT INTO t VALUES (1)");
	assert_refused(&t, p, SK_REFUSED, "another program", original, size);
	unlink(p);
	/* An empty SQLite database. */
	snprintf(p, sizeof p, "%s/empty.db", t.dir);
	raw_exec(p, "PRAGMA user_version = 0");
	assert_refused(&t, p, SK_REFUSED, "empty", original, size);
	unlink(p);
	/* A newer scodesk's. */
	snprintf(p, sizeof p, "%s/newer.db", t.dir);
	char cmd[1000];
	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", good, p);
	assert_int_equal(system(cmd), 0);
	raw_exec(p, "PRAGMA user_version = 99");
	assert_refused(&t, p, SK_REFUSED, "newer", original, size);
	unlink(p);
	/* A copy with a damaged page in the middle. */
	snprintf(p, sizeof p, "%s/damaged.db", t.dir);
	size_t gsize;
	char *bytes = tu_slurp(good, &gsize);
	assert_non_null(bytes);
	assert_true(gsize > 40 * 4096);
	memset(bytes + 20 * 4096, 0x5a, 4096);
	write_file(p, bytes, gsize);
	free(bytes);
	assert_refused(&t, p, SK_REFUSED, "not", original, size);
	unlink(p);
	/* A broken reference. */
	assert_refused(&t, broken_ref, SK_REFUSED, "foreign key", original, size);
	unlink(broken_ref);
	/* A file that is not there. */
	snprintf(p, sizeof p, "%s/missing.db", t.dir);
	assert_refused(&t, p, SK_NOTFOUND, "missing.db", original, size);
	/* The database itself. */
	assert_int_equal(sk_restore_file(t.path, t.path, &err), SK_INVALID);

	/* The good copy is accepted: the refusals were not of everything. */
	char saved[600];
	if (sk_restore_file_ex(t.path, good, saved, sizeof saved, &err) != SK_OK)
		fail_msg("restore of a good copy: %s", err.msg);
	free(original);
	tu_close(&t);
}

static void restore_brings_data_back(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	const sk_table *contacts = sk_table_find("contacts");
	sk_record *rec = tu_valid(t.db, contacts, 1);
	assert_int_equal(sk_set(rec, "last_name", "Original"), SK_OK);
	int64_t id = tu_insert(t.db, rec);
	sk_record_free(rec);
	char copy[400];
	snprintf(copy, sizeof copy, "%s/copy.db", t.dir);
	sk_err err;
	assert_int_equal(sk_backup(t.db, copy, &err), SK_OK);

	/* Later changes the restore undoes. */
	assert_int_equal(sk_get_record(t.db, contacts, id, &rec, &err), SK_OK);
	assert_int_equal(sk_set(rec, "last_name", "Changed"), SK_OK);
	assert_int_equal(sk_update(t.db, rec, &err), SK_OK);
	sk_record_free(rec);
	add_contacts(t.db, 2, 10, "Added");

	/* Another user keeps the database open meanwhile. */
	sk_db *other = t.db;
	t.db = NULL;
	assert_int_equal(count_named(other, "Added"), 2);

	char saved[600];
	if (sk_restore_file_ex(t.path, copy, saved, sizeof saved, &err) != SK_OK)
		fail_msg("restore: %s", err.msg);
	char prefix[400];
	snprintf(prefix, sizeof prefix, "%s.before-restore-", t.path);
	if (strncmp(saved, prefix, strlen(prefix)) != 0)
		fail_msg("the previous database went to %s", saved);
	assert_int_equal(mode_of(saved), 0600);

	/* The other connection sees the restored data at once. */
	assert_int_equal(count_named(other, "Added"), 0);
	assert_int_equal(count_named(other, "Original"), 1);
	assert_int_equal(count_named(other, "Changed"), 0);
	sk_close(other);

	t.db = open_ok(t.path, 0);
	assert_int_equal(sk_check(t.db, no_findings, NULL, &err), 0);
	assert_int_equal(count_named(t.db, "Original"), 1);
	/* The audit entry names the files. */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(sk_sqlite(t.db),
	                                    "SELECT action, table_name, before, after, row_id"
	                                    " FROM audit_log ORDER BY id DESC LIMIT 1",
	                                    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "restore");
	assert_string_equal((const char *)sqlite3_column_text(st, 1), "database");
	const char *before = (const char *)sqlite3_column_text(st, 2);
	const char *after = (const char *)sqlite3_column_text(st, 3);
	if (!strstr(before, t.path) || !strstr(before, saved))
		fail_msg("audit before: %s", before);
	if (!strstr(after, copy))
		fail_msg("audit after: %s", after);
	assert_int_equal(sqlite3_column_type(st, 4), SQLITE_NULL);
	sqlite3_finalize(st);
	assert_int_equal(tu_int(t.db, "SELECT json_valid(before) AND json_valid(after)"
	                             " FROM audit_log ORDER BY id DESC LIMIT 1"), 1);

	/* What was there before the restore is kept, whole. */
	assert_sound_copy(saved);
	sk_db *db = open_ok(saved, SK_OPEN_READONLY);
	assert_int_equal(count_named(db, "Added"), 2);
	assert_int_equal(count_named(db, "Changed"), 1);
	sk_close(db);
	tu_close(&t);
}

static void restore_older_schema_and_missing_database(void **state)
{
	(void)state;
	tu_db t;
	tu_mkdir(&t);
	/* A version 1 database with one contact. */
	char old[400];
	snprintf(old, sizeof old, "%s/v1.db", t.dir);
	sk_db *db = NULL;
	sk_err err;
	assert_int_equal(sk_open(old, SK_OPEN_CREATE | SK_OPEN_NO_MIGRATE, &db, &err), SK_OK);
	assert_int_equal(sk_migrate(db, 1, &err), SK_OK);
	assert_int_equal(sk_schema_version(db), 1);
	raw_exec(old, "INSERT INTO contacts (last_name, key_leader, created_at, updated_at, "
	              "version) VALUES ('Old', 0, '2026-01-01T00:00:00Z', "
	              "'2026-01-01T00:00:00Z', 1)");
	sk_close(db);

	/* There is no database yet: the restore makes it. */
	char saved[600];
	if (sk_restore_file_ex(t.path, old, saved, sizeof saved, &err) != SK_OK)
		fail_msg("restore: %s", err.msg);
	assert_string_equal(saved, "");
	assert_int_equal(mode_of(t.path), 0600);
	t.db = open_ok(t.path, 0);
	assert_int_equal(sk_schema_version(t.db), SK_SCHEMA_VERSION);
	assert_int_equal(sk_check(t.db, no_findings, NULL, &err), 0);
	assert_int_equal(count_named(t.db, "Old"), 1);
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM audit_log WHERE action = 'restore'"), 1);
	assert_int_equal(tu_int(t.db, "PRAGMA application_id"), SK_APPLICATION_ID);
	tu_close(&t);
}

/* ---- permissions ---------------------------------------------------------- */

static void world_writable_refused(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_close(t.db);
	t.db = NULL;
	sk_db *db = NULL;
	sk_err err;
	unsigned flags[] = {0, SK_OPEN_READONLY};
	for (size_t i = 0; i < 2; i++) {
		assert_int_equal(chmod(t.path, 0666), 0);
		assert_int_equal(sk_open(t.path, flags[i], &db, &err), SK_REFUSED);
		assert_null(db);
		if (!strstr(err.msg, t.path) || !strstr(err.msg, "chmod o-w"))
			fail_msg("unclear message: %s", err.msg);
		assert_int_equal(chmod(t.path, 0600), 0);
		/* The folder: anyone could put another file in its place. */
		assert_int_equal(chmod(t.dir, 0777), 0);
		assert_int_equal(sk_open(t.path, flags[i], &db, &err), SK_REFUSED);
		assert_null(db);
		if (!strstr(err.msg, t.dir) || !strstr(err.msg, "chmod o-w"))
			fail_msg("unclear message: %s", err.msg);
		/* Sticky (like /tmp): only owners may remove or rename. */
		assert_int_equal(chmod(t.dir, 01777), 0);
		db = open_ok(t.path, flags[i]);
		sk_close(db);
		assert_int_equal(chmod(t.dir, 0700), 0);
	}
	/* No new file in a world-writable folder either. */
	char sub[400], path[450];
	snprintf(sub, sizeof sub, "%s/open", t.dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(chmod(sub, 0777), 0);
	snprintf(path, sizeof path, "%s/new.db", sub);
	assert_int_equal(sk_open(path, SK_OPEN_CREATE, &db, &err), SK_REFUSED);
	assert_int_equal(access(path, F_OK), -1);
	/* Group-writable is how a shared database is meant to be. */
	assert_int_equal(chmod(t.path, 0660), 0);
	assert_int_equal(chmod(t.dir, 02770), 0);
	db = open_ok(t.path, 0);
	assert_false(sk_readonly(db));
	sk_close(db);
	chmod(t.dir, 0700);
	tu_close(&t);
}

/* A group to share with: "users" when root (any group will do), else the
 * user's own. */
static const struct group *share_group(void)
{
	const struct group *g = geteuid() == 0 ? getgrnam("users") : NULL;
	if (!g && geteuid() == 0)
		g = getgrnam("nogroup");
	if (!g)
		g = getgrgid(getegid());
	return g;
}

typedef struct member_ctx {
	const char *path, *dir;
	unsigned gid;
} member_ctx;

/* As a member of the group (not the owner): the database opens for
 * writing, and the -wal and -shm SQLite makes are the group's, 0660. */
static int member_writes(void *ctx, char *msg, size_t size)
{
	const member_ctx *m = ctx;
	sk_db *db;
	sk_err err;
	if (sk_open(m->path, 0, &db, &err) != SK_OK)
		return say(msg, size, 1, "open: %s", err.msg);
	if (sk_readonly(db))
		return say(msg, size, 2, "opened read-only");
	sk_record *rec = sk_record_new(sk_table_find("contacts"));
	sk_set(rec, "last_name", "Member");
	sk_status s = sk_insert(db, rec, &err);
	sk_record_free(rec);
	if (s != SK_OK)
		return say(msg, size, 3, "insert: %s", err.msg);
	static const char *const sides[] = {"-wal", "-shm"};
	for (int i = 0; i < 2; i++) {
		char p[600];
		struct stat st;
		snprintf(p, sizeof p, "%s%s", m->path, sides[i]);
		if (stat(p, &st) != 0)
			return say(msg, size, 4, "no %s", p);
		if ((st.st_mode & 0777) != 0660 || st.st_gid != m->gid)
			return say(msg, size, 5, "%s is mode %o group %u", p,
			                (unsigned)(st.st_mode & 0777), (unsigned)st.st_gid);
	}
	/* A daily backup by a member is for the whole group. */
	char made[600];
	s = sk_backup_daily_ex(db, NULL, 7, made, sizeof made, &err);
	sk_close(db);
	if (s != SK_OK)
		return say(msg, size, 6, "daily backup: %s", err.msg);
	struct stat st;
	if (stat(made, &st) != 0 || (st.st_mode & 0777) != 0660 || st.st_gid != m->gid)
		return say(msg, size, 7, "backup %s is not the group's", made);
	return 0;
}

static void share_with_group(void **state)
{
	(void)state;
	const struct group *g = share_group();
	assert_non_null(g);
	char gname[64];
	snprintf(gname, sizeof gname, "%s", g->gr_name);
	gid_t gid = g->gr_gid;
	tu_db t;
	tu_open(&t);
	add_contacts(t.db, 1, 10, "Owner");
	sk_err err;

	/* Refusals change nothing. */
	assert_int_equal(sk_share(t.path, "no-such-group-here", &err), SK_REFUSED);
	if (!strstr(err.msg, "no-such-group-here"))
		fail_msg("unclear message: %s", err.msg);
	char other[400];
	snprintf(other, sizeof other, "%s/private-notes.txt", t.dir);
	write_file(other, "x", 1);
	assert_int_equal(sk_share(t.path, gname, &err), SK_REFUSED);
	if (!strstr(err.msg, "private-notes.txt"))
		fail_msg("unclear message: %s", err.msg);
	assert_int_equal(mode_of(t.path), 0600);
	assert_int_equal(mode_of(t.dir), 0700);
	unlink(other);

	/* With the database open, its -wal and -shm are shared too. */
	if (sk_share(t.path, gname, &err) != SK_OK)
		fail_msg("share: %s", err.msg);
	static const char *const sides[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		char p[600];
		struct stat st;
		snprintf(p, sizeof p, "%s%s", t.path, sides[i]);
		assert_int_equal(stat(p, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0660);
		assert_int_equal(st.st_gid, gid);
	}
	struct stat st;
	assert_int_equal(stat(t.dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 02770);
	assert_int_equal(st.st_gid, gid);
	sk_close(t.db);
	t.db = NULL;

	if (geteuid() == 0) {
		/* nobody, in the group only through it, may now work in it. */
		member_ctx m = {t.path, t.dir, (unsigned)gid};
		char msg[1024];
		if (tu_in_child(member_writes, &m, 1, (unsigned)gid, msg, sizeof msg) != 0)
			fail_msg("group member: %s", msg);
		t.db = open_ok(t.path, 0);
		assert_int_equal(count_named(t.db, "Member"), 1);
		char backups[400];
		sk_backup_dir(t.db, backups, sizeof backups);
		assert_int_equal(stat(backups, &st), 0);
		assert_int_equal(st.st_mode & 07777, 02770);
		assert_int_equal(st.st_gid, gid);
	}
	tu_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(backup_is_sound_private_and_self_contained),
		cmocka_unit_test(backup_failures_leave_nothing),
		cmocka_unit_test(backup_while_another_process_writes),
		cmocka_unit_test(daily_backup_rotates),
		cmocka_unit_test(daily_backup_default_folder_and_off),
		cmocka_unit_test(daily_backup_removes_stale_temps),
		cmocka_unit_test(restore_refuses_unsound_files),
		cmocka_unit_test(restore_brings_data_back),
		cmocka_unit_test(restore_older_schema_and_missing_database),
		cmocka_unit_test(world_writable_refused),
		cmocka_unit_test(share_with_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
