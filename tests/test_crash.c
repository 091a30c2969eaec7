/*
 * test_crash.c: writes under stress. A writer killed at a random moment
 * loses nothing it was told was saved and leaves a sound database; two
 * writers at once both get through; a full disk refuses cleanly.
 *
 * Two hundred times a child opens the database and writes in a loop:
 * single inserts, pairs of inserts in one transaction, updates. After each
 * write returns SK_OK it reports the write on a pipe. The parent kills it
 * with SIGKILL after 0 to 20 ms (a seeded random delay; the seed is printed
 * and SCODESK_CRASH_SEED repeats it), counted in one round of four from
 * the fork (so that kills land while the database is opened and the last
 * kill's WAL is recovered), in one from the moment the child says it has
 * opened it, and in two from its first saved write (so that half the
 * rounds kill among writes however slowly a loaded machine starts
 * processes or flushes to disk). Then it checks that the file passes
 * integrity_check and sk_check, that every reported write is there, that
 * no pair is half there, and that every insert has its audit entry.
 *
 * Twelve imports of 3,000 contacts are killed at random moments of an
 * import's time: each leaves all of its rows or none, the schema as it
 * was (an import changes full-text triggers inside its transaction), and
 * full-text indexes that find every row.
 *
 * A full disk is the other way a write fails half-way: on a small tmpfs
 * (root only, in a mount namespace of a child's own) changes are refused
 * with SK_IO and leave nothing, a backup leaves no partial file, and once
 * there is room again writing goes on; a form's save refused there leaves
 * the record it was given as it was, and saves once there is room.
 */
#define _GNU_SOURCE /* unshare() and the mount flags */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scodesk/backup.h"
#include "scodesk/csvio.h"
#include "testutil.h"

#define ROUNDS 200
#define MAX_DELAY_US 20000

/* One committed write, as the child reports it. Small enough that a
 * write() of it to a pipe is atomic (PIPE_BUF). */
typedef struct report {
	char kind;      /* 'I' insert, 'P' a pair inserted together, 'U' update,
	                 * 'R' ready: the database is open */
	int64_t id;     /* the row (for 'P', the first of the two) */
	int64_t marker; /* in last_name ('I', 'P') or notes ('U') */
} report;

/* ---- the child --------------------------------------------------------------- */

static void put(int out, char kind, int64_t id, int64_t marker)
{
	report r = {kind, id, marker};
	if (write(out, &r, sizeof r) != (ssize_t)sizeof r)
		_exit(5);
}

static void fail_child(const char *what, const sk_err *err)
{
	fprintf(stderr, "crash child: %s: %s\n", what, err->msg);
	_exit(3);
}

static int64_t insert(sk_db *db, const sk_table *t, char prefix, int64_t marker)
{
	char name[32];
	snprintf(name, sizeof name, "%c%lld", prefix, (long long)marker);
	sk_record *rec = sk_record_new(t);
	sk_err err;
	if (!rec || sk_set(rec, "last_name", name) != SK_OK)
		_exit(4);
	if (sk_insert(db, rec, &err) != SK_OK)
		fail_child("insert", &err);
	int64_t id = sk_record_id(rec);
	sk_record_free(rec);
	return id;
}

/* Writes until killed, markers from `first` on. */
static void child(const char *path, int64_t first, int out)
{
	sk_db *db;
	sk_err err;
	if (sk_open(path, 0, &db, &err) != SK_OK)
		fail_child("open", &err);
	/* Checkpoint every few pages, so that kills land in checkpoints too
	 * (the default waits for 1,000 pages). */
	/* SQLite unlinks a temporary file just after making it; a kill in
	 * between would leave one in the temporary folder each time. */
	if (sqlite3_exec(sk_sqlite(db), "PRAGMA wal_autocheckpoint = 8; PRAGMA temp_store = MEMORY",
	                 NULL, NULL, NULL) != SQLITE_OK)
		_exit(6);
	put(out, 'R', 0, 0);
	const sk_table *t = sk_table_find("contacts");
	int64_t marker = first, last = 0;
	for (int i = 0; i < 1000000; i++) {
		if (i % 4 == 3 && last) {
			sk_record *rec;
			char notes[32];
			if (sk_get_record(db, t, last, &rec, &err) != SK_OK)
				fail_child("read", &err);
			snprintf(notes, sizeof notes, "u%lld", (long long)marker);
			if (sk_set(rec, "notes", notes) != SK_OK)
				_exit(4);
			if (sk_update(db, rec, &err) != SK_OK)
				fail_child("update", &err);
			sk_record_free(rec);
			put(out, 'U', last, marker);
		} else if (i % 4 == 1) {
			if (sk_begin(db, &err) != SK_OK)
				fail_child("begin", &err);
			int64_t id = insert(db, t, 'p', marker);
			insert(db, t, 'q', marker);
			if (sk_commit(db, &err) != SK_OK)
				fail_child("commit", &err);
			put(out, 'P', id, marker);
			last = id;
		} else {
			last = insert(db, t, 'm', marker);
			put(out, 'I', last, marker);
		}
		marker++;
	}
	sk_close(db);
	_exit(0);
}

