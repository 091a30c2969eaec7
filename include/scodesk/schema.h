/*
 * schema.h: the one description of every table.
 *
 * Each table of the domain is described once, as data: its columns, their
 * types, labels, display widths, enumerations and checks. The database
 * schema (CREATE TABLE with its CHECK constraints), validation, the CSV
 * headers and the screens all read these descriptions; nothing else lists
 * a table's columns.
 */
#ifndef SCODESK_SCHEMA_H
#define SCODESK_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

typedef enum sk_type {
	SK_T_ID,        /* integer primary key */
	SK_T_TEXT,
	SK_T_INT,       /* integer, optionally within min..max */
	SK_T_BOOL,      /* 0 or 1 */
	SK_T_MONEY,     /* whole U.S. dollars, >= 0 */
	SK_T_DATE,      /* YYYY-MM-DD */
	SK_T_TIMESTAMP, /* YYYY-MM-DDTHH:MM:SSZ, UTC */
	SK_T_ENUM,      /* one of enumeration->codes */
	SK_T_REF,       /* id of a row in ref_table */
	SK_T_KEYREF,    /* natural key (ref_column) of a row in ref_table */
	SK_T_LINKS,     /* ';'-separated ids kept in a link table */
	SK_T_DERIVED,   /* computed by expr, never stored */
} sk_type;

enum {
	SK_F_REQUIRED = 1 << 0, /* may not be empty */
	SK_F_UNIQUE = 1 << 1,   /* unique among all rows */
	SK_F_SYSTEM = 1 << 2,   /* kept by core: id, created_at, ... */
	SK_F_NATKEY = 1 << 3,   /* the natural key import matches on */
	SK_F_NAME = 1 << 4,     /* part of the record's display name */
	SK_F_MULTILINE = 1 << 5,/* free text that may hold line breaks */
	SK_F_NOINDEX = 1 << 6,  /* nobody sorts by it: no index (the audit JSON) */
	SK_F_GRADE = 1 << 7,    /* a pay grade: sorts by seniority (sk_grade_rank) */
	SK_F_TODAY = 1 << 8,    /* a new record's form starts it at today's date
	                         * (not an import's default: a file's rows keep theirs) */
	/* derived by a lookup in other tables for each row (an EUM item's last
	 * inventory): shown and reported, but the filter does not look in it,
	 * which would compute it for every row of the table */
	SK_F_LOOKUP = 1 << 9,
};

typedef struct sk_enum_value {
	const char *code;  /* stored, lower case */
	const char *label; /* shown */
} sk_enum_value;

/* A code an enumeration gained after version 1, and the schema version
 * that added it (the table's CHECK widens then: store.c). */
typedef struct sk_enum_added {
	const char *code;
	int since;
} sk_enum_added;

typedef struct sk_enum {
	const char *name;
	const sk_enum_value *values;
	size_t count;
	const sk_enum_added *added; /* ends with a NULL code; NULL when none */
} sk_enum;

/* The schema version that added code to e (1 for the first ones). */
int sk_enum_since(const sk_enum *e, const char *code);

/* Extra check for a text value; returns a reason, or NULL when fine. */
typedef const char *(*sk_text_check)(const char *value);

struct sk_record;

typedef struct sk_column {
	const char *name;  /* column name, also the CSV header */
	const char *label; /* for screens */
	sk_type type;
	unsigned flags;
	int width;         /* preferred display width in cells */
	const sk_enum *enumeration;  /* SK_T_ENUM */
	const char *ref_table;       /* SK_T_REF, SK_T_KEYREF, SK_T_LINKS */
	const char *ref_column;      /* SK_T_KEYREF: the natural key */
	long long min, max;          /* SK_T_INT when min < max */
	sk_text_check check;         /* SK_T_TEXT: pattern check */
	const char *expr;            /* SK_T_DERIVED, SK_T_LINKS: SQL over t */
	const char *link_table;      /* SK_T_LINKS: table(owner, target) */
	const char *link_owner;
	const char *link_target;
	const char *def;             /* default for a new record, or NULL */
	/* Lists sort it by the order of this other column first (a partner's
	 * rank by its U.S. equivalent grade), then by itself. */
	const char *sort_by;
	int since;                   /* schema version that added it (0 = 1) */
	/* SK_T_ENUM: may the record, as it stands, take this code? A form
	 * offers only those; NULL: every code. The rules still decide. */
	bool (*offers)(const struct sk_record *rec, const char *code);
	/* Unique among the rows that share this other column's value (a
	 * serial number within its case): a unique index over (that column,
	 * this one), and validation names this column. NULL: none. */
	const char *unique_within;
} sk_column;

