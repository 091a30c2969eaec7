/*
 * record.h: reading and changing records of any described table.
 *
 * A record holds one value per column of its table's description, as text
 * (NULL for SQL NULL), in column order. Every change is validated, runs in
 * one write transaction and appends to audit_log in that same transaction.
 * Updates succeed only while the record's version is the one that was
 * read; otherwise SK_CONFLICT names who changed it and when.
 */
#ifndef SCODESK_RECORD_H
#define SCODESK_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scodesk/err.h"
#include "scodesk/schema.h"
#include "scodesk/store.h"

typedef struct sk_record {
	const sk_table *table;
	char **values; /* table->ncolumns entries, each malloc'd or NULL */
} sk_record;

/* A record of t with every value NULL. Returns NULL when out of memory. */
sk_record *sk_record_new(const sk_table *t);
void sk_record_free(sk_record *rec);
sk_record *sk_record_dup(const sk_record *rec);

/* Value of a column by name, or NULL (also for an unknown name). */
const char *sk_get(const sk_record *rec, const char *column);
/* Sets a column by name (copying value; NULL clears). SK_INVALID for an
 * unknown column, SK_NOMEM. */
sk_status sk_set(sk_record *rec, const char *column, const char *value);
sk_status sk_set_int(sk_record *rec, const char *column, long long value);
sk_status sk_set_at(sk_record *rec, int index, const char *value);
/* The record's id, or 0 when it has none yet. */
int64_t sk_record_id(const sk_record *rec);
/* The version the record was read at. */
int64_t sk_record_version(const sk_record *rec);

/* Checks every column and the table's row rules without writing. */
sk_status sk_validate(sk_db *db, sk_record *rec, sk_err *err);
/* Checks rec as it stands (nothing is computed or changed) as a change
 * from prev (NULL: a new record), with the SK_W_* flags of the write that
 * made it: an import checks so each record as all of its file's rows
 * left it, against the record as it was before the import. */
sk_status sk_validate_change(sk_db *db, const sk_record *rec, const sk_record *prev,
                             unsigned flags, sk_err *err);

/* The newest audit entry's id (0: none): a mark to tell the entries made
 * after it (by an import under way) from the ones before. */
int64_t sk_audit_mark(sk_db *db);
/* Who made the last change to record id of t, and when, from the audit
 * log's entries up to the mark upto (0: all); "someone" and "an unknown
 * time" (and false) when the log has none. */
bool sk_last_change(sk_db *db, const sk_table *t, int64_t id, int64_t upto, char *who,
                    size_t who_size, char *when, size_t when_size);

/* Reads one record (deleted ones too). SK_NOTFOUND when there is none. */
sk_status sk_get_record(sk_db *db, const sk_table *t, int64_t id,
                        sk_record **out, sk_err *err);

/* Inserts rec. When rec has an id it is used, otherwise a new one is given;
 * either way rec afterwards holds the stored row (id, created_at,
 * updated_at, version). On any failure (a rule, the commit, a lock held
 * past the timeout) rec is left exactly as it was given. */
sk_status sk_insert(sk_db *db, sk_record *rec, sk_err *err);

/* Writes rec over the stored row with the same id, provided the stored
 * version is still sk_record_version(rec) and the row is not deleted
 * (SK_GONE: "Chen, Marcus was deleted by alice at T"; sk_restore
 * brings it back). rec afterwards holds the stored
 * row; on any failure it is left exactly as it was given (same version),
 * so that the same save can be tried again. */
sk_status sk_update(sk_db *db, sk_record *rec, sk_err *err);

/* How a write is done. SK_W_IMPORT: audited as "import"; an update takes
 * the record's deleted_at as it is, and its updated_at and version when
 * that version is newer than the stored one; the same version is an
 * ordinary change (the version goes up by one, updated_at is now), and an
 * older one is SK_CONFLICT, as it would revert someone's later change.
 * SK_W_OVERWRITE (with SK_W_IMPORT): an older version is written anyway,
 * as the stored version plus one, and its audit entry says so
 * ("overwrite_newer" in the after JSON, with both versions). */