/* ---- the parent ------------------------------------------------------------- */

typedef struct row {
	int64_t id;
	char name[32];
	char notes[32];
} row;

static unsigned seed;
static int round_no;

static void no_findings(void *ctx, const char *finding)
{
	(void)ctx;
	fail_msg("round %d (seed %u): %s", round_no, seed, finding);
}

/* The contacts with an id above `after`, in id order. */
static row *rows_after(sk_db *db, int64_t after, size_t *count)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(sk_sqlite(db),
	                                    "SELECT id, last_name, notes FROM contacts"
	                                    " WHERE id > ? ORDER BY id", -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(st, 1, after);
	size_t n = 0, cap = 64;
	row *rows = malloc(cap * sizeof *rows);
	assert_non_null(rows);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			cap *= 2;
			rows = realloc(rows, cap * sizeof *rows);
			assert_non_null(rows);
		}
		rows[n].id = sqlite3_column_int64(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *notes = (const char *)sqlite3_column_text(st, 2);
		snprintf(rows[n].name, sizeof rows[n].name, "%s", name ? name : "");
		snprintf(rows[n].notes, sizeof rows[n].notes, "%s", notes ? notes : "");
		n++;
	}
	sqlite3_finalize(st);
	*count = n;
	return rows;
}

static const row *find_row(const row *rows, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && rows[lo].id == id ? &rows[lo] : NULL;
}

/* Reads reports until the pipe closes, after the `n` already in first. */
static report *read_reports(int fd, const report *first, size_t n, size_t *count)
{
	size_t cap = 256;
	report *r = malloc(cap * sizeof *r);
	assert_non_null(r);
	memcpy(r, first, n * sizeof *r);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			r = realloc(r, cap * sizeof *r);
			assert_non_null(r);
		}
		ssize_t got = read(fd, &r[n], sizeof *r);
		if (got == 0)
			break;
		if (got < 0 && errno == EINTR)
			continue;
		if (got != (ssize_t)sizeof *r)
			fail_msg("round %d: a torn report (%zd bytes)", round_no, got);
		n += r[n].kind != 'R';
	}
	*count = n;
	return r;
}

/*
 * Checks the database after a kill. `seen` is the highest id checked in
 * earlier rounds (only later rows are new); returns the next free marker
 * in *next.
 */
