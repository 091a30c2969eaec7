/*
 * store.h: the database file, its connection and its schema.
 *
 * One SQLite file holds everything. Opening it checks that it is a scodesk
 * database no newer than this program before changing anything, sets the
 * connection up for several users at once (WAL, busy timeout, foreign
 * keys, synchronous=FULL), and brings an older schema up to date one
 * transaction per step.
 */
#ifndef SCODESK_STORE_H
#define SCODESK_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scodesk/err.h"

/* The schema version this program writes; PRAGMA user_version. */
#define SK_SCHEMA_VERSION 6
/* PRAGMA application_id of a scodesk database ("SCOd"). */
#define SK_APPLICATION_ID 0x53434f64
/* How long a write waits for another user's transaction, in ms. */
#define SK_BUSY_TIMEOUT_MS 5000

typedef struct sk_db sk_db;

enum {
	SK_OPEN_CREATE = 1 << 0,   /* create the file when it is missing */
	SK_OPEN_READONLY = 1 << 1, /* never write; refuse every change */
	SK_OPEN_NO_MIGRATE = 1 << 2, /* open an older schema as it is */
	/* open whatever schema the file holds, not trusting it (SQLite's
	 * trusted_schema stays off): for sk_check to list the differences,
	 * or to restore over the file. A change first verifies the schema. */
	SK_OPEN_NO_VERIFY = 1 << 3,
};

/*
 * Where the database lives when no --db is given: $SCODESK_DB, else
 * $XDG_DATA_HOME/scodesk/scodesk.db, else ~/.local/share/scodesk/scodesk.db.
 * Writes into buf; returns SK_OK or SK_IO when no home is known.
 */
sk_status sk_default_path(char *buf, size_t size, sk_err *err);

/*
 * Opens the database at path. A missing file is created (mode 0600, its
 * folder 0700) only with SK_OPEN_CREATE. A file that is not a scodesk
 * database, or whose schema version is newer than SK_SCHEMA_VERSION (or
 * below 0), is refused with SK_REFUSED and left untouched, and so is one
 * every user may write (mode o+w, or with any folder on the path to it
 * so, not sticky): the message says `chmod o-w`. So are a file, -wal or
 * -shm of another user's that is not the shared group's (its group is not
 * one this user is in; root too), a path that is a folder, a pipe, a
 * device or a socket (refused without opening it), and a name too long,
 * which leaves nothing made (sk_fs_check_database in fsafe.h). So is a
 * file whose schema is not the one scodesk makes for its version (a
 * table, column, index, trigger or view it did not make, or one that
 * differs): the sentence names the first such object (unless
 * SK_OPEN_NO_VERIFY). A file the user cannot write (or on a read-only
 * mount) opens read-only when that stays consistent while others write it
 * (a rollback journal, or a WAL file whose -wal and -shm are there and
 * readable), creating nothing beside it; otherwise SK_READONLY and a
 * sentence that says what is missing. With SK_OPEN_READONLY on a file the
 * user may write, nothing is left beside it either (query_only). On
 * success *out is the handle.
 */
sk_status sk_open(const char *path, unsigned flags, sk_db **out, sk_err *err);
void sk_close(sk_db *db);

/* Schema version of the open file (after any upgrade). */
int sk_schema_version(sk_db *db);
/* True when writes are refused (--read-only or an unwritable file). */
bool sk_readonly(sk_db *db);
const char *sk_path(sk_db *db);

/*
 * Upgrades the schema to `target` (at most SK_SCHEMA_VERSION), one
 * transaction per step. sk_open does this itself; tests call it to build
 * every earlier version.
 */
sk_status sk_migrate(sk_db *db, int target, sk_err *err);

/*
 * Write transactions. sk_begin starts BEGIN IMMEDIATE (waiting up to the
 * busy timeout); sk_commit commits; sk_rollback undoes. Nested calls join
 * the outer transaction: only the outermost commit writes.
 */
sk_status sk_begin(sk_db *db, sk_err *err);
sk_status sk_commit(sk_db *db, sk_err *err);
void sk_rollback(sk_db *db);

