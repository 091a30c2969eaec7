/*
 * csvio.h: CSV files in and out (RFC 4180, through libcsv).
 *
 * Exports are what the office sends up to its combatant command: a header
 * row of the column names of domain.md (of the labels, for a list as
 * shown), CRLF row endings, UTF-8 with a
 * byte order mark unless told otherwise, the marking alone on the first
 * and last lines, and text that a spreadsheet would run as a formula
 * neutralised. A file is written to a temporary name in the same folder,
 * flushed, then renamed: an interrupted export leaves no half file.
 * Imports are all or nothing, in one transaction.
 *
 * The same functions serve the command line and the interface, so the
 * bytes written for the same table, query and options are the same.
 */
#ifndef SCODESK_CSVIO_H
#define SCODESK_CSVIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "scodesk/err.h"
#include "scodesk/record.h"
#include "scodesk/store.h"

typedef struct sk_csv_opts {
	bool no_bom;          /* leave out the UTF-8 byte order mark */
	const char *marking;  /* NULL: the `marking` setting; "none": no marking lines */
	char delimiter;       /* import: 0 detects ',' or ';' from the header */
	bool dry_run;         /* import: check everything, write nothing (on a private
	                         copy: no lock is held on the database meanwhile) */
	bool overwrite_newer; /* import: a row older than its record (its version) replaces it
	                         anyway, as the next version, audited as such */
	const char *from, *to; /* a range report (engagements): YYYY-MM-DD, or NULL */
	bool no_clobber;      /* export, report: never replace an existing file (the
	                         interface's x); the check and the rename are one step */
} sk_csv_opts;

/*
 * Writes the records of t that q selects to path, or to standard output
 * when path is "-". The columns are every column of t's description
 * except the derived ones, in description order. q NULL: the whole table,
 * deleted records included, by id — the form that imports back unchanged.
 * Otherwise q's filter, sort and `which` as given; its limit and offset
 * are ignored (an export is the whole list, not the page on screen).
 * *rows (when not NULL) gets the number of records written.
 */
sk_status sk_csv_export(sk_db *db, const sk_table *t, const sk_query *q, const char *path,
                        const sk_csv_opts *opts, long *rows, sk_err *err);

/*
 * Writes the list as shown: the records of t that q selects (q NULL: the
 * live ones, by id; limit and offset ignored), one row each, with the
 * ncols columns cols (indexes into t->columns) in that order. The header
 * row is the columns' labels, each value what sk_shown_value gives (a
 * person's name, not their id; a status word; computed columns too), so
 * money is whole dollars, digits only, for a spreadsheet to sum. Marking
 * lines, byte order mark, CRLF, the formula guard on every value but a
 * whole number, the temporary name and opts->no_clobber as for
 * sk_csv_export. The file is for reading and summing, not for importing
 * back. SK_INVALID for no columns or a column t does not have.
 */
sk_status sk_csv_export_view(sk_db *db, const sk_table *t, const sk_query *q, const int *cols,
                             int ncols, const char *path, const sk_csv_opts *opts, long *rows,
                             sk_err *err);

/* Writes report `name` (scodesk/reports.h lists them); SK_INVALID for an
 * unknown name or a bad date range (opts->from, opts->to: a range
 * report's, NULL for its default). *rows as for sk_csv_export. */
sk_status sk_csv_report(sk_db *db, const char *name, const char *path, const sk_csv_opts *opts,
                        long *rows, sk_err *err);

/* A file name to propose for an export or report: NAME-YYYY-MM-DD.csv
 * (today's date as the database sees it). */
void sk_csv_suggest_name(sk_db *db, const char *name, char *buf, size_t size);

/* What an import did (or, with dry_run, would do). */
typedef struct sk_import_result {
	long inserted, updated, rows;
	long unchanged;          /* rows that matched a record already as in the file */
	long overwritten;        /* of the updated: rows older than their record, written
	                            with overwrite_newer */
	long problems;           /* all of them, though only the first 20 are reported */
} sk_import_result;

/*
 * Loads path ("-": standard input) into t in one transaction. Every
 * problem goes to `report` (one line each, FILE:LINE:COLUMN: field "x":
 * value "y": reason, COLUMN counted in characters; the first 20, then a
 * count); with any problem nothing is written and SK_INVALID is
 * returned, with err holding a one-sentence summary. Other failures (the
 * file cannot be read, the database is busy or read-only) return their
 * own status with err saying why. audit_log cannot be imported.
 */
sk_status sk_csv_import(sk_db *db, const sk_table *t, const char *path,
                        const sk_csv_opts *opts, FILE *report, sk_import_result *result,
                        sk_err *err);

/* What loading a check's serial list did (or, with dry_run, would do). */
typedef struct sk_check_load {
	long rows;               /* the file's serials */
	long seen, not_seen;     /* of its lines, those seen and those not seen */
	long other;              /* and those damaged or at the wrong site */
	long missing;            /* watched items the list lacks, recorded not_seen */
	char missing_serials[240]; /* the first of those, ", ..." when there are more */
	long problems;
} sk_check_load;

/*
 * Loads the items EUM check `check` saw from path ("-": standard input):
 * a CSV file with the column serial_number, and result (default seen) and
 * notes if wanted, under an optional marking line, in one transaction.
 * Each serial is resolved among the items of the check's case (of the
 * whole register when the check names none), blanks around it dropped;
 * one that no item has, one listed twice, one the check has already, one
 * of a deleted item, and one that several cases share refuse the file
 * whole, every problem to report as sk_csv_import's are. Each line is
 * written through sk_insert_ex (the table's rules, the audit log). An
 * initial or annual inventory accounts for its site: unless only_listed,
 * every enhanced-monitoring item held (in storage or issued) at the
 * check's site (any, when it names none) and delivered by the check's date
 * (or with no delivery date recorded) that the list lacks and the check
 * has no line for is recorded not_seen. Blanks around a serial and a
 * result are dropped.
 * opts: dry_run and delimiter as for an import.
 */
sk_status sk_csv_load_check(sk_db *db, long long check, const char *path,
                            const sk_csv_opts *opts, bool only_listed, FILE *report,
                            sk_check_load *result, sk_err *err);

/*
 * The guard against formula injection, exactly reversible. A text value
 * that starts with '=', '+', '-', '@', TAB or CR — or with a quote
 * followed by one of those or by another quote — is written with one more
 * quote in front (sk_csv_guarded says whether); the importer takes that
 * quote off again (sk_csv_unguard returns the value without it).
 */
bool sk_csv_guarded(const char *value);
const char *sk_csv_unguard(const char *value);

#endif
