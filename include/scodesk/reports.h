/*
 * reports.h: the reports that go up to the combatant command (domain.md,
 * "Reports"), each described once, as data, the way schema.h describes
 * tables: its name, its title, the table it has a row for, its order,
 * whether it takes a date range, and its columns (CSV header, label, and
 * where the value comes from). The CSV writer, the command line's usage
 * and messages, the interface's :report and help, and the tests all read
 * this one list; nothing else names a report or its columns.
 *
 * Every row begins with the same columns, so that the files of many
 * offices put one under another stay apart: country, office and as_of
 * (the day the report was made), and, in a report with a date range,
 * from and to. Values are what a reader understands: an enumeration's
 * label, yes or no for a flag, a name for a reference. (Whole-table
 * exports keep the codes: they are the round-trip format.)
 */
#ifndef SCODESK_REPORTS_H
#define SCODESK_REPORTS_H

#include <stdbool.h>
#include <stddef.h>

#include "scodesk/err.h"
#include "scodesk/schema.h"
#include "scodesk/store.h"

enum {
	SK_RC_NUMBER = 1 << 0, /* a whole number (gap_days may be -15): written as it is;
	                        * every other value goes through the formula guard */
	SK_RC_YESNO = 1 << 1,  /* a 0/1 flag, written yes or no (a BOOL column of the
	                        * report's table is one without saying so) */
};

typedef struct sk_report_column {
	const char *header; /* the CSV header, as domain.md names it */
	const char *label;  /* what it holds, for people (scodesk report NAME --columns) */
	/* A column of the report's table (stored, or derived: its expression),
	 * or an SQL expression over the table as t. A reference column gives
	 * its id: a report names the record with an expression instead (the
	 * action officer's name, a program's case id). For a report computed
	 * in C (alerts), the name of the field it takes. */
	const char *source;
	/* Labels for its codes; NULL: those of the table's column, if any. */
	const sk_enum *enumeration;
	unsigned flags;
} sk_report_column;

typedef struct sk_report {
	const char *name;   /* on the command line and after :report */
	const char *title;  /* one line for people: the help, the list of reports */
	const char *table;  /* a row per live record of it; NULL: the alerts */
	const char *where;  /* a further condition on t, or NULL */
	const char *order;  /* ORDER BY, over t */
	/* The date column that --from/--to select on (without them, the 12
	 * months up to today); NULL: the report takes no range. */
	const char *range;
	const sk_report_column *columns;
	size_t ncolumns;
} sk_report;

/* Every report, in the order the help and the man page list them. */
extern const sk_report *const sk_reports[];
extern const size_t sk_nreports;

/* The report named so, or NULL. */
const sk_report *sk_report_find(const char *name);
/* The names, ", "-separated, into buf: for messages. */
void sk_report_names(char *buf, size_t size);

/* A report's columns, the ones every row begins with first: how many, and
 * the i-th. */
size_t sk_report_width(const sk_report *r);
const sk_report_column *sk_report_column_at(const sk_report *r, size_t i);

/*
 * The range a report covers: from and to as given (YYYY-MM-DD, or NULL),
 * the missing end filled in (to: today; from: 12 months before to, the
 * day after, so that the range is 12 months to the day). SK_INVALID for
 * a range given to a report without one, a date that is not one, or from
 * after to; err names the report and the value.
 */
sk_status sk_report_range(sk_db *db, const sk_report *r, const char *from, const char *to,
                          char out_from[11], char out_to[11], sk_err *err);

/*
 * Makes the report's rows, in its order: row(ctx, values) for each, with
 * values[i] the value of sk_report_column_at(r, i) as a reader sees it
 * (NULL: none). from and to as for sk_report_range (ignored when the
 * report has no range). A non-zero return from row stops, and is
 * returned as the status.
 */
sk_status sk_report_run(sk_db *db, const sk_report *r, const char *from, const char *to,
                        int (*row)(void *ctx, const char *const *values), void *ctx,
                        sk_err *err);

#endif