/* fn is called once each time a statement starts waiting for another
 * connection's lock (the wait lasts up to SK_BUSY_TIMEOUT_MS), so that an
 * interface can say so before it blocks. NULL turns it off. */
void sk_on_wait(sk_db *db, void (*fn)(void *ctx), void *ctx);

/* fn is asked before every pause of such a wait; when it returns true the
 * wait ends at once and the change fails as SK_BUSY, leaving the caller's
 * record as it was. An interface that caught SIGTERM or SIGHUP says so
 * here (fn may only look at a flag its signal handler set), so that a
 * save stuck behind another user's lock does not hold up its exit for
 * the whole timeout. NULL turns it off. */
void sk_on_wait_give_up(sk_db *db, bool (*fn)(void *ctx), void *ctx);

/* Runs integrity_check, foreign_key_check, the schema version check and
 * the comparison of the schema with the one scodesk makes for that
 * version (each object it did not make, or that differs, or is missing);
 * each finding is passed to cb. Returns the number of findings, or -1
 * when the checks could not run. */
int sk_check(sk_db *db, void (*cb)(void *ctx, const char *finding), void *ctx,
             sk_err *err);

/*
 * Today's date (YYYY-MM-DD) and the time now (UTC timestamp). Both come
 * from the clock unless SCODESK_TODAY / SCODESK_NOW are set, which tests
 * use to pin the calendar.
 */
const char *sk_today(sk_db *db);
void sk_now(char buf[21]);

/* Who is making changes: login name, plus the SSH client address. */
const char *sk_user(sk_db *db);

/* Settings (key/value, the `settings` table). The default is returned for
 * a missing key. */
sk_status sk_setting(sk_db *db, const char *key, char *buf, size_t size);
long long sk_setting_int(sk_db *db, const char *key);
sk_status sk_setting_set(sk_db *db, const char *key, const char *value,
                         sk_err *err);

typedef struct sk_setting_def {
	const char *key;
	const char *value; /* default */
	const char *help;
} sk_setting_def;
extern const sk_setting_def sk_setting_defs[];
extern const size_t sk_nsetting_defs;

/*
 * A bulk change (an import into t): sk_begin, and while it lasts SQLite
 * keeps up to SK_BULK_CACHE_MB of pages in memory for this connection
 * (instead of about 2 MB) and its statement journals in memory, and the
 * full-text indexes of t and of the audit log get the new records in one
 * statement at sk_bulk_commit, not by trigger row by row (FTS5 writes its
 * pending entries out at every statement of a transaction: row by row,
 * most of an import's time). The triggers are changed inside the
 * transaction: no other connection ever sees them changed, and a rollback
 * puts them back. Inside a caller's change: a plain nested one.
 */
#define SK_BULK_CACHE_MB 256
struct sk_table;
sk_status sk_bulk_begin(sk_db *db, const struct sk_table *t, sk_err *err);
sk_status sk_bulk_commit(sk_db *db, sk_err *err);  /* rolls back on failure */
void sk_bulk_rollback(sk_db *db);

/*
 * Following others' changes. sk_data_version is SQLite's PRAGMA
 * data_version: it moves when another connection (another user, another
 * command) commits, never for this connection's own commits; -1 when it
 * cannot be read. sk_changed_since says what the audit entries after
 * `mark` (an sk_audit_mark) are about, leaving out those whose id is in
 * one of the nskip ranges (from, to; at most SK_CHANGED_SKIPS): how many
 * records (an entry about no record, such as a restore, counts as one),
 * in how many tables, and the table when it is just one.
 */
#define SK_CHANGED_SKIPS 4
typedef struct sk_changed {
	int64_t records;
	int tables;
	const struct sk_table *table;
} sk_changed;
int64_t sk_data_version(sk_db *db);
sk_status sk_changed_since(sk_db *db, int64_t mark, const int64_t skip[][2], int nskip,
                           sk_changed *out, sk_err *err);

/* The underlying connection, for core modules only. */
struct sqlite3 *sk_sqlite(sk_db *db);
/* Maps the last SQLite error on db into err. */
sk_status sk_fail_sqlite(sk_db *db, sk_err *err, const char *what);

#endif