static void verify(const char *path, const report *reports, size_t nreports,
                   int64_t *seen, int64_t *next)
{
	sk_db *db;
	sk_err err;
	if (sk_open(path, 0, &db, &err) != SK_OK)
		fail_msg("round %d (seed %u): cannot open after the kill: %s", round_no, seed,
		         err.msg);
	/* sk_check runs PRAGMA integrity_check (any line but "ok" is a
	 * finding) and foreign_key_check, and compares the schema. */
	assert_int_equal(sk_check(db, no_findings, NULL, &err), 0);
	/* Every insert is audited in its own transaction. */
	assert_int_equal(tu_int(db, "SELECT count(*) FROM contacts"),
	                 tu_int(db, "SELECT count(*) FROM audit_log WHERE table_name = 'contacts'"
	                           " AND action = 'insert'"));

	size_t n;
	row *rows = rows_after(db, *seen, &n);
	/* A pair is both there or neither: q<m> right after p<m>. */
	for (size_t i = 0; i < n; i++) {
		const char *name = rows[i].name;
		if (name[0] == 'p' && (i + 1 == n || rows[i + 1].name[0] != 'q' ||
		                       strcmp(rows[i + 1].name + 1, name + 1) != 0))
			fail_msg("round %d (seed %u): %s without its pair", round_no, seed, name);
		if (name[0] == 'q' && (i == 0 || rows[i - 1].name[0] != 'p' ||
		                       strcmp(rows[i - 1].name + 1, name + 1) != 0))
			fail_msg("round %d (seed %u): %s without its pair", round_no, seed, name);
		if (name[0] != 'p' && name[0] != 'q' && name[0] != 'm')
			fail_msg("round %d (seed %u): unexpected row %s", round_no, seed, name);
		long long m = strtoll(name + 1, NULL, 10);
		if (m >= *next)
			*next = m + 1;
	}
	/* Every reported write is there (or, for an update, a later one). */
	for (size_t i = 0; i < nreports; i++) {
		const report *r = &reports[i];
		const row *w = find_row(rows, n, r->id);
		char want[32];
		snprintf(want, sizeof want, "%c%lld", r->kind == 'P' ? 'p' : 'm',
		         (long long)r->marker);
		if (!w)
			fail_msg("round %d (seed %u): reported write %c %lld (row %lld) is lost",
			         round_no, seed, r->kind, (long long)r->marker, (long long)r->id);
		if (r->kind == 'U') {
			long long now = w->notes[0] == 'u' ? strtoll(w->notes + 1, NULL, 10) : -1;
			if (now < r->marker)
				fail_msg("round %d (seed %u): row %lld has notes \"%s\", the reported "
				         "update set u%lld", round_no, seed, (long long)r->id, w->notes,
				         (long long)r->marker);
		} else if (strcmp(w->name, want) != 0) {
			fail_msg("round %d (seed %u): row %lld is %s, reported %s", round_no, seed,
			         (long long)r->id, w->name, want);
		}
	}
	if (n > 0)
		*seen = rows[n - 1].id;
	free(rows);
	sk_close(db);
}

static void killed_writer_loses_nothing_reported(void **state)
{
	(void)state;
	const char *env = getenv("SCODESK_CRASH_SEED");
	seed = env && *env ? (unsigned)strtoul(env, NULL, 10)
	                   : (unsigned)time(NULL) ^ (unsigned)getpid();
	printf("# crash test: seed %u (SCODESK_CRASH_SEED=%u repeats it)\n", seed, seed);
	unsigned rng = seed;
	/*
	 * A killed process loses only what is in its own memory: what it
	 * wrote is in the kernel's page cache and reaches the file whatever
	 * the file system. So the rounds run on tmpfs when there is one,
	 * where a flush costs nothing and 200 rounds stay fast. (Power loss
	 * is another matter: synchronous=FULL, not tested here.)
	 */
	tu_db t;
	struct stat st;
	if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0) {
		memset(&t, 0, sizeof t);
		snprintf(t.dir, sizeof t.dir, "/dev/shm/scodesk-test-XXXXXX");
		assert_non_null(mkdtemp(t.dir));
		snprintf(t.path, sizeof t.path, "%s/test.db", t.dir);
		sk_err err;
		if (sk_open(t.path, SK_OPEN_CREATE, &t.db, &err) != SK_OK)
			fail_msg("cannot open %s: %s", t.path, err.msg);
	} else {
		tu_open(&t);
	}
	printf("# crash test in %s\n", t.dir);
	/* No connection may cross fork(): SQLite's locks are per process. */
	sk_close(t.db);
	t.db = NULL;

	int64_t seen = 0, next = 1;
	size_t total = 0;
	int with_writes = 0;
	for (round_no = 0; round_no < ROUNDS; round_no++) {
		int p[2];
		assert_int_equal(pipe(p), 0);
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(p[0]);
			child(t.path, next, p[1]);
		}
		close(p[1]);
		/* Where the delay counts from: 0 the fork, 1 the open, 2 and 3
		 * the first saved write. */
		int from = round_no % 4;
		report first[2];
		for (int i = 0; i < from && i < 2; i++)
			if (read(p[0], &first[i], sizeof first[i]) != (ssize_t)sizeof first[i] ||
			    (first[i].kind == 'R') != (i == 0))
				fail_msg("round %d (seed %u): the writer stopped before %s", round_no,
				         seed, i ? "writing" : "opening the database");
		long us = rand_r(&rng) % (MAX_DELAY_US + 1);
		struct timespec ts = {0, us * 1000};
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		size_t n;
		report *reports = read_reports(p[0], first + 1, from >= 2, &n);
		close(p[0]);
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			fail_msg("round %d (seed %u): the writer ended by itself (status %d)",
			         round_no, seed, status);
		verify(t.path, reports, n, &seen, &next);
		free(reports);
		total += n;
		with_writes += n > 0;
	}
	printf("# crash test: %d rounds, %zu writes reported in %d of them\n", ROUNDS, total,
	       with_writes);
	/* Kills that all came before the first write would prove nothing. */
	if (with_writes < ROUNDS / 2)
		fail_msg("only %d of %d rounds wrote anything before the kill", with_writes,
		         ROUNDS);
	tu_close(&t);
}

