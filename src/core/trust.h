/*
 * trust.h: whether the schema of a database file is the one scodesk makes
 * (trust.c). Core only.
 *
 * A file from outside (a backup to restore, a copy handed over) may carry
 * triggers, views or changed tables that scodesk never made, and SQLite
 * would run them inside scodesk's own changes. The schema of version v is
 * exactly what migrating an empty database from 0 to v gives (a new file
 * goes through the same steps), so that is what a file is compared with:
 * every row of sqlite_schema (type, name, table, SQL), the root page
 * aside.
 */
#ifndef SCODESK_TRUST_H
#define SCODESK_TRUST_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "core.h"

/* The DDL that takes a version v-1 database to version v (store.c); v
 * outside 1..SK_SCHEMA_VERSION adds nothing. */
void sk_schema_ddl(sk_buf *b, int v);

/* Does the step to version v write sqlite_schema itself (an enumeration
 * that gains a code widens a CHECK)? sk_migrate then lifts the defensive
 * mode for that step alone. */
bool sk_schema_step_edits(int v);

/* Settings every connection gets before its first statement: SQLite's
 * defensive mode (no writable_schema, no writes to shadow tables) and a
 * schema that is not trusted (trusted_schema off) until sk_trust_verify
 * says it is scodesk's own. */
void sk_trust_harden(sqlite3 *conn);

/*
 * Compares db's schema with the one scodesk makes for version (0 to
 * SK_SCHEMA_VERSION) and passes each difference to cb (which may be NULL)
 * as one line, "schema: trigger "x" on "t" is not one scodesk makes"
 * (names quoted and cut short; made inert by whoever prints them).
 * Returns the number of differences, or -1 with err filled when they
 * cannot be read.
 */
int sk_trust_compare(sk_db *db, int version, void (*cb)(void *ctx, const char *line),
                     void *ctx, sk_err *err);

/*
 * Reads the schema version and the schema in one read (the caller's
 * transaction when there is one) and refuses (SK_REFUSED, one sentence
 * naming db's file and the first object that differs) anything but the
 * schema scodesk makes for that version. On success the connection trusts
 * its schema (trusted_schema on: SQLite's FTS5 is not marked innocuous,
 * and scodesk's own triggers write to it) until the schema changes.
 * `when` opens the sentence's reason ("it was left untouched").
 */
sk_status sk_trust_verify(sk_db *db, const char *when, sk_err *err);

/* For a write, inside its transaction: verifies again when the schema
 * has changed since it was last verified (another process may have
 * added a trigger), or was never verified (SK_OPEN_NO_VERIFY). */
sk_status sk_trust_recheck(sk_db *db, sk_err *err);

/* SHA-256 of n bytes into out (exposed for its test). */
void sk_sha256(const void *data, size_t n, unsigned char out[32]);

/* The digest of the schema scodesk makes for SK_SCHEMA_VERSION, as built
 * here, into hex (64 digits); true when it is the one trust.c knows, so
 * that an open of a current file need not build the reference. */
bool sk_trust_known_digest(char hex[65], sk_err *err);

#endif
