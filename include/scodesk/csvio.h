/*
 * csvio.h: CSV files in and out (RFC 4180, through libcsv).
 *
 * Exports are what the office sends up to its combatant command: a header
 * row of the column names of domain.md, CRLF row endings, UTF-8 with a
 * byte order mark unless told otherwise, the marking alone on the first
 * and last lines, and text that a spreadsheet would run as a formula
 * neutralised. A file is written to a temporary name in the same folder,
 * flushed, then renamed: an interrupted export leaves no half file.
 * Imports are all or nothing, in one transaction.
 */
#ifndef SCODESK_CSVIO_H
#define SCODESK_CSVIO_H

#include <stdbool.h>
#include <stdio.h>

#include "scodesk/err.h"
#include "scodesk/record.h"
#include "scodesk/store.h"

typedef struct sk_csv_opts {
	bool no_bom;          /* leave out the UTF-8 byte order mark */
	const char *marking;  /* NULL: the `marking` setting; "none": no marking lines */
	char delimiter;       /* import: 0 detects ',' or ';' from the header */
	bool dry_run;         /* import: check everything, write nothing */
	const char *from, *to; /* report: date range (YYYY-MM-DD), or NULL */
} sk_csv_opts;

/*
 * Writes the records of t that q selects (all columns of the table
 * description that are stored or linked; derived ones are left out) to
 * path, or to standard output when path is "-". q NULL: the whole table,
 * deleted records included, by id — the form that imports back unchanged.
 */
sk_status sk_csv_export(sk_db *db, const sk_table *t, const sk_query *q, const char *path,
                        const sk_csv_opts *opts, sk_err *err);

/* The upward reports of domain.md by name: manning, training-status,
 * student-pipeline, program-status, engagements, alerts. */
extern const char *const sk_csv_reports[];
sk_status sk_csv_report(sk_db *db, const char *name, const char *path, const sk_csv_opts *opts,
                        sk_err *err);

/* What an import did (or, with dry_run, would do). */
typedef struct sk_import_result {
	long inserted, updated, rows;
	long problems;           /* all of them, though only the first 20 are reported */
} sk_import_result;

/*
 * Loads path into t in one transaction. Every problem goes to `report`
 * (one line each, FILE:LINE:COLUMN: field "x": value "y": reason; the first
 * 20, then a count); with any problem nothing is written and SK_INVALID
 * is returned.
 */
sk_status sk_csv_import(sk_db *db, const sk_table *t, const char *path,
                        const sk_csv_opts *opts, FILE *report, sk_import_result *result,
                        sk_err *err);

#endif
