/*
 * scratch.h: a private, throw-away copy of the database, for work that
 * must be done as a change but never kept (an import's dry run).
 *
 * The copy is read from one snapshot of the database through SQLite's
 * online backup API. Reading takes no write lock, and in WAL mode a
 * reader never holds up a writer, so other users' changes go through
 * while the copy is made and while the work runs on it. It lives in a
 * temporary file of SQLite's own (an unpredictable name in SQLITE_TMPDIR,
 * TMPDIR, /var/tmp or /tmp, created O_EXCL|O_NOFOLLOW with mode 0600 and
 * removed from the folder as soon as it is made, gone when closed), so it
 * costs a copy of the file's size in time and disk space.
 */
#ifndef SCODESK_SCRATCH_H
#define SCODESK_SCRATCH_H

#include "scodesk/err.h"
#include "scodesk/store.h"

/*
 * Copies db into a private database and opens it as *copy, set up as db
 * is (its calendar, its user for the audit log, foreign keys), writable
 * even when db is read-only. Changes to it reach nobody; sk_close throws
 * it away. Inside a change of db's (sk_begin without sk_commit) there is
 * no copy: *copy is NULL and SK_OK is returned, and the work belongs in
 * that change, whose lock is held already.
 */
sk_status sk_scratch_copy(sk_db *db, sk_db **copy, sk_err *err);

#endif
