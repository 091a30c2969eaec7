/*
 * scratch.c: a private copy of the database to work on and throw away
 * (see scratch.h).
 */
#include <stdlib.h>
#include <string.h>

#include "scodesk/scratch.h"
#include "core.h"
#include "trust.h"

/* The copy's own SQL functions, as sk_open gives them to a connection:
 * its pinned calendar, the rank of a certification level, the filter's
 * hits. */
static void copy_today(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc, (void)argv;
	const sk_db *db = sqlite3_user_data(ctx);
	sqlite3_result_text(ctx, db->today, -1, SQLITE_STATIC);
}

static void copy_cert_rank(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *v = (const char *)sqlite3_value_text(argv[0]);
	sqlite3_result_int(ctx, sk_enum_index(&sk_enum_cert_level, v));
}

static sk_status setup(sk_db *c, sk_err *err)
{
	sqlite3 *conn = c->conn;
	sqlite3_extended_result_codes(conn, 1);
	int rc = sqlite3_create_function_v2(conn, "sk_today", 0,
	                                    SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC,
	                                    c, copy_today, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(conn, "sk_cert_rank", 1,
		                                SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC,
		                                NULL, copy_cert_rank, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(conn, "sk_hit", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, c,
		                                sk_sql_hit, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(conn, "sk_grade_rank", 1,
		                                SQLITE_UTF8 | SQLITE_INNOCUOUS | SQLITE_DETERMINISTIC,
		                                NULL, sk_sql_grade_rank, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(conn, "sk_setting_int", 1,
		                                SQLITE_UTF8 | SQLITE_DIRECTONLY | SQLITE_DETERMINISTIC,
		                                c, sk_sql_setting_int, NULL, NULL, NULL);
	/* Defensive, and untrusted until the first change verifies the
	 * copy's schema (sk_begin), as every connection of scodesk's: the
	 * copy is of a later snapshot than the one sk_open verified. */
	if (rc == SQLITE_OK)
		sk_trust_harden(conn);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(conn, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sk_fail_sqlite(c, err, "setting up a private copy of the database");
	return SK_OK;
}

sk_status sk_scratch_copy(sk_db *db, sk_db **copy, sk_err *err)
{
	*copy = NULL;
	if (db->txn_depth > 0)
		return SK_OK; /* inside the caller's change: no copy */
	sk_db *c = calloc(1, sizeof *c);
	if (!c || !(c->path = strdup(db->path))) {
		free(c);
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	memcpy(c->today, db->today, sizeof c->today);
	memcpy(c->user, db->user, sizeof c->user);
	/* "": a private temporary database on disk, removed when closed */
	if (sqlite3_open_v2("", &c->conn, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sk_status s = sk_fail(err, SK_NOMEM, NULL, "cannot make a private copy of %s: %s",
		                      db->path, c->conn ? sqlite3_errmsg(c->conn) : "out of memory");
		sk_close(c);
		return s;
	}
	sk_status s = setup(c, err);
	if (s != SK_OK) {
		sk_close(c);
		return s;
	}
	/* One step: one read of one snapshot, waiting (db's busy handler)
	 * only where a reader must, never for a writer. */
	sqlite3_backup *b = sqlite3_backup_init(c->conn, "main", db->conn, "main");
	int rc = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(c->conn);
	int done = b ? sqlite3_backup_finish(b) : rc;
	if (rc != SQLITE_DONE || done != SQLITE_OK) {
		int why = rc != SQLITE_DONE ? rc : done;
		bool busy = (why & 0xff) == SQLITE_BUSY || (why & 0xff) == SQLITE_LOCKED;
		s = sk_fail(err, busy ? SK_BUSY : SK_IO, NULL,
		            "cannot make a private copy of %s to check the file on: %s",
		            db->path, sqlite3_errstr(why));
		sk_close(c);
		return s;
	}
	*copy = c;
	return SK_OK;
}
