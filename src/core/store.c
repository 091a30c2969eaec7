/*
 * store.c: opening the database file, the connection's settings, schema
 * migrations, transactions and the integrity check.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "fsafe.h"
#include "trust.h"

const sk_setting_def sk_setting_defs[] = {
	{"office_name", "Office of Defense Cooperation", "office name on every screen"},
	{"country", "", "the partner nation"},
	{"marking", "CUI", "marking at the top and bottom of screens and files"},
	{"country_code", "", "the partner's two-letter code that begins its case ids (empty: not checked)"},
	{"alert_vetting_days", "30", "report date this close without approved vetting: error"},
	{"alert_medical_days", "30", "report date this close without medical clearance: warning"},
	{"alert_deros_days", "120", "DEROS this close with no inbound replacement: warning"},
	{"alert_training_warn_days", "30", "course due this close: warning"},
	{"alert_oed_days", "30", "offer expiration this close: warning"},
	{"offer_valid_days", "85", "days an offer stands without an OED (a case type may have its own)"},
	{"offer_valid_days_bpc", "30", "days a BPC pseudo-LOA's offer stands without an OED"},
	{"alert_ssc_months", "24",
	 "months in supply complete before closure is due (a case type may have its own)"},
	{"alert_ssc_months_training", "36", "months in supply complete before a training case's closure is due"},
	{"alert_key_leader_days", "90", "key leader not engaged for this long: info"},
	{"leahy_valid_days", "365", "days a Leahy approval stays valid (of a student, of a unit)"},
	{"sc_level_cert", "1=foundational,2=practitioner,3=expert,4=executive",
	 "certification level each level digit of a billet's SC code requires"},
	{"cert_window_months", "12", "months after arrival to reach the billet's certification level"},
	{"backup_keep", "7", "daily backups kept beside the database (0: none are made)"},
	{"eum_initial_days", "90",
	 "days after delivery for the first inventory of an enhanced-monitoring item"},
	{"eum_inventory_days", "365", "days an inventory of an enhanced-monitoring item lasts"},
};
const size_t sk_nsetting_defs = sizeof sk_setting_defs / sizeof sk_setting_defs[0];

sqlite3 *sk_sqlite(sk_db *db) { return db->conn; }
bool sk_readonly(sk_db *db) { return db->readonly; }
const char *sk_path(sk_db *db) { return db->path; }
const char *sk_user(sk_db *db) { return db->user; }
const char *sk_today(sk_db *db) { return db->today; }

sk_status sk_fail_sqlite(sk_db *db, sk_err *err, const char *what)
{
	int rc = sqlite3_extended_errcode(db->conn) & 0xff;
	sk_status s;
	switch (rc) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return sk_fail(err, SK_BUSY, NULL,
		               "%s: the database is busy (another user has held it for "
		               "more than %d seconds); try again", what,
		               SK_BUSY_TIMEOUT_MS / 1000);
	case SQLITE_READONLY: s = SK_READONLY; break;
	case SQLITE_FULL: case SQLITE_IOERR: case SQLITE_CANTOPEN:
	case SQLITE_PERM: s = SK_IO; break;
	case SQLITE_NOMEM: s = SK_NOMEM; break;
	case SQLITE_CONSTRAINT: s = SK_INVALID; break;
	default: s = SK_DB; break;
	}
	return sk_fail(err, s, NULL, "%s: %s", what, sqlite3_errmsg(db->conn));
}

sk_status sk_prepare(sk_db *db, const char *sql, sqlite3_stmt **st, sk_err *err)
{
	if (sqlite3_prepare_v2(db->conn, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return sk_fail_sqlite(db, err, "preparing a query");
	}
	return SK_OK;
}

/* SQL function sk_today(): the connection's today, so that derived
 * columns and alert rules see the same (possibly pinned) calendar as C
 * without a parameter that could collide with a query's own. */
static void sql_today(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc, (void)argv;
	sk_db *db = sqlite3_user_data(ctx);
	sqlite3_result_text(ctx, db->today, -1, SQLITE_STATIC);
}

void sk_now(char buf[21])
{
	const char *pinned = getenv("SCODESK_NOW");
	if (pinned && !sk_check_timestamp(pinned)) {
		memcpy(buf, pinned, 21);
		return;
	}
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * The busy handler: like SQLite's own busy timeout (short sleeps that grow,
 * up to SK_BUSY_TIMEOUT_MS in all), but it first tells whoever listens that
 * a change is waiting for another user.
 */
static int busy_wait(void *ctx, int count)
{
	static const int delays[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
	const int n = (int)(sizeof delays / sizeof delays[0]);
	sk_db *db = ctx;
	if (count == 0) {
		db->waited_ms = 0;
		if (db->on_wait)
			db->on_wait(db->on_wait_ctx);
	}
	if (db->waited_ms >= SK_BUSY_TIMEOUT_MS)
		return 0;
	/* Asked to end (the interface caught SIGTERM or SIGHUP): stop
	 * waiting, so that the change fails as busy and the caller can keep
	 * its work elsewhere and go. A signal also cuts the sleep short. */
	if (db->give_up && db->give_up(db->give_up_ctx))
		return 0;
	int d = delays[count < n ? count : n - 1];
	if (d > SK_BUSY_TIMEOUT_MS - db->waited_ms)
		d = SK_BUSY_TIMEOUT_MS - db->waited_ms;
	sqlite3_sleep(d);
	db->waited_ms += d;
	return 1;
}

void sk_on_wait(sk_db *db, void (*fn)(void *ctx), void *ctx)
{
	db->on_wait = fn;
	db->on_wait_ctx = ctx;
}

void sk_on_wait_give_up(sk_db *db, bool (*fn)(void *ctx), void *ctx)
{
	db->give_up = fn;
	db->give_up_ctx = ctx;
}

/* SQL function sk_cert_rank(level): the place of a certification level in
 * its enumeration, so that rules compare levels in the order schema.c
 * gives them, not in an order written out again. */
static void sql_cert_rank(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *v = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_result_int(ctx, sk_enum_index(&sk_enum_cert_level, v));
}

static void set_today(sk_db *db)
{
	const char *pinned = getenv("SCODESK_TODAY");
	if (pinned && sk_date_valid(pinned)) {
		memcpy(db->today, pinned, 11);
		return;
	}
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(db->today, sizeof db->today, "%Y-%m-%d", &tm);
}

static void set_user(sk_db *db)
{
	const struct passwd *pw = getpwuid(geteuid());
	const char *name = pw ? pw->pw_name : getenv("LOGNAME");
	if (!name || !*name)
		name = "unknown";
	const char *ssh = getenv("SSH_CONNECTION");
	size_t n = ssh ? strcspn(ssh, " ") : 0;
	if (n > 0 && n < 64)
		snprintf(db->user, sizeof db->user, "%.60s (%.*s)", name, (int)n, ssh);
	else
		snprintf(db->user, sizeof db->user, "%.100s", name);
}

sk_status sk_default_path(char *buf, size_t size, sk_err *err)
{
	const char *env = getenv("SCODESK_DB");
	if (env && *env) {
		snprintf(buf, size, "%s", env);
		return SK_OK;
	}
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg == '/') {
		snprintf(buf, size, "%s/scodesk/scodesk.db", xdg);
		return SK_OK;
	}
	const char *home = getenv("HOME");
	if (!home || !*home) {
		const struct passwd *pw = getpwuid(geteuid());
		home = pw ? pw->pw_dir : NULL;
	}
	if (!home || !*home)
		return sk_fail(err, SK_IO, NULL,
		               "no home folder is known; give the database with --db PATH");
	snprintf(buf, size, "%s/.local/share/scodesk/scodesk.db", home);
	return SK_OK;
}