enum { SK_W_IMPORT = 1 << 0, SK_W_OVERWRITE = 1 << 1 };
sk_status sk_insert_ex(sk_db *db, sk_record *rec, unsigned flags, sk_err *err);
sk_status sk_update_ex(sk_db *db, sk_record *rec, unsigned flags, sk_err *err);

/*
 * Three-way merge of a change made on a record read as `base` (mine)
 * with the record as another user has since stored it (theirs): each
 * field one side changed takes that side's value; a field both changed
 * to different values takes mine, and its column index goes into
 * out->clash; the fields taken from theirs go into out->taken (column
 * indexes, in column order). Core's own columns (id, version, time
 * stamps, deleted_at) are theirs, so that the merge saves over their
 * version. Returns the merged record (NULL: out of memory).
 */
#define SK_MERGE_MAX 64
typedef struct sk_merged {
	int clash[SK_MERGE_MAX], nclash;
	int taken[SK_MERGE_MAX], ntaken;
} sk_merged;
sk_record *sk_merge(const sk_record *base, const sk_record *mine, const sk_record *theirs,
                    sk_merged *out);

/* Soft delete (sets deleted_at) and its undo. */
sk_status sk_delete(sk_db *db, const sk_table *t, int64_t id, sk_err *err);
sk_status sk_restore(sk_db *db, const sk_table *t, int64_t id, sk_err *err);

/* What separates the words of a filter: spaces, and the commas and
 * semicolons of names as shown ("Chen, Marcus; Haddad, Samir"). */
#define SK_WORD_BREAKS " \t,;"

/* How a list is filtered and ordered. */
#define SK_MAX_WHERE 4
typedef struct sk_query {
	const char *text;      /* substring in any text column, or NULL */
	struct {
		const char *column; /* equality on a column of the table */
		const char *value;  /* NULL matches SQL NULL */
	} where[SK_MAX_WHERE];
	int nwhere;
	const char *sort;      /* column name; NULL sorts by id */
	bool descending;
	enum { SK_LIVE = 0, SK_DELETED, SK_ALL } which;
	int64_t limit;         /* 0: no limit */
	int64_t offset;
	/*
	 * Keyset paging, so that a window far down a long list costs no more
	 * than the first: with `after`, only the rows that come after the
	 * anchor row (its sort value and id) in this order (`inclusive`: the
	 * anchor too). `reverse` walks the order backwards: rows come nearest
	 * first, and without an anchor the last row comes first. Needs a
	 * stored sort column (or none); SK_INVALID otherwise.
	 */
	bool reverse, after, inclusive;
	const char *anchor_value; /* the anchor's sort value (NULL: SQL NULL) */
	int64_t anchor_id;
} sk_query;

/* Calls cb for each matching record (borrowed: valid during the call). A
 * non-zero return from cb stops the listing and is passed back. */
typedef int (*sk_record_cb)(void *ctx, const sk_record *rec);
sk_status sk_list(sk_db *db, const sk_table *t, const sk_query *q,
                  sk_record_cb cb, void *ctx, sk_err *err);
/* Number of records a query matches (ignoring limit and offset). */
sk_status sk_count(sk_db *db, const sk_table *t, const sk_query *q,
                   int64_t *count, sk_err *err);

/* Where record id stands (0-based) in the list q gives, in *index;
 * SK_NOTFOUND when the query does not hold it. */
sk_status sk_position(sk_db *db, const sk_table *t, const sk_query *q, int64_t id,
                      int64_t *index, sk_err *err);

/* A short display name for a record: its name columns joined by spaces. */
void sk_record_name(const sk_record *rec, char *buf, size_t size);
/* The same for a person to read: where the name holds a reference (a
 * training record's person), the referenced record's name stands for its
 * id ("Haddad, Samir: AT-L1"). */
void sk_record_title(sk_db *db, const sk_record *rec, char *buf, size_t size);

#endif
