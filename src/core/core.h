/*
 * core.h: what the core modules share among themselves. Not installed;
 * nothing outside src/core includes it.
 */
#ifndef SCODESK_CORE_INTERNAL_H
#define SCODESK_CORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "scodesk/err.h"
#include "scodesk/record.h"
#include "scodesk/schema.h"
#include "scodesk/store.h"

#define SK_STMT_CACHE 64
#define SK_COUNT_MEMO 4
/* The largest id a filter's bit per id goes to (16 MB of bits); an
 * imported id beyond it sends that filter's pages the slower way. */
#define SK_HITS_MAX_BITS ((int64_t)1 << 27)

/* Students still on their way to a course: the alerts about students look
 * at these only, and a partial index (schema version 4) holds just them;
 * the alerts must spell the condition exactly so for SQLite to use it. */
#define SK_ACTIVE_STUDENT "status IN ('nominated', 'screened', 'vetted', 'ito_issued')"

/* The authorities whose programs are cases under a letter of offer and
 * acceptance (FMS, FMF-financed, Sec. 333 BPC pseudo-LOA, EDA): the case
 * milestones, the case id and the case alerts are theirs alone. The same
 * set, as SQL and as a test of one code. */
#define SK_LOA_AUTHORITIES "('fms', 'fmf', 's333', 'eda')"
bool sk_is_loa(const char *authority);

typedef struct sk_count_memo {
	const void *table;
	int which;
	char *text; /* the filter, or NULL: the whole list */
	int64_t count;
	int64_t changes, data_version;
} sk_count_memo;

struct sk_db {
	sqlite3 *conn;
	char *path;
	bool readonly;
	int txn_depth;     /* sk_begin nesting */
	char today[11];
	char user[128];
	/* told once when a change starts waiting for another user's lock */
	void (*on_wait)(void *ctx);
	void *on_wait_ctx;
	/* asked before each pause of a wait: true stops waiting at once */
	bool (*give_up)(void *ctx);
	void *give_up_ctx;
	int waited_ms;
	/* the SK_W_* flags of the write under way (an import relaxes what a
	 * file of history needs relaxed) */
	unsigned write_flags;
	/* prepared statements kept for the next call with the same SQL: a
	 * bulk import or a list page runs the same few statements again and
	 * again, and compiling them (triggers and all) costs more than running
	 * them */
	struct {
		char *sql;
		sqlite3_stmt *st;
		bool busy;
	} cache[SK_STMT_CACHE];
	int cache_next;
	/* the last few counts of a whole list or of a filter's matches,
	 * kept while the database is unchanged (record.c: memo_count) */
	sk_count_memo memo[SK_COUNT_MEMO];
	/* the live rows holding the last filter gathered from a full-text
	 * index, a bit per id (record.c: gather_hits), for sk_hit(id) */
	struct {
		const void *table;
		char *text;
		int64_t changes, data_version;
		unsigned char *bits;
		int64_t nbits, count;
		bool partial; /* an id beyond SK_HITS_MAX_BITS: no bit for it */
	} hits;
	/* a bulk change under way (sk_bulk_begin): the tables whose full-text
	 * index is filled at its end, for their rows after bulk_upto */
	const sk_table *bulk[2];
	int64_t bulk_upto[2];
	int memo_next;
	/* the schema was found to be scodesk's own (trust.c), as of this
	 * PRAGMA schema_version */
	bool schema_trusted;
	long long schema_cookie;
};

/* A growing string; all functions keep it NUL-terminated. On allocation
 * failure `failed` is set and later appends do nothing. */
typedef struct sk_buf {
	char *data;
	size_t len, cap;
	bool failed;
} sk_buf;