/* What the first bytes of an existing file say about it. */
static sk_status check_header(const char *path, sk_err *err)
{
	/* sk_fs_check_database saw a plain file; should a pipe or a device
	 * have taken its name since, the open must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return sk_fail(err, SK_IO, NULL, "cannot open %s: %s", path, strerror(errno));
	struct stat st;
	char head[16];
	ssize_t n = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, head, sizeof head);
	else
		n = -2;
	close(fd);
	if (n == -2)
		return sk_fail(err, SK_REFUSED, NULL, "%s is not a regular file", path);
	if (st.st_size == 0)
		return SK_OK; /* an empty file: SQLite treats it as a new database */
	if (n != (ssize_t)sizeof head || memcmp(head, "SQLite format 3", 16) != 0)
		return sk_fail(err, SK_REFUSED, NULL,
		               "%s is not a scodesk database (it is not an SQLite file); "
		               "it was left untouched", path);
	return SK_OK;
}

static sk_status pragma_int(sk_db *db, const char *sql, long long *out, sk_err *err)
{
	sqlite3_stmt *st;
	sk_status s = sk_prepare(db, sql, &st, err);
	if (s != SK_OK)
		return s;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return sk_fail_sqlite(db, err, "reading the database header");
	return SK_OK;
}

static sk_status exec(sk_db *db, const char *sql, const char *what, sk_err *err)
{
	if (sqlite3_exec(db->conn, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sk_fail_sqlite(db, err, what);
	return SK_OK;
}

int sk_schema_version(sk_db *db)
{
	long long v = 0;
	pragma_int(db, "PRAGMA user_version", &v, NULL);
	return (int)v;
}

/* ---- who may write the file -------------------------------------------- */

void sk_folder_of(const char *path, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(buf, size, ".");
	else if (slash == path)
		snprintf(buf, size, "/");
	else
		snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

/* Whether this process may write the file and the -wal and -shm files
 * SQLite keeps beside it: the existing ones, or new ones in the folder. */
static bool can_write(const char *path)
{
	if (access(path, W_OK) != 0)
		return false;
	char dir[4096], side[4200];
	sk_folder_of(path, dir, sizeof dir);
	bool dir_ok = access(dir, W_OK | X_OK) == 0;
	static const char *const suffixes[] = {"-wal", "-shm"};
	for (size_t i = 0; i < 2; i++) {
		snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
		if (access(side, F_OK) == 0 ? access(side, W_OK) != 0 : !dir_ok)
			return false;
	}
	return true;
}

/* Bytes in path + suffix; 0 when it is missing, -1 when it is there but
 * cannot be looked at. */
static long long side_size(const char *path, const char *suffix)
{
	char side[4200];
	struct stat st;
	snprintf(side, sizeof side, "%s%s", path, suffix);
	if (stat(side, &st) == 0)
		return st.st_size;
	return errno == ENOENT ? 0 : -1;
}

/* Bytes 18 and 19 of the header say whether the file is in WAL mode
 * (2) or uses a rollback journal (1). */
static bool wal_mode(const char *path)
{
	unsigned char h[2] = {0, 0};
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return false;
	ssize_t n = pread(fd, h, sizeof h, 18);
	close(fd);
	return n == (ssize_t)sizeof h && (h[0] == 2 || h[1] == 2);
}

/*
 * Whether SQLite can read a database this process may not write so that
 * what it reads stays whole while someone else writes it, and without
 * creating anything beside it (a -wal or -shm made by a reader would be
 * the reader's, and would stop the owner from writing: seen with SQLite
 * 3.40). A file with a rollback journal, as backups are: yes, SQLite
 * takes shared locks on the file itself. A WAL file: only through its
 * -wal and -shm, which are there while someone who may write it has it
 * open (readers then take their part in the -shm's locks, which keep a
 * checkpoint from changing pages under them); otherwise one sentence
 * says what is missing. It used to be read as immutable, without locks,
 * which showed pages of two different saves once the owner wrote.
 */
static sk_status readonly_consistent(const char *path, sk_err *err)
{
	if (!wal_mode(path))
		return SK_OK;
	char wal[4200], shm[4200];
	snprintf(wal, sizeof wal, "%s-wal", path);
	snprintf(shm, sizeof shm, "%s-shm", path);
	bool has_wal = access(wal, F_OK) == 0, has_shm = access(shm, F_OK) == 0;
	const char *unreadable = has_shm && access(shm, R_OK) != 0   ? shm
	                         : has_wal && access(wal, R_OK) != 0 ? wal : NULL;
	if (unreadable)
		return sk_fail(err, SK_READONLY, NULL,
		               "you may read %s but not %s, without which it cannot be read "
		               "safely while others write it; ask its owner to let you read %s "
		               "too, or for a copy made with 'scodesk backup'",
		               path, unreadable, unreadable);
	if (has_wal && has_shm)
		return SK_OK;
	if (side_size(path, "-wal") != 0)
		return sk_fail(err, SK_READONLY, NULL,
		               "you may only read %s, and its journal %s holds recent changes "
		               "that cannot be read without %s; someone who may write the file "
		               "should open it once", path, wal, shm);
	return sk_fail(err, SK_READONLY, NULL,
	               "%s cannot be read safely: you may read it but not write it, and "
	               "reading it while others may write it needs its %s, which is there "
	               "only while someone who may write it has it open; ask them to open "
	               "it, or for a copy made with 'scodesk backup'", path, shm);
}

sk_status sk_open(const char *path, unsigned flags, sk_db **out, sk_err *err)
{
	*out = NULL;
	sk_err_clear(err);
	bool readonly = flags & SK_OPEN_READONLY;
	bool writable = true;
	/* Who may change the file and the folders on the way to it, what it
	 * is, and whether its name fits: before SQLite opens anything. */
	sk_status refused = sk_fs_check_database(path, err);
	if (refused != SK_OK)
		return refused;
	struct stat st;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return sk_fail(err, SK_IO, NULL, "cannot open %s: %s", path, strerror(errno));
		if (!(flags & SK_OPEN_CREATE) || readonly)
			return sk_fail(err, SK_NOTFOUND, NULL,
			               "there is no database at %s ('scodesk init' makes one)", path);
		sk_status s = sk_fs_create_database(path, err);
		if (s != SK_OK)
			return s;
	} else {
		sk_status s = check_header(path, err);
		if (s != SK_OK)
			return s;
		/* A file this user may not write, or one on a read-only mount,
		 * opens read-only, when that can be done safely. */
		writable = can_write(path);
		if (!writable) {
			readonly = true;
			s = readonly_consistent(path, err);
			if (s != SK_OK)
				return s;
		}
	}

	sk_db *db = calloc(1, sizeof *db);
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	db->readonly = readonly;
	set_today(db);
	set_user(db);
	/* --read-only on a file this user may write: a connection SQLite
	 * opened read-only would leave a -wal and -shm beside the file that
	 * it cannot remove on close; one that may write but runs with
	 * query_only changes nothing and removes them when it is the last. */
	bool query_only = readonly && writable;
	int oflags = (readonly && !query_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
	             SQLITE_OPEN_NOMUTEX;
	int orc = sqlite3_open_v2(path, &db->conn, oflags, NULL);
	if (orc == SQLITE_OK)
		sk_trust_harden(db->conn);
	if (orc != SQLITE_OK) {
		sk_status s = sk_fail(err, SK_IO, NULL, "cannot open %s: %s", path,
		                      db->conn ? sqlite3_errmsg(db->conn) : "out of memory");
		sk_close(db);
		return s;
	}
	sqlite3_extended_result_codes(db->conn, 1);
	sqlite3_busy_handler(db->conn, busy_wait, db);
	sqlite3_create_function_v2(db->conn, "sk_today", 0,
	                           SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC, db,
	                           sql_today, NULL, NULL, NULL);
	sqlite3_create_function_v2(db->conn, "sk_cert_rank", 1,
	                           SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC, NULL,
	                           sql_cert_rank, NULL, NULL, NULL);
	sqlite3_create_function_v2(db->conn, "sk_hit", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, db,
	                           sk_sql_hit, NULL, NULL, NULL);
	sqlite3_create_function_v2(db->conn, "sk_grade_rank", 1,
	                           SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC, NULL,
	                           sk_sql_grade_rank, NULL, NULL, NULL);
	/* deterministic within a statement: a threshold read once per query */
	sqlite3_create_function_v2(db->conn, "sk_setting_int", 1,
	                           SQLITE_UTF8 | SQLITE_DIRECTONLY | SQLITE_DETERMINISTIC, db,
	                           sk_sql_setting_int, NULL, NULL, NULL);

	/* Look before changing anything: whose file is this, and how new? */
	long long app = 0, version = 0, objects = 0;
	sk_status s = pragma_int(db, "PRAGMA application_id", &app, err);
	if (s == SK_OK)
		s = pragma_int(db, "PRAGMA user_version", &version, err);
	if (s == SK_OK)
		s = pragma_int(db, "SELECT count(*) FROM sqlite_schema", &objects, err);
	if (s == SK_DB || s == SK_INVALID) {
		s = sk_fail(err, SK_REFUSED, NULL,
		            "%s is not a scodesk database (SQLite cannot read it: %s); "
		            "it was left untouched", path, sqlite3_errmsg(db->conn));
	}
	if ((s == SK_IO || s == SK_READONLY) && !writable)
		s = sk_fail(err, SK_READONLY, NULL,
		            "you may only read %s, and SQLite cannot read it without "
		            "writing beside it (%s)%s", path, sqlite3_errmsg(db->conn),
		            side_size(path, "-wal") != 0
		            ? "; its journal -wal holds recent changes: someone who may write "
		              "the file should open it once" : "");
	if (s == SK_OK && app != SK_APPLICATION_ID && (app != 0 || version != 0 || objects != 0))
		s = sk_fail(err, SK_REFUSED, NULL,
		            "%s is an SQLite database of another program, not a scodesk "
		            "database; it was left untouched", path);
	if (s == SK_OK && version > SK_SCHEMA_VERSION)
		s = sk_fail(err, SK_REFUSED, NULL,
		            "%s has schema version %lld, newer than this scodesk "
		            "understands (%d); use a newer scodesk. It was left untouched",
		            path, version, SK_SCHEMA_VERSION);
	if (s == SK_OK && version < 0)
		s = sk_fail(err, SK_REFUSED, NULL,
		            "%s is not a scodesk database (its schema version %lld is none "
		            "scodesk writes); it was left untouched", path, version);
	/* Before anything runs on it or changes it: is its schema the one
	 * scodesk makes for its version? */
	if (s == SK_OK && !(flags & SK_OPEN_NO_VERIFY))
		s = sk_trust_verify(db, "it was left untouched", err);
	if (s == SK_OK && readonly && version < SK_SCHEMA_VERSION &&
	    !(flags & SK_OPEN_NO_MIGRATE))
		s = sk_fail(err, SK_READONLY, NULL,
		            "%s has schema version %lld and needs an upgrade, which "
		            "cannot happen read-only; open it once with write access",
		            path, version);
	if (s == SK_OK && query_only)
		s = exec(db, "PRAGMA query_only = ON", "setting up the connection", err);
	if (s == SK_OK)
		s = exec(db, "PRAGMA foreign_keys = ON", "setting up the connection", err);
	if (s == SK_OK && !readonly)
		s = exec(db, "PRAGMA journal_mode = WAL", "switching to WAL", err);
	if (s == SK_OK)
		s = exec(db, "PRAGMA synchronous = FULL", "setting up the connection", err);
	if (s == SK_OK && !(flags & SK_OPEN_NO_MIGRATE) && version < SK_SCHEMA_VERSION)
		s = sk_migrate(db, SK_SCHEMA_VERSION, err);
	if (s != SK_OK) {
		sk_close(db);
		return s;
	}
	*out = db;
	return SK_OK;
}

sk_status sk_prepare_cached(sk_db *db, const char *sql, sqlite3_stmt **st, sk_err *err)
{
	for (int i = 0; i < SK_STMT_CACHE; i++)
		if (db->cache[i].sql && !db->cache[i].busy && strcmp(db->cache[i].sql, sql) == 0) {
			db->cache[i].busy = true;
			*st = db->cache[i].st;
			return SK_OK;
		}
	if (sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return sk_fail_sqlite(db, err, "preparing a query");
	}
	/* Keep it in a free slot, or in place of an idle one; when all are in
	 * use (deep nesting), it simply is not kept. */
	char *copy = strdup(sql);
	for (int k = 0; copy && k < SK_STMT_CACHE; k++) {
		int i = (db->cache_next + k) % SK_STMT_CACHE;
		if (db->cache[i].busy)
			continue;
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
		db->cache[i].sql = copy;
		db->cache[i].st = *st;
		db->cache[i].busy = true;
		db->cache_next = (i + 1) % SK_STMT_CACHE;
		return SK_OK;
	}
	free(copy);
	return SK_OK;
}

void sk_release(sk_db *db, sqlite3_stmt *st)
{
	if (!st)
		return;
	for (int i = 0; i < SK_STMT_CACHE; i++)
		if (db->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			db->cache[i].busy = false;
			return;
		}
	sqlite3_finalize(st);
}

void sk_close(sk_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < SK_STMT_CACHE; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	if (db->conn)
		sqlite3_close_v2(db->conn);
	free(db->path);
	free(db->hits.text);
	free(db->hits.bits);
	for (int i = 0; i < SK_COUNT_MEMO; i++)
		free(db->memo[i].text);
	free(db);
}

/* ---- transactions ---------------------------------------------------- */

/*
 * The outermost level is BEGIN IMMEDIATE ... COMMIT; a nested level is a
 * savepoint, so that a failed inner change undoes itself alone and leaves
 * the caller's transaction to the caller. After a failed sk_commit the
 * level is still open: the caller's sk_rollback closes it.
 */
static sk_status level_sql(sk_db *db, const char *fmt, int level, const char *what,
                           sk_err *err)
{
	char sql[64];
	snprintf(sql, sizeof sql, fmt, level);
	if (sqlite3_exec(db->conn, sql, NULL, NULL, NULL) != SQLITE_OK)
		return sk_fail_sqlite(db, err, what);
	return SK_OK;
}

static void bulk_cache(sk_db *db, bool on)
{
	char sql[64];
	/* negative: KiB; -2000 is SQLite's own default */
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", on ? -SK_BULK_CACHE_MB * 1024 : -2000);
	sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
	sqlite3_exec(db->conn, on ? "PRAGMA temp_store = MEMORY" : "PRAGMA temp_store = DEFAULT",
	             NULL, NULL, NULL);
}

sk_status sk_begin(sk_db *db, sk_err *err)
{
	if (db->readonly)
		return sk_fail(err, SK_READONLY, NULL,
		               "the database is open read-only; nothing was changed");
	sk_status s = db->txn_depth == 0
	              ? level_sql(db, "BEGIN IMMEDIATE", 0, "starting a change", err)
	              : level_sql(db, "SAVEPOINT sk_%d", db->txn_depth, "starting a change", err);
	/* No change runs a trigger scodesk did not make, even one another
	 * program added since this connection's schema was verified. */
	if (s == SK_OK && db->txn_depth == 0 && (s = sk_trust_recheck(db, err)) != SK_OK)
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
	if (s == SK_OK)
		db->txn_depth++;
	return s;
}

sk_status sk_commit(sk_db *db, sk_err *err)
{
	if (db->txn_depth <= 0)
		return sk_fail(err, SK_DB, NULL, "commit without a transaction");
	int level = db->txn_depth - 1;
	sk_status s = level == 0 ? level_sql(db, "COMMIT", 0, "saving", err)
	                         : level_sql(db, "RELEASE sk_%d", level, "saving", err);
	if (s == SK_OK)
		db->txn_depth--;
	return s;
}

void sk_rollback(sk_db *db)
{
	if (db->txn_depth <= 0)
		return;
	int level = --db->txn_depth;
	if (level == 0) {
		if (!sqlite3_get_autocommit(db->conn))
			sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
	} else {
		level_sql(db, "ROLLBACK TO sk_%d", level, "undoing", NULL);
		level_sql(db, "RELEASE sk_%d", level, "undoing", NULL);
	}
}

/* ---- schema, built from the table descriptions ------------------------- */

static int since(int v) { return v ? v : 1; }

/* The CHECK of enumeration column c as of schema version v: the codes the
 * enumeration had then, in its order. */
static void enum_check(sk_buf *b, const sk_column *c, int v)
{
	sk_buf_printf(b, "CHECK (\"%s\" IN (", c->name);
	bool first = true;
	for (size_t i = 0; i < c->enumeration->count; i++) {
		if (sk_enum_since(c->enumeration, c->enumeration->values[i].code) > v)
			continue;
		sk_buf_add(b, first ? "" : ", ");
		sk_buf_sql_literal(b, c->enumeration->values[i].code);
		first = false;
	}
	sk_buf_add(b, "))");
}

/* Does version v add a code to enumeration column c? */
static bool enum_grows(const sk_column *c, int v)
{
	for (const sk_enum_added *a = c->type == SK_T_ENUM ? c->enumeration->added : NULL;
	     a && a->code; a++)
		if (a->since == v)
			return true;
	return false;
}

/* Column c's definition as schema version v makes it. */
static void column_ddl(sk_buf *b, const sk_column *c, int v)
{
	const char *n = c->name;
	sk_buf_printf(b, "\"%s\" ", n);
	switch (c->type) {
	case SK_T_ID:
		sk_buf_add(b, "INTEGER PRIMARY KEY");
		return;
	case SK_T_INT:
		sk_buf_add(b, "INTEGER");
		if (c->min < c->max)
			sk_buf_printf(b, " CHECK (\"%s\" BETWEEN %lld AND %lld)", n, c->min, c->max);
		break;
	case SK_T_BOOL:
		sk_buf_printf(b, "INTEGER NOT NULL CHECK (\"%s\" IN (0, 1))", n);
		break;
	case SK_T_MONEY:
		sk_buf_printf(b, "INTEGER CHECK (\"%s\" >= 0)", n);
		break;
	case SK_T_DATE:
		/* date() returns an impossible day unchanged unless a modifier
		 * makes it compute; '+0 days' does. */
		sk_buf_printf(b, "TEXT CHECK (\"%s\" IS NULL OR date(\"%s\", '+0 days') IS \"%s\")",
		              n, n, n);
		break;
	case SK_T_TIMESTAMP:
		sk_buf_printf(b, "TEXT CHECK (\"%s\" IS NULL OR "
		              "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', \"%s\", '+0 seconds') IS \"%s\")",
		              n, n, n);
		break;
	case SK_T_ENUM:
		sk_buf_add(b, "TEXT ");
		enum_check(b, c, v);
		break;
	case SK_T_REF:
		sk_buf_printf(b, "INTEGER REFERENCES \"%s\"(id)", c->ref_table);
		break;
	case SK_T_KEYREF:
		sk_buf_printf(b, "TEXT REFERENCES \"%s\"(\"%s\") ON UPDATE CASCADE",
		              c->ref_table, c->ref_column);
		break;
	case SK_T_TEXT:
		sk_buf_add(b, "TEXT");
		break;
	case SK_T_LINKS:
	case SK_T_DERIVED:
		return;
	}
	if (c->flags & SK_F_REQUIRED) {
		bool text = c->type == SK_T_TEXT || c->type == SK_T_ENUM || c->type == SK_T_KEYREF;
		sk_buf_printf(b, text ? " NOT NULL CHECK (\"%s\" <> '')" : " NOT NULL", n);
	}
	if (c->flags & SK_F_UNIQUE)
		sk_buf_add(b, " UNIQUE");
	if (c->def) {
		sk_buf_add(b, " DEFAULT ");
		if (c->type == SK_T_BOOL || c->type == SK_T_INT || c->type == SK_T_MONEY)
			sk_buf_add(b, c->def);
		else
			sk_buf_sql_literal(b, c->def);
	}
}

static void link_table_ddl(sk_buf *b, const sk_table *t, const sk_column *c)
{
	sk_buf_printf(b,
	              "CREATE TABLE \"%s\" (\"%s\" INTEGER NOT NULL REFERENCES \"%s\"(id),"
	              " \"%s\" INTEGER NOT NULL REFERENCES \"%s\"(id),"
	              " PRIMARY KEY (\"%s\", \"%s\")) STRICT, WITHOUT ROWID;\n"
	              "CREATE INDEX \"%s_%s\" ON \"%s\"(\"%s\");\n",
	              c->link_table, c->link_owner, t->name, c->link_target,
	              c->ref_table, c->link_owner, c->link_target, c->link_table,
	              c->link_target, c->link_table, c->link_target);
}

/* The columns of a table's full-text index in schema version v (those
 * the table has by then), "a", "b", with a prefix on each: "new."/"old."
 * for a trigger's values, "c_" for the index's own names (FTS5 keeps some
 * names, such as rank, for itself). */
static void fts_columns(sk_buf *b, const sk_table *t, const char *prefix, int v)
{
	bool first = true;
	for (size_t j = 0; j < t->ncolumns; j++) {
		const sk_column *c = &t->columns[j];
		if (!sk_column_searchable(c) || since(c->since) > v)
			continue;
		if (strcmp(prefix, "c_") == 0)
			sk_buf_printf(b, "%s\"c_%s\"", first ? "" : ", ", c->name);
		else
			sk_buf_printf(b, "%s%s\"%s\"", first ? "" : ", ", prefix, c->name);
		first = false;
	}
}

/*
 * The three triggers that keep a table's full-text index in step: a row in,
 * a row out (with its old values, which a contentless index needs to forget
 * it), or both. With live_only (version 4 on), only rows not deleted are in
 * the index, so that a filter's matches are its live rows: a count or a
 * page of them never reads the table to look at deleted_at.
 */
static void fts_triggers_upto(sk_buf *b, const sk_table *t, bool live_only, int64_t upto,
                              int v)
{
	const char *n = t->name;
	static const struct { const char *event, *out, *in; } triggers[] = {
		{"INSERT", NULL, "new"}, {"DELETE", "old", NULL}, {"UPDATE", "old", "new"},
	};
	/* the rows a bulk change leaves to its end (sk_bulk_begin): none when
	 * upto < 0 */
	char bound[2][48] = {"", ""};
	if (upto >= 0) {
		snprintf(bound[0], sizeof bound[0], " old.id <= %lld", (long long)upto);
		snprintf(bound[1], sizeof bound[1], " new.id <= %lld", (long long)upto);
	}
	bool where = live_only || upto >= 0;
	for (size_t i = 0; i < 3; i++) {
		sk_buf_printf(b, "CREATE TRIGGER \"%s_fts_%s\" AFTER %s ON \"%s\" BEGIN", n,
		              triggers[i].event, triggers[i].event, n);
		for (int k = 0; k < 2; k++) {
			const char *row = k == 0 ? triggers[i].out : triggers[i].in;
			if (!row)
				continue;
			if (k == 0)
				sk_buf_printf(b, " INSERT INTO \"%s_fts\"(\"%s_fts\", rowid, ", n, n);
			else
				sk_buf_printf(b, " INSERT INTO \"%s_fts\"(rowid, ", n);
			fts_columns(b, t, "c_", v);
			sk_buf_printf(b, ") %s%s%s.id, ", where ? "SELECT " : "VALUES (",
			              k == 0 ? "'delete', " : "", row);
			char prefix[8];
			snprintf(prefix, sizeof prefix, "%s.", row);
			fts_columns(b, t, prefix, v);
			if (!where)
				sk_buf_add(b, ");");
			else if (live_only && upto >= 0)
				sk_buf_printf(b, " WHERE %s.deleted_at IS NULL AND%s;", row, bound[k]);
			else if (live_only)
				sk_buf_printf(b, " WHERE %s.deleted_at IS NULL;", row);
			else
				sk_buf_printf(b, " WHERE%s;", bound[k]);
		}
		sk_buf_add(b, " END;\n");
	}
}

static void fts_triggers(sk_buf *b, const sk_table *t, bool live_only, int v)
{
	fts_triggers_upto(b, t, live_only, -1, v);
}

/* Fills a table's full-text index from the table: the rows after id
 * `after` (all: -1), which must not be in it yet. */
static void fts_fill_after(sk_buf *b, const sk_table *t, bool live_only, int64_t after,
                           int v)
{
	sk_buf_printf(b, "INSERT INTO \"%s_fts\"(rowid, ", t->name);
	fts_columns(b, t, "c_", v);
	sk_buf_add(b, ") SELECT id, ");
	fts_columns(b, t, "", v);
	sk_buf_printf(b, " FROM \"%s\" WHERE 1%s", t->name,
	              live_only ? " AND deleted_at IS NULL" : "");
	if (after >= 0)
		sk_buf_printf(b, " AND id > %lld", (long long)after);
	sk_buf_add(b, ";\n");
}

static void fts_fill(sk_buf *b, const sk_table *t, bool live_only, int v)
{
	fts_fill_after(b, t, live_only, -1, v);
}

/*
 * Version 3: a trigram full-text index over the table's searchable
 * columns, so that a list filter finds substrings without reading the
 * table. It is contentless (it keeps no copy of the text, only the index)
 * and kept in step by triggers.
 */
static void fts_ddl(sk_buf *b, const sk_table *t, int v)
{
	sk_buf_printf(b, "CREATE VIRTUAL TABLE \"%s_fts\" USING fts5(", t->name);
	fts_columns(b, t, "c_", v);
	sk_buf_add(b, ", content='', tokenize='trigram');\n");
	fts_fill(b, t, false, v);
	fts_triggers(b, t, false, v);
}

/*
 * A version that adds a searchable column to a table with a full-text
 * index makes the index again with it (an FTS5 table takes no new
 * column): dropped with its triggers, made with the columns of version v,
 * filled (with the live rows, from version 4) and given its triggers. The
 * index and the triggers are then as those of a table made in version v.
 */
static void fts_remake(sk_buf *b, const sk_table *t, int v)
{
	const char *n = t->name;
	bool live = v >= 4 && sk_column_find(t, "deleted_at");
	for (size_t i = 0; i < 3; i++)
		sk_buf_printf(b, "DROP TRIGGER \"%s_fts_%s\";\n", n,
		              i == 0 ? "INSERT" : i == 1 ? "DELETE" : "UPDATE");
	sk_buf_printf(b, "DROP TABLE \"%s_fts\";\n", n);
	sk_buf_printf(b, "CREATE VIRTUAL TABLE \"%s_fts\" USING fts5(", n);
	fts_columns(b, t, "c_", v);
	sk_buf_add(b, ", content='', tokenize='trigram');\n");
	fts_fill(b, t, live, v);
	fts_triggers(b, t, live, v);
}

/*
 * Version 4, for a table with soft delete: its full-text index keeps live
 * rows only (emptied and filled again, new triggers), and the deleted rows
 * get a small index of their own, for the deleted view and for counting
 * the live rows as all rows less the deleted ones. A partial index on
 * "deleted_at IS NOT NULL" can never be chosen for the live lists (which
 * ask for "deleted_at IS NULL"): a plain one once made SQLite sort a whole
 * table to show a page of it.
 */
static void live_ddl(sk_buf *b, const sk_table *t, int v)
{
	const char *n = t->name;
	for (size_t i = 0; i < 3; i++)
		sk_buf_printf(b, "DROP TRIGGER \"%s_fts_%s\";\n", n,
		              i == 0 ? "INSERT" : i == 1 ? "DELETE" : "UPDATE");
	sk_buf_printf(b, "INSERT INTO \"%s_fts\"(\"%s_fts\") VALUES ('delete-all');\n", n, n);
	fts_fill(b, t, true, v);
	fts_triggers(b, t, true, v);
	sk_buf_printf(b, "CREATE INDEX \"%s_deleted\" ON \"%s\"(deleted_at)"
	              " WHERE deleted_at IS NOT NULL;\n", n, n);
}

/* Does a list sort by this column want an index of its own? Keys and
 * references have one already (as do unique columns); long free text, the
 * time stamps kept by core (no list shows them) and the audit log's JSON
 * are not worth the cost on every write (sk_column_indexed). */
static bool wants_sort_index(const sk_column *c)
{
	return sk_column_indexed(c) && c->type != SK_T_ID && c->type != SK_T_REF &&
	       c->type != SK_T_KEYREF && !(c->flags & SK_F_UNIQUE);
}

/* Statements that are not a column or a table, by the version that added
 * them. */
static const char *const extra_steps[SK_SCHEMA_VERSION + 1] = {
	[2] = "CREATE INDEX audit_log_row ON audit_log(table_name, row_id);\n"
	      "CREATE INDEX engagements_date ON engagements(date);\n"
	      "CREATE INDEX students_report_date ON students(report_date);\n",
	/* the open follow-ups, for the follow-up alert: a short range even
	 * when years of engagements are done */
	[3] = "CREATE INDEX engagements_followup_open ON engagements(followup_done, followup_due);\n",
	/* For the dashboard at theater scale (alerts.c): indexes shaped for
	 * the alerts that read long tables, so that their counts and first
	 * rows come from an index alone, and the date of each contact's last
	 * live engagement, kept by triggers, for the key-leader alert. */
	[4] = "DROP INDEX engagements_followup_open;\n"
	      /* the audit log's JSON: 900 MB of index on a million entries, and
	       * nobody sorts by it (SK_F_NOINDEX) */
	      "DROP INDEX IF EXISTS audit_log_before;\n"
	      "DROP INDEX IF EXISTS audit_log_after;\n"
	      "CREATE INDEX engagements_followup_open ON engagements(followup_due)"
	      " WHERE followup_done = 0 AND deleted_at IS NULL;\n"
	      "CREATE INDEX students_active ON students(report_date, leahy_status,"
	      " medical_cleared, ecl_score, ecl_required)"
	      " WHERE deleted_at IS NULL AND " SK_ACTIVE_STUDENT ";\n"
	      "CREATE INDEX contacts_key_leaders ON contacts(id)"
	      " WHERE key_leader = 1 AND deleted_at IS NULL;\n"
	      "CREATE TABLE contact_last_engaged (contact_id INTEGER PRIMARY KEY,"
	      " date TEXT) STRICT;\n"
	      "INSERT INTO contact_last_engaged SELECT l.contact_id, max(e.date)"
	      " FROM engagement_contacts l JOIN engagements e ON e.id = l.engagement_id"
	      " WHERE e.deleted_at IS NULL GROUP BY l.contact_id;\n"
	      /* a link in: the engagement's date, when it is later */
	      "CREATE TRIGGER contact_last_engaged_INSERT AFTER INSERT ON engagement_contacts"
	      " BEGIN INSERT INTO contact_last_engaged(contact_id, date)"
	      " SELECT new.contact_id, e.date FROM engagements e"
	      " WHERE e.id = new.engagement_id AND e.deleted_at IS NULL"
	      " ON CONFLICT(contact_id) DO UPDATE SET date = excluded.date"
	      " WHERE date IS NULL OR excluded.date > date; END;\n"
	      /* a link out, or an engagement moved or (un)deleted: read again */
	      "CREATE TRIGGER contact_last_engaged_DELETE AFTER DELETE ON engagement_contacts"
	      " BEGIN INSERT OR REPLACE INTO contact_last_engaged(contact_id, date)"
	      " SELECT old.contact_id, (SELECT max(e.date) FROM engagement_contacts l"
	      " JOIN engagements e ON e.id = l.engagement_id"
	      " WHERE l.contact_id = old.contact_id AND e.deleted_at IS NULL); END;\n"
	      "CREATE TRIGGER contact_last_engaged_UPDATE AFTER UPDATE OF date, deleted_at"
	      " ON engagements BEGIN INSERT OR REPLACE INTO contact_last_engaged(contact_id, date)"
	      " SELECT l.contact_id, (SELECT max(e.date) FROM engagement_contacts m"
	      " JOIN engagements e ON e.id = m.engagement_id"
	      " WHERE m.contact_id = l.contact_id AND e.deleted_at IS NULL)"
	      " FROM engagement_contacts l WHERE l.engagement_id = new.id; END;\n",
	/* A program that is not a case takes its own statuses (rules.c):
	 * where a case status stood, the one that says the same of it.
	 * Cancelled stays; deleted rows too, so that a restore is valid. */
	[6] = "UPDATE programs SET status = CASE"
	      " WHEN status IN ('lor_received', 'development', 'offered', 'accepted') THEN 'planned'"
	      " WHEN status = 'implemented' THEN 'active' ELSE 'complete' END"
	      " WHERE authority NOT IN " SK_LOA_AUTHORITIES
	      " AND status IN ('lor_received', 'development', 'offered', 'accepted', 'implemented',"
	      " 'supply_complete', 'closed');\n"
	      /* End-use monitoring's alerts (alerts.c) over a register of
	       * 100,000 items: the items watched (enhanced monitoring, still
	       * held), the ones gone missing, an item's inventory lines with
	       * their result, the lines that did not see their item, and the
	       * checks whose follow-up is open, each an index of its own. */
	      "CREATE INDEX eum_items_watched ON eum_items(delivered_date)"
	      " WHERE eeum = 1 AND deleted_at IS NULL AND status IN ('in_storage', 'issued');\n"
	      "CREATE INDEX eum_items_missing ON eum_items(status_date)"
	      " WHERE deleted_at IS NULL AND status IN ('lost', 'stolen');\n"
	      "CREATE INDEX eum_check_items_seen ON eum_check_items(item_id, check_id, result)"
	      " WHERE deleted_at IS NULL;\n"
	      "CREATE INDEX eum_check_items_not_seen ON eum_check_items(item_id)"
	      " WHERE result = 'not_seen' AND deleted_at IS NULL;\n"
	      "CREATE INDEX eum_checks_followup_open ON eum_checks(followup_due)"
	      " WHERE followup_done = 0 AND deleted_at IS NULL;\n",
};

/*
 * An enumeration that gains a code at version v widens the CHECK of each
 * column of an older table that takes it. SQLite has no ALTER for a
 * CHECK, and rebuilding the table would have to make again every index
 * and trigger on it; a CHECK that accepts more is the change SQLite's
 * documentation allows in the table's text in sqlite_schema itself, with
 * writable_schema: the rows need no rewrite, the old codes stay valid. The
 * text replaced is the exact CHECK of version v-1 (the file's schema was
 * verified to be that before the step runs), and RESET has this
 * connection read the schema again; sk_migrate lets the step write the
 * schema and has the other connections read it again too.
 */
static bool widen_enums(sk_buf *b, int v)
{
	bool any = false;
	for (size_t i = 0; i < sk_ntables; i++) {
		const sk_table *t = sk_tables[i];
		if (since(t->since) >= v)
			continue;
		for (size_t j = 0; j < t->ncolumns; j++) {
			const sk_column *c = &t->columns[j];
			if (!sk_column_stored(c) || since(c->since) >= v || !enum_grows(c, v))
				continue;
			if (!any)
				sk_buf_add(b, "PRAGMA writable_schema = ON;\n");
			any = true;
			sk_buf from = {0}, to = {0};
			enum_check(&from, c, v - 1);
			enum_check(&to, c, v);
			if (from.failed || to.failed) {
				b->failed = true;
			} else {
				sk_buf_add(b, "UPDATE sqlite_schema SET sql = replace(sql, ");
				sk_buf_sql_literal(b, from.data);
				sk_buf_add(b, ", ");
				sk_buf_sql_literal(b, to.data);
			}
			sk_buf_free(&from);
			sk_buf_free(&to);
			sk_buf_printf(b, ") WHERE type = 'table' AND name = '%s';\n", t->name);
		}
	}
	if (any)
		sk_buf_add(b, "PRAGMA writable_schema = RESET;\n");
	return any;
}

bool sk_schema_step_edits(int v)
{
	sk_buf b = {0};
	bool any = v >= 2 && v <= SK_SCHEMA_VERSION && widen_enums(&b, v);
	sk_buf_free(&b);
	return any;
}

/* The DDL that takes a version v-1 database to version v. */
static void step_ddl(sk_buf *b, int v)
{
	widen_enums(b, v);
	for (size_t i = 0; i < sk_ntables; i++) {
		const sk_table *t = sk_tables[i];
		if (since(t->since) == v) {
			sk_buf_printf(b, "CREATE TABLE \"%s\" (", t->name);
			bool first = true;
			for (size_t j = 0; j < t->ncolumns; j++) {
				const sk_column *c = &t->columns[j];
				if (!sk_column_stored(c) || since(c->since) > v)
					continue;
				sk_buf_add(b, first ? "\n  " : ",\n  ");
				column_ddl(b, c, v);
				first = false;
			}
			sk_buf_add(b, "\n) STRICT;\n");
		} else if (since(t->since) < v) {
			for (size_t j = 0; j < t->ncolumns; j++) {
				const sk_column *c = &t->columns[j];
				if (sk_column_stored(c) && since(c->since) == v) {
					sk_buf_printf(b, "ALTER TABLE \"%s\" ADD COLUMN ", t->name);
					column_ddl(b, c, v);
					sk_buf_add(b, ";\n");
				}
			}
		}
		/* Link tables come with their column; references get an index
		 * from version 2 on. */
		for (size_t j = 0; j < t->ncolumns; j++) {
			const sk_column *c = &t->columns[j];
			int added = since(c->since) > since(t->since) ? since(c->since) : since(t->since);
			if (c->type == SK_T_LINKS && added == v)
				link_table_ddl(b, t, c);
			if ((c->type == SK_T_REF || c->type == SK_T_KEYREF) &&
			    (added > 2 ? added : 2) == v)
				sk_buf_printf(b, "CREATE INDEX \"%s_%s\" ON \"%s\"(\"%s\");\n",
				              t->name, c->name, t->name, c->name);
			/* From version 3, every column a list sorts by has an
			 * index, so that a page of a long list is a short walk. */
			if (wants_sort_index(c) && (added > 3 ? added : 3) == v)
				sk_buf_printf(b, "CREATE INDEX IF NOT EXISTS \"%s_%s\" ON \"%s\"(\"%s\");\n",
				              t->name, c->name, t->name, c->name);
			/* unique within another column: the pair, that one first */
			if (c->unique_within && added == v)
				sk_buf_printf(b, "CREATE UNIQUE INDEX \"%s_%s_%s\" ON \"%s\"(\"%s\", \"%s\");\n",
				              t->name, c->unique_within, c->name, t->name,
				              c->unique_within, c->name);
		}
		int fts_since = since(t->since) > 3 ? since(t->since) : 3;
		if (fts_since == v)
			fts_ddl(b, t, v);
		if ((since(t->since) > 4 ? since(t->since) : 4) == v &&
		    sk_column_find(t, "deleted_at"))
			live_ddl(b, t, v);
		bool searchable_added = false;
		for (size_t j = 0; j < t->ncolumns; j++)
			searchable_added |= sk_column_searchable(&t->columns[j]) &&
			                    since(t->columns[j].since) == v;
		if (fts_since < v && searchable_added)
			fts_remake(b, t, v);
	}
	if (v == 1)
		sk_buf_printf(b, "PRAGMA application_id = %d;\n", SK_APPLICATION_ID);
	if (extra_steps[v])
		sk_buf_add(b, extra_steps[v]);
}

void sk_schema_ddl(sk_buf *b, int v)
{
	if (v >= 1 && v <= SK_SCHEMA_VERSION)
		step_ddl(b, v);
}

/* ---- bulk changes ------------------------------------------------------ */

/* The full-text triggers of bulk table i, as the schema has them (upto <
 * 0: and the rows the bulk change added are indexed now, in one
 * statement), or leaving the rows after upto to the end. */
static sk_status bulk_triggers(sk_db *db, int i, int64_t upto, sk_err *err)
{
	const sk_table *t = db->bulk[i];
	bool live = sk_column_find(t, "deleted_at") != NULL; /* schema 4 on */
	sk_buf b = {0};
	for (int k = 0; k < 3; k++)
		sk_buf_printf(&b, "DROP TRIGGER \"%s_fts_%s\";\n", t->name,
		              k == 0 ? "INSERT" : k == 1 ? "DELETE" : "UPDATE");
	fts_triggers_upto(&b, t, live, upto, SK_SCHEMA_VERSION);
	if (upto < 0)
		fts_fill_after(&b, t, live, db->bulk_upto[i], SK_SCHEMA_VERSION);
	sk_status s = b.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
	                       : exec(db, b.data, "indexing the new records for the filter", err);
	sk_buf_free(&b);
	return s;
}

static void bulk_done(sk_db *db)
{
	db->bulk[0] = db->bulk[1] = NULL;
	bulk_cache(db, false);
}

sk_status sk_bulk_begin(sk_db *db, const sk_table *t, sk_err *err)
{
	if (db->txn_depth > 0)
		return sk_begin(db, err); /* inside a caller's change: a plain one */
	bulk_cache(db, true);
	sk_status s = sk_begin(db, err);
	if (s != SK_OK) {
		bulk_cache(db, false);
		return s;
	}
	const sk_table *audit = sk_table_find("audit_log");
	db->bulk[0] = t;
	db->bulk[1] = audit != t ? audit : NULL;
	for (int i = 0; i < 2 && s == SK_OK; i++) {
		db->bulk_upto[i] = -1;
		if (!db->bulk[i])
			continue;
		char sql[128];
		long long max = 0;
		snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM \"%s\"",
		         db->bulk[i]->name);
		s = pragma_int(db, sql, &max, err);
		if (s == SK_OK)
			s = bulk_triggers(db, i, max, err);
		if (s == SK_OK)
			db->bulk_upto[i] = max;
	}
	if (s != SK_OK) {
		sk_rollback(db); /* the triggers come back with the rest */
		bulk_done(db);
	}
	return s;
}

sk_status sk_bulk_commit(sk_db *db, sk_err *err)
{
	if (db->txn_depth != 1 || !db->bulk[0])
		return sk_commit(db, err);
	sk_status s = SK_OK;
	for (int i = 0; i < 2 && s == SK_OK; i++)
		if (db->bulk[i] && db->bulk_upto[i] >= 0)
			s = bulk_triggers(db, i, -1, err);
	if (s == SK_OK)
		s = sk_commit(db, err);
	if (s != SK_OK)
		sk_rollback(db);
	bulk_done(db);
	return s;
}

void sk_bulk_rollback(sk_db *db)
{
	bool outer = db->txn_depth == 1 && db->bulk[0];
	sk_rollback(db); /* the triggers come back with the rest */
	if (outer)
		bulk_done(db);
}

static sk_status bump_schema_cookie(sk_db *db, const char *what, sk_err *err)
{
	sqlite3_stmt *st;
	sk_status s = sk_prepare(db, "PRAGMA schema_version", &st, err);
	if (s != SK_OK)
		return s;
	long long cookie = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (cookie < 0)
		return sk_fail_sqlite(db, err, what);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA schema_version = %lld", cookie + 1);
	return exec(db, sql, what, err);
}

sk_status sk_migrate(sk_db *db, int target, sk_err *err)
{
	if (target > SK_SCHEMA_VERSION)
		target = SK_SCHEMA_VERSION;
	for (;;) {
		sk_status s = sk_begin(db, err);
		if (s != SK_OK)
			return s;
		/* Read inside the transaction: another process may have just
		 * done this step. */
		int v = sk_schema_version(db);
		if (v >= target) {
			sk_rollback(db);
			return SK_OK;
		}
		if (v < 0) {
			sk_rollback(db);
			return sk_fail(err, SK_REFUSED, NULL,
			               "%s is not a scodesk database (its schema version %d is "
			               "none scodesk writes); it was not upgraded", db->path, v);
		}
		sk_buf b = {0};
		step_ddl(&b, v + 1);
		sk_buf_printf(&b, "PRAGMA user_version = %d;\n", v + 1);
		if (b.failed) {
			sk_buf_free(&b);
			sk_rollback(db);
			return sk_fail(err, SK_NOMEM, NULL, "out of memory");
		}
		char what[64];
		snprintf(what, sizeof what, "upgrading the schema to version %d", v + 1);
		bool edits = sk_schema_step_edits(v + 1);
		if (edits)
			sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 0, NULL);
		s = exec(db, b.data, what, err);
		sk_buf_free(&b);
		/* A text written into sqlite_schema does not change the schema
		 * cookie: moved on, the other connections read the schema again
		 * before their next statement. */
		if (edits && s == SK_OK)
			s = bump_schema_cookie(db, what, err);
		if (edits)
			sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
		if (s == SK_OK)
			s = sk_commit(db, err);
		if (s != SK_OK) {
			sk_rollback(db);
			return s;
		}
	}
}

/* ---- check ------------------------------------------------------------- */

int sk_check(sk_db *db, void (*cb)(void *ctx, const char *finding), void *ctx,
             sk_err *err)
{
	int findings = 0;
	char line[512];
	sqlite3_stmt *st;
	if (sk_prepare(db, "PRAGMA integrity_check", &st, err) != SK_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		if (r && strcmp(r, "ok") != 0) {
			snprintf(line, sizeof line, "integrity: %s", r);
			cb(ctx, line);
			findings++;
		}
	}
	sqlite3_finalize(st);
	if (sk_prepare(db, "PRAGMA foreign_key_check", &st, err) != SK_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(line, sizeof line, "foreign key: %s row %lld refers to a missing %s",
		         (const char *)sqlite3_column_text(st, 0),
		         (long long)sqlite3_column_int64(st, 1),
		         (const char *)sqlite3_column_text(st, 2));
		cb(ctx, line);
		findings++;
	}
	sqlite3_finalize(st);
	int v = sk_schema_version(db);
	if (v < 0) {
		snprintf(line, sizeof line, "schema: version %d is none scodesk writes: not a "
		         "scodesk database", v);
		cb(ctx, line);
		findings++;
	} else if (v != SK_SCHEMA_VERSION) {
		snprintf(line, sizeof line, "schema: version %d, this program writes %d",
		         v, SK_SCHEMA_VERSION);
		cb(ctx, line);
		findings++;
	}
	/* Every described column must be there. */
	if (sk_prepare(db, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?", &st, err) != SK_OK)
		return -1;
	for (size_t i = 0; i < sk_ntables; i++) {
		const sk_table *t = sk_tables[i];
		for (size_t j = 0; j < t->ncolumns; j++) {
			if (!sk_column_stored(&t->columns[j]))
				continue;
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, t->name, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, t->columns[j].name, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_ROW) {
				snprintf(line, sizeof line, "schema: table %s lacks column %s",
				         t->name, t->columns[j].name);
				cb(ctx, line);
				findings++;
			}
		}
	}
	sqlite3_finalize(st);
	/* Every object is one scodesk makes for that version, as it makes it. */
	if (v >= 0 && v <= SK_SCHEMA_VERSION) {
		int n = sk_trust_compare(db, v, cb, ctx, err);
		if (n < 0)
			return -1;
		findings += n;
	}
	/* The data keeps the rule that spans tables, as a file written before
	 * the rule (or past scodesk) may not: a check sees only its own
	 * case's items (sk_row_eum_check_items). */
	if (v >= 6) {
		if (sk_prepare(db, "SELECT x.id, x.item_id, x.check_id FROM eum_check_items x"
		               " JOIN eum_items i ON i.id = x.item_id"
		               " JOIN eum_checks c ON c.id = x.check_id"
		               " WHERE x.deleted_at IS NULL AND c.program_id IS NOT NULL"
		               " AND i.program_id IS NOT c.program_id ORDER BY x.id", &st, err) != SK_OK)
			return -1;
		while (sqlite3_step(st) == SQLITE_ROW) {
			snprintf(line, sizeof line, "rule: EUM check item %lld names item %lld, which is "
			         "not of the case of check %lld (a check sees only its own case's items)",
			         (long long)sqlite3_column_int64(st, 0),
			         (long long)sqlite3_column_int64(st, 1),
			         (long long)sqlite3_column_int64(st, 2));
			cb(ctx, line);
			findings++;
		}
		sqlite3_finalize(st);
	}
	return findings;
}

/* ---- settings ------------------------------------------------------------ */

static const sk_setting_def *setting_def(const char *key)
{
	for (size_t i = 0; i < sk_nsetting_defs; i++)
		if (strcmp(sk_setting_defs[i].key, key) == 0)
			return &sk_setting_defs[i];
	return NULL;
}

sk_status sk_setting(sk_db *db, const char *key, char *buf, size_t size)
{
	const sk_setting_def *d = setting_def(key);
	snprintf(buf, size, "%s", d ? d->value : "");
	sqlite3_stmt *st;
	if (sk_prepare(db, "SELECT value FROM settings WHERE key = ? AND deleted_at IS NULL",
	               &st, NULL) != SK_OK)
		return SK_DB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return d ? SK_OK : SK_NOTFOUND;
}

long long sk_setting_int(sk_db *db, const char *key)
{
	char buf[32];
	sk_setting(db, key, buf, sizeof buf);
	char *end;
	long long v = strtoll(buf, &end, 10);
	if (*end || end == buf) {
		const sk_setting_def *d = setting_def(key);
		v = d ? strtoll(d->value, NULL, 10) : 0;
	}
	return v;
}

void sk_sql_setting_int(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *key = (const char *)sqlite3_value_text(argv[0]);
	if (!key || !setting_def(key)) {
		sqlite3_result_error(ctx, "sk_setting_int: no such setting", -1);
		return;
	}
	sqlite3_result_int64(ctx, sk_setting_int(sqlite3_user_data(ctx), key));
}

sk_status sk_setting_set(sk_db *db, const char *key, const char *value, sk_err *err)
{
	const sk_table *t = sk_table_find("settings");
	sk_record *rec = NULL;
	sqlite3_stmt *st;
	sk_status s = sk_prepare(db, "SELECT id FROM settings WHERE key = ?", &st, err);
	if (s != SK_OK)
		return s;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	long long id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (id) {
		/* A deleted setting comes back to life with its new value. */
		s = sk_get_record(db, t, id, &rec, err);
		if (s == SK_OK && sk_get(rec, "deleted_at")) {
			sk_record_free(rec);
			rec = NULL;
			s = sk_restore(db, t, id, err);
			if (s == SK_OK)
				s = sk_get_record(db, t, id, &rec, err);
		}
		if (s == SK_OK && (s = sk_set(rec, "value", value)) == SK_OK)
			s = sk_update(db, rec, err);
	} else {
		rec = sk_record_new(t);
		if (!rec)
			return sk_fail(err, SK_NOMEM, NULL, "out of memory");
		s = sk_set(rec, "key", key);
		if (s == SK_OK)
			s = sk_set(rec, "value", value);
		if (s == SK_OK)
			s = sk_insert(db, rec, err);
	}
	sk_record_free(rec);
	return s;
}