struct sk_db;
struct sk_err;

typedef struct sk_table {
	const char *name;         /* table name, as in domain.md */
	const char *label;        /* one record, for messages: "billet" */
	const char *plural;       /* "billets" */
	const sk_column *columns;
	size_t ncolumns;
	int since;                /* schema version that added it (0 = 1) */
	bool append_only;         /* audit_log: written by core alone */
	/* Checks across fields, run after every column passed (may be NULL).
	 * prev is the stored record on update, NULL on insert. */
	int (*check_row)(struct sk_db *db, const struct sk_record *rec,
	                 const struct sk_record *prev, struct sk_err *err);
	/* Fills computed values before validation (may be NULL). */
	int (*prepare)(struct sk_db *db, struct sk_record *rec,
	               const struct sk_record *prev, struct sk_err *err);
	/* Writes what follows from a change, in its transaction, after the
	 * record is stored and audited (may be NULL): the training a new
	 * person needs. Not run for an import, whose file brings its own. */
	int (*after)(struct sk_db *db, const struct sk_record *rec,
	             const struct sk_record *prev, struct sk_err *err);
} sk_table;

/* All described tables, in dependency order (parents first). */
extern const sk_table *const sk_tables[];
extern const size_t sk_ntables;

/* Shared enumerations other code needs by name. */
extern const sk_enum sk_enum_cert_level;
extern const sk_enum sk_enum_clearance;
extern const sk_enum sk_enum_student_status;
extern const sk_enum sk_enum_case_type;

const sk_table *sk_table_find(const char *name);
/* Index of the named column, or -1. */
int sk_column_index(const sk_table *t, const char *name);
const sk_column *sk_column_find(const sk_table *t, const char *name);
/* Index of code in e, or -1. */
int sk_enum_index(const sk_enum *e, const char *code);
/* Label of a code, or the code itself when unknown. */
const char *sk_enum_label(const sk_enum *e, const char *code);
/* True when the column is stored in the table itself. */
bool sk_column_stored(const sk_column *c);
/* True when the text filter looks into the column (text, enumerations,
 * dates, natural-key references): the columns of the table's full-text
 * index. */
bool sk_column_searchable(const sk_column *c);
/* True when lists may sort by the column: stored, so keyset paging works. */
bool sk_column_sortable(const sk_column *c);
/* True when the column has an index (schema version 3 on): a long list
 * sorts by it with a walk of the index, not a sort of the table. Keys and
 * references, and every sortable column but long free text, the time
 * stamps core keeps, and columns marked SK_F_NOINDEX. */
bool sk_column_indexed(const sk_column *c);
/* True when a long list sorted by the column is a walk of its index: it
 * has one and its order is its stored value's (not a name looked up, a
 * grade's seniority or another column's order). */
bool sk_column_quick_sort(const sk_column *c);

/* A grade's seniority: E-1 .. E-9, W-1 .. W-5, O-1 .. O-10, GS-1 ..
 * GS-15, SES, FSN-1 .. FSN-13, FP-1 .. FP-9, CTR in that order, as a
 * number that grows with it; -1 for what is not a grade. */
int sk_grade_rank(const char *grade);

/* Checks shared by several tables; each returns a reason or NULL. */
const char *sk_check_grade(const char *value);
const char *sk_check_case_id(const char *value);
const char *sk_check_sc_code(const char *value);
const char *sk_check_date(const char *value);
const char *sk_check_timestamp(const char *value);

#endif
