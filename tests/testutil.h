/*
 * testutil.h: fixtures shared by the cmocka tests.
 */
#ifndef SCODESK_TESTUTIL_H
#define SCODESK_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "scodesk/record.h"
#include "scodesk/schema.h"
#include "scodesk/store.h"

typedef struct tu_db {
	sk_db *db;
	char dir[256];  /* a new temporary folder, removed by tu_close */
	char path[320]; /* dir/test.db */
} tu_db;

/* Makes a new folder and a fresh database in it (fails the test if it
 * cannot). */
void tu_open(tu_db *t);
/* Makes the folder only; path is set, no database is opened. */
void tu_mkdir(tu_db *t);
/* Makes the folder and a database of schema version v in it, opened as
 * it is (not upgraded). */
void tu_open_version(tu_db *t, int v);
/* Closes the database (if open) and removes the folder. */
void tu_close(tu_db *t);

/*
 * A record of table t that passes validation. Rows it refers to are
 * inserted first. seed makes unique values (billet numbers, codes,
 * case ids) differ between calls.
 */
sk_record *tu_valid(sk_db *db, const sk_table *t, int seed);
/* Makes rec's parents agree with each other as the table's rules want
 * (an EUM check line's item gets its check's case); tu_valid does it. */
void tu_fit(sk_db *db, const sk_record *rec);
/* Inserts rec, failing the test with the message when that fails;
 * returns the new id. */
int64_t tu_insert(sk_db *db, sk_record *rec);
/* The integer the query's first row starts with (fails the test when
 * the query fails or gives no row): on a raw connection, or on db's. */
long long tu_q_int(struct sqlite3 *c, const char *sql);
/* The text the query's first row starts with (malloc'd; NULL for SQL
 * NULL); fails the test when the query fails or gives no row. */
char *tu_q_text(struct sqlite3 *c, const char *sql);
/* Runs SQL on a raw connection, failing the test when it fails. */
void tu_exec(struct sqlite3 *c, const char *sql);
/* The schema objects of a database (type, name, SQL), a line each, in
 * order: to compare two files' schemas, or one file's over time. */
char *tu_schema(struct sqlite3 *c);
long long tu_int(sk_db *db, const char *sql);
/* Reads a file whole (NUL-terminated); *size gets its length. */
char *tu_slurp(const char *path, size_t *size);

/*
 * Runs fn(ctx, msg, size) in a forked child and waits for it. When this
 * process is root and as_nobody is set, the child first becomes user and
 * group nobody (65534), with group (when not 0) as its one supplementary
 * group: tests of permissions mean nothing to root. fn returns 0, or
 * non-zero after writing what went wrong into msg. Returns the child's
 * result (-1 when it died or could not become nobody), with its message in
 * msg. No cmocka assertion may run in the child.
 */
typedef int (*tu_child_fn)(void *ctx, char *msg, size_t size);
int tu_in_child(tu_child_fn fn, void *ctx, int as_nobody, unsigned group, char *msg,
                size_t size);

#endif