/* ---- two writers at once ---------------------------------------------------- */

#define WRITES_EACH 100

/*
 * In a child: WRITES_EACH times, an insert and an update of the shared
 * record (read, change, save; read again on a conflict). Both read before
 * they write, which a deferred transaction could not upgrade once the
 * other process had committed (SQLITE_BUSY at once, whatever the busy
 * timeout): sk_begin's BEGIN IMMEDIATE waits for the lock instead.
 * Conflicts are expected (both change the one record); any other failure
 * ends the child with a message and a non-zero status.
 */
/* ---- a killed import -------------------------------------------------------- */

#define IMPORT_ROWS 3000
#define IMPORT_ROUNDS 12

static long long q_count(sk_db *db, const char *sql)
{
	return tu_q_int(sk_sqlite(db), sql);
}

/*
 * An import changes the triggers of two full-text indexes inside its
 * transaction and fills them at its end (sk_bulk_begin). Killed at any
 * moment, it must leave all of its rows or none, the schema as it was,
 * and indexes that find exactly the live rows.
 */
static void killed_import_leaves_all_or_nothing(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	char *schema = tu_schema(sk_sqlite(t.db));
	char csv[400];
	snprintf(csv, sizeof csv, "%s/contacts.csv", t.dir);
	FILE *f = fopen(csv, "w");
	assert_non_null(f);
	fputs("last_name,organization\n", f);
	for (int i = 0; i < IMPORT_ROWS; i++)
		fprintf(f, "Bulk%04d,Navy Command\n", i);
	assert_int_equal(fclose(f), 0);
	sk_close(t.db);
	t.db = NULL;

	unsigned rng = (unsigned)time(NULL) ^ (unsigned)getpid();
	printf("# killed imports: seed %u\n", rng);
	long long whole_ms = 0, done = 0;
	for (int round = 0; round < IMPORT_ROUNDS; round++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		fflush(NULL);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			sk_db *db;
			sk_err err;
			if (sk_open(t.path, 0, &db, &err) != SK_OK)
				_exit(2);
			sk_status s = sk_csv_import(db, sk_table_find("contacts"), csv, NULL, NULL,
			                            NULL, &err);
			sk_close(db);
			_exit(s == SK_OK ? 0 : 1);
		}
		/* the first round runs to the end and times it; the others are
		 * killed somewhere in that time */
		if (round > 0) {
			long ms = (long)(rand_r(&rng) % (unsigned)(whole_ms + 1));
			struct timespec d = {ms / 1000, (ms % 1000) * 1000000L};
			nanosleep(&d, NULL);
			kill(pid, SIGKILL);
		}
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (round == 0) {
			assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
			whole_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		}

		sk_err err;
		assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
		round_no = round;
		assert_int_equal(sk_check(t.db, no_findings, NULL, &err), 0);
		char *now = tu_schema(sk_sqlite(t.db));
		if (strcmp(now, schema) != 0)
			fail_msg("round %d: the schema changed:\n%s", round, now);
		free(now);
		long long rows = q_count(t.db, "SELECT count(*) FROM contacts");
		if (rows % IMPORT_ROWS != 0 || rows < done)
			fail_msg("round %d: %lld contacts, not a whole number of imports", round, rows);
		done = rows;
		int64_t found = -1;
		sk_query navy = {.text = "Navy Command"}, bulk = {.text = "Bulk"};
		assert_int_equal(sk_count(t.db, sk_table_find("contacts"), &navy, &found, NULL), SK_OK);
		assert_int_equal(found, rows);
		assert_int_equal(sk_count(t.db, sk_table_find("contacts"), &bulk, &found, NULL), SK_OK);
		assert_int_equal(found, rows);
		assert_int_equal(q_count(t.db, "SELECT count(*) FROM audit_log_fts"
		                                " WHERE audit_log_fts MATCH '\"Bulk0042\"'"),
		                 rows / IMPORT_ROWS);
		tu_exec(sk_sqlite(t.db), "INSERT INTO contacts_fts(contacts_fts) VALUES ('integrity-check');"
		                         "INSERT INTO audit_log_fts(audit_log_fts) VALUES ('integrity-check')");
		sk_close(t.db);
		t.db = NULL;
	}
	printf("# killed imports: %lld of %d rounds' rows kept, import %lld ms whole\n",
	       done / IMPORT_ROWS, IMPORT_ROUNDS, whole_ms);
	free(schema);
	tu_close(&t);
}