void sk_buf_add(sk_buf *b, const char *s);
void sk_buf_addn(sk_buf *b, const char *s, size_t n);
void sk_buf_printf(sk_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (quoted, escaped); NULL as null. */
void sk_buf_json_string(sk_buf *b, const char *s);
/* Appends s as an SQL string literal (quoted, quotes doubled). For DDL
 * built from the table descriptions only; values are always bound. */
void sk_buf_sql_literal(sk_buf *b, const char *s);
void sk_buf_free(sk_buf *b);

/* Column checks used only in the descriptions. */
const char *sk_check_billet_number(const char *value);
const char *sk_check_agency(const char *value);
const char *sk_check_setting_key(const char *value);

/* sk_hit(id): is the id among the rows the last filter gathered? */
void sk_sql_hit(sqlite3_context *ctx, int argc, sqlite3_value **argv);
/* SQL function sk_grade_rank(grade): sk_grade_rank, NULL for no grade. */
void sk_sql_grade_rank(sqlite3_context *ctx, int argc, sqlite3_value **argv);
/* SQL function sk_setting_int(key): sk_setting_int of the connection's
 * database (a threshold a derived column needs). Direct only: no view,
 * trigger or index of a file may call it. */
void sk_sql_setting_int(sqlite3_context *ctx, int argc, sqlite3_value **argv);

/* A program as a command reads it: its case id, else its title (id: the
 * SQL of the program's id; the alias g is taken). */
#define SK_CASE_OF(id) \
	"(SELECT coalesce(nullif(g.case_id, ''), g.title) FROM programs g WHERE g.id = " id ")"

/* End-use monitoring as the lists, reports and rules read it. An
 * inventory is an initial or annual one; it saw an item unless the
 * item's line says not_seen (damaged and at the wrong site were seen).
 * item is the SQL of an item's id. */
#define SK_EUM_INVENTORY(c) c ".kind IN ('initial_inventory', 'annual_inventory')"
/* the date of the last inventory that saw the item */
#define SK_EUM_LAST_SEEN(item)                                                         \
	"(SELECT max(c.date) FROM eum_check_items x INDEXED BY eum_check_items_seen"    \
	" JOIN eum_checks c ON c.id = x.check_id WHERE x.item_id = " item               \
	" AND x.deleted_at IS NULL AND x.result <> 'not_seen' AND c.deleted_at IS NULL" \
	" AND " SK_EUM_INVENTORY("c") ")"
/* an inventory has seen the item (stops at the first that did) */
#define SK_EUM_EVER_SEEN(item)                                                         \
	"EXISTS (SELECT 1 FROM eum_check_items x INDEXED BY eum_check_items_seen"       \
	" JOIN eum_checks c ON c.id = x.check_id WHERE x.item_id = " item               \
	" AND x.deleted_at IS NULL AND x.result <> 'not_seen' AND c.deleted_at IS NULL" \
	" AND " SK_EUM_INVENTORY("c") ")"
/* col of the item's line of its last inventory (the latest date, then
 * the last entered) */
#define SK_EUM_LAST_LINE(item, col)                                                    \
	"(SELECT " col " FROM eum_check_items y JOIN eum_checks d ON d.id = y.check_id"  \
	" WHERE y.item_id = " item " AND y.deleted_at IS NULL AND d.deleted_at IS NULL"  \
	" AND " SK_EUM_INVENTORY("d") " ORDER BY d.date DESC, d.id DESC LIMIT 1)"

/* Table rules (rules.c). */
int sk_row_billets(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err);
int sk_row_personnel(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err);
int sk_row_staff_training(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err);
int sk_row_students(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err);
int sk_prepare_staff_training(sk_db *db, sk_record *rec, const sk_record *prev, sk_err *err);
int sk_prepare_programs(sk_db *db, sk_record *rec, const sk_record *prev, sk_err *err);
int sk_row_programs(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err);
/* A program status its authority has (a case's for a case, planned,
 * active, complete otherwise; cancelled and any status with no authority
 * yet: yes). programs.status offers these. */
bool sk_program_status_fits(const sk_record *rec, const char *status);
int sk_row_eum_check_items(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err);
int sk_row_eum_checks(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err);
int sk_row_eum_items(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err);
int sk_after_personnel(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err);
int sk_after_staff_training(sk_db *db, const sk_record *rec, const sk_record *prev, sk_err *err);

/* The columns unique within another (sk_column.unique_within) of rec,
 * against the other rows of its table. */
sk_status sk_validate_unique_within(sk_db *db, const sk_record *rec, sk_err *err);
/* Checks one value against its column (validate.c). id is the record's
 * own id (0 for a new one), for uniqueness. */
sk_status sk_validate_value(sk_db *db, const sk_table *t, const sk_column *c,
                            const char *value, long long id, sk_err *err);
/* Fills err with the standard message about a field and returns
 * SK_INVALID. value may be NULL. */
/* The same, with says (sk_err) as given: a sentence in labels. */
sk_status sk_invalid_says(sk_err *err, const sk_table *t, const char *field,
                          const char *value, const char *reason, const char *says);
sk_status sk_invalid(sk_err *err, const sk_table *t, const char *field,
                     const char *value, const char *reason);

/* The folder part of path ("." when it has none) into buf (store.c). */
void sk_folder_of(const char *path, char *buf, size_t size);

/* Like sk_prepare, but keeps the statement for the next call with the
 * same SQL. Hand it back with sk_release (never sqlite3_finalize). */
sk_status sk_prepare_cached(sk_db *db, const char *sql, sqlite3_stmt **st, sk_err *err);
/* Resets a statement from sk_prepare_cached for its next use (or
 * finalizes one that could not be kept). */
void sk_release(sk_db *db, sqlite3_stmt *st);

/* Prepares sql on db's connection; on failure fills err. */
sk_status sk_prepare(sk_db *db, const char *sql, sqlite3_stmt **st, sk_err *err);

/* Appends an audit entry (inside the caller's transaction). */
sk_status sk_audit(sk_db *db, const char *action, const char *table,
                   long long row_id, const char *before, const char *after,
                   sk_err *err);

/* Date arithmetic on YYYY-MM-DD strings. */
bool sk_date_valid(const char *s);
/* Days from a to b (b - a); both must be valid dates. */
long sk_days_between(const char *a, const char *b);
/* Writes a + days (or + months) into out[11]. */
void sk_date_add_days(const char *a, long days, char out[11]);
void sk_date_add_months(const char *a, long months, char out[11]);

#endif