static void rival(const char *path, int64_t shared, int who)
{
	sk_db *db;
	sk_err err;
	if (sk_open(path, 0, &db, &err) != SK_OK)
		fail_child("open", &err);
	const sk_table *t = sk_table_find("contacts");
	for (int i = 0; i < WRITES_EACH; i++) {
		char name[32];
		snprintf(name, sizeof name, "r%d-%d", who, i);
		insert(db, t, 'r', who * 1000 + i);
		for (;;) {
			sk_record *rec;
			if (sk_get_record(db, t, shared, &rec, &err) != SK_OK)
				fail_child("read", &err);
			sk_set(rec, "notes", name);
			sk_status s = sk_update(db, rec, &err);
			sk_record_free(rec);
			if (s == SK_OK)
				break;
			if (s != SK_CONFLICT)
				fail_child("update", &err);
		}
	}
	sk_close(db);
	_exit(0);
}

static void two_writers_both_get_through(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_record *rec = sk_record_new(sk_table_find("contacts"));
	assert_non_null(rec);
	assert_int_equal(sk_set(rec, "last_name", "Shared"), SK_OK);
	int64_t shared = tu_insert(t.db, rec);
	sk_record_free(rec);
	sk_close(t.db);
	t.db = NULL;

	pid_t pids[2];
	fflush(NULL);
	for (int who = 0; who < 2; who++) {
		pids[who] = fork();
		assert_true(pids[who] >= 0);
		if (pids[who] == 0)
			rival(t.path, shared, who + 1);
	}
	for (int who = 0; who < 2; who++) {
		int status;
		assert_int_equal(waitpid(pids[who], &status, 0), pids[who]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			fail_msg("writer %d failed (status %d; its message is above)", who + 1,
			         status);
	}
	sk_err err;
	assert_int_equal(sk_open(t.path, 0, &t.db, &err), SK_OK);
	assert_int_equal(sk_check(t.db, no_findings, NULL, &err), 0);
	/* Every insert and every update is there, each update on top of the
	 * one before (version 1 + all of them). */
	assert_int_equal(tu_int(t.db, "SELECT count(*) FROM contacts WHERE last_name LIKE 'r%'"),
	                 2 * WRITES_EACH);
	assert_int_equal(tu_int(t.db, "SELECT version FROM contacts WHERE last_name = 'Shared'"),
	                 1 + 2 * WRITES_EACH);
	tu_close(&t);
}

/* ---- a full disk ------------------------------------------------------------- */

/* tu_in_child's result when no tmpfs can be mounted here. */
#define NO_MOUNT 100

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

static int count_files(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
	FILE *f = popen(cmd, "r");
	int n = -1;
	if (f && fscanf(f, "%d", &n) != 1)
		n = -1;
	if (f)
		pclose(f);
	return n;
}

static sk_status add_contact(sk_db *db, const char *notes, sk_err *err)
{
	sk_record *rec = sk_record_new(sk_table_find("contacts"));
	if (!rec)
		return SK_NOMEM;
	sk_set(rec, "last_name", "Filler");
	sk_set(rec, "notes", notes);
	sk_status s = sk_insert(db, rec, err);
	sk_record_free(rec);
	return s;
}

static void count_finding(void *ctx, const char *finding)
{
	(void)finding;
	++*(int *)ctx;
}

/* In the child, as root: an 8 MB tmpfs at dir, a database on it filled
 * until the disk is full. */
static int fill_the_disk(void *ctx, char *msg, size_t size)
{
	const char *dir = ctx;
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", dir, "tmpfs", 0, "size=8m,mode=0700") != 0)
		return say(msg, size, NO_MOUNT, "%s", strerror(errno));
	char path[400], ballast[400], backups[400];
	snprintf(path, sizeof path, "%s/full.db", dir);
	snprintf(ballast, sizeof ballast, "%s/ballast", dir);
	snprintf(backups, sizeof backups, "%s/backups", dir);
	/* Room to give back later. */
	FILE *f = fopen(ballast, "w");
	char block[4096] = {0};
	for (int i = 0; f && i < 256; i++)
		fwrite(block, 1, sizeof block, f);
	if (!f || fclose(f) != 0)
		return say(msg, size, 1, "cannot write the ballast");
	sk_db *db;
	sk_err err;
	if (sk_open(path, SK_OPEN_CREATE, &db, &err) != SK_OK)
		return say(msg, size, 2, "open: %s", err.msg);
	char notes[3000];
	memset(notes, 'n', sizeof notes - 1);
	notes[sizeof notes - 1] = '\0';
	int saved = 0;
	sk_status s = SK_OK;
	while (saved < 5000 && (s = add_contact(db, notes, &err)) == SK_OK)
		saved++;
	int rc = 0, findings = 0;
	sqlite3_stmt *st = NULL;
	long long rows = -1;
	if (sqlite3_prepare_v2(sk_sqlite(db), "SELECT count(*) FROM contacts", -1, &st,
	                       NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		rows = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (s != SK_IO || !strstr(err.msg, "full"))
		rc = say(msg, size, 3, "after %d inserts: %s: %s", saved, sk_status_name(s),
		         err.msg);
	else if (saved < 10)
		rc = say(msg, size, 4, "only %d inserts before the disk was full", saved);
	else if (rows != saved)
		rc = say(msg, size, 5, "%lld rows after %d saved inserts", rows, saved);
	else if (sk_check(db, count_finding, &findings, &err) != 0)
		rc = say(msg, size, 6, "%d findings on a full disk %s", findings, err.msg);
	/* A backup that does not fit leaves nothing behind. */
	if (rc == 0 && mkdir(backups, 0700) == 0) {
		s = sk_backup_daily(db, backups, 7, &err);
		if (s != SK_IO || !strstr(err.msg, backups))
			rc = say(msg, size, 7, "a backup on a full disk: %s: %s", sk_status_name(s),
			         err.msg);
		else if (count_files(backups) != 0)
			rc = say(msg, size, 8, "a failed backup left files in %s", backups);
	}
	/* With room again, work goes on. */
	if (rc == 0) {
		unlink(ballast);
		if ((s = add_contact(db, "after", &err)) != SK_OK)
			rc = say(msg, size, 9, "insert after freeing room: %s", err.msg);
	}
	sk_close(db);
	if (rc == 0) {
		if (sk_open(path, 0, &db, &err) != SK_OK)
			return say(msg, size, 10, "reopen: %s", err.msg);
		findings = 0;
		if (sk_check(db, count_finding, &findings, &err) != 0)
			rc = say(msg, size, 11, "%d findings after the full disk", findings);
		sk_close(db);
	}
	return rc;
}

static void full_disk_refuses_cleanly(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return; /* mounting a small file system needs root */
	tu_db t;
	tu_mkdir(&t);
	char msg[1024];
	int rc = tu_in_child(fill_the_disk, t.dir, 0, 0, msg, sizeof msg);
	if (rc == NO_MOUNT) {
		printf("# no tmpfs can be mounted here (%s): the full disk was left out\n", msg);
		tu_close(&t);
		return;
	}
	if (rc != 0)
		fail_msg("full disk: %s", msg);
	tu_close(&t);
}

/* Every value of a and b the same (NULL apart from "")? */
static bool same_values(const sk_record *a, const sk_record *b)
{
	for (size_t i = 0; i < a->table->ncolumns; i++) {
		const char *x = a->values[i], *y = b->values[i];
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
			return false;
	}
	return true;
}

/*
 * In the child, as root: an 8 MB tmpfs at dir, a database on it filled
 * until the disk is full, then a form's save of a record (an update that
 * needs room): it is refused, and the record handed to sk_update is
 * exactly as it was (same version), so that once there is room the same
 * save goes through rather than meeting itself as a conflict.
 */
static int save_on_full_disk(void *ctx, char *msg, size_t size)
{
	const char *dir = ctx;
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
	    mount("tmpfs", dir, "tmpfs", 0, "size=8m,mode=0700") != 0)
		return say(msg, size, NO_MOUNT, "%s", strerror(errno));
	char path[400], ballast[400];
	snprintf(path, sizeof path, "%s/full.db", dir);
	snprintf(ballast, sizeof ballast, "%s/ballast", dir);
	FILE *f = fopen(ballast, "w");
	char block[4096] = {0};
	for (int i = 0; f && i < 256; i++)
		fwrite(block, 1, sizeof block, f);
	if (!f || fclose(f) != 0)
		return say(msg, size, 1, "cannot write the ballast");
	sk_db *db;
	sk_err err;
	if (sk_open(path, SK_OPEN_CREATE, &db, &err) != SK_OK)
		return say(msg, size, 2, "open: %s", err.msg);
	char notes[3000];
	memset(notes, 'n', sizeof notes - 1);
	notes[sizeof notes - 1] = '\0';
	sk_status s = add_contact(db, "the one to edit", &err);
	int saved = 0;
	while (s == SK_OK && saved < 5000 && (s = add_contact(db, notes, &err)) == SK_OK)
		saved++;
	if (s != SK_IO)
		return say(msg, size, 3, "filling the disk: %s: %s", sk_status_name(s), err.msg);
	const sk_table *t = sk_table_find("contacts");
	sk_record *form = NULL, *before = NULL;
	int rc = 0;
	if (sk_get_record(db, t, 1, &form, &err) != SK_OK)
		rc = say(msg, size, 4, "reading the record: %s", err.msg);
	/* The form's edit: more text than the disk has room for. */
	char more[8000];
	memset(more, 'm', sizeof more - 1);
	more[sizeof more - 1] = '\0';
	if (rc == 0 && (sk_set(form, "notes", more) != SK_OK || !(before = sk_record_dup(form))))
		rc = say(msg, size, 5, "out of memory");
	if (rc == 0 && (s = sk_update(db, form, &err)) != SK_IO)
		rc = say(msg, size, 6, "a save on a full disk: %s: %s", sk_status_name(s), err.msg);
	if (rc == 0 && !same_values(form, before))
		rc = say(msg, size, 7, "the failed save changed the form's record (version %lld, "
		         "was %lld)", (long long)sk_record_version(form),
		         (long long)sk_record_version(before));
	if (rc == 0) {
		unlink(ballast);
		if ((s = sk_update(db, form, &err)) != SK_OK)
			rc = say(msg, size, 8, "the same save once there is room: %s: %s",
			         sk_status_name(s), err.msg);
		else if (sk_record_version(form) != sk_record_version(before) + 1)
			rc = say(msg, size, 9, "saved as version %lld, read as %lld",
			         (long long)sk_record_version(form),
			         (long long)sk_record_version(before));
	}
	sk_record *now = NULL;
	if (rc == 0 && (sk_get_record(db, t, 1, &now, &err) != SK_OK ||
	                strcmp(sk_get(now, "notes"), more) != 0))
		rc = say(msg, size, 10, "the saved record does not hold the edit");
	sk_record_free(now);
	sk_record_free(form);
	sk_record_free(before);
	sk_close(db);
	return rc;
}

static void full_disk_keeps_the_form(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return; /* mounting a small file system needs root */
	tu_db t;
	tu_mkdir(&t);
	char msg[1024];
	int rc = tu_in_child(save_on_full_disk, t.dir, 0, 0, msg, sizeof msg);
	if (rc == NO_MOUNT) {
		printf("# no tmpfs can be mounted here (%s): the full disk was left out\n", msg);
		tu_close(&t);
		return;
	}
	if (rc != 0)
		fail_msg("full disk: %s", msg);
	tu_close(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(killed_writer_loses_nothing_reported),
		cmocka_unit_test(two_writers_both_get_through),
		cmocka_unit_test(killed_import_leaves_all_or_nothing),
		cmocka_unit_test(full_disk_refuses_cleanly),
		cmocka_unit_test(full_disk_keeps_the_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
