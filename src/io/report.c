/*
 * report.c: the reports that go up to the combatant command, as CSV
 * files. What each report holds, in what order, is its description
 * (scodesk/reports.h); this file writes the rows core makes of it, with
 * the marking, the byte order mark and the formula guard every exported
 * file has.
 */
#include <stdlib.h>
#include <string.h>

#include "scodesk/reports.h"
#include "io.h"

typedef struct rep {
	const sk_report *report;
	sk_csvw *w;
	long rows;
} rep;

static int write_row(void *ctx, const char *const *values)
{
	rep *r = ctx;
	size_t n = sk_report_width(r->report);
	for (size_t i = 0; i < n; i++) {
		/* everything but a whole number is guarded: a label, a name, a
		 * date never starts with what a spreadsheet runs, free text may */
		if (sk_report_column_at(r->report, i)->flags & SK_RC_NUMBER)
			sk_csvw_field(r->w, values[i]);
		else
			sk_csvw_text(r->w, values[i]);
	}
	sk_csvw_end_row(r->w);
	r->rows++;
	return r->w->error ? SK_IO : 0;
}

sk_status sk_csv_report(sk_db *db, const char *name, const char *path, const sk_csv_opts *opts,
                        long *rows, sk_err *err)
{
	if (rows)
		*rows = 0;
	const sk_report *report = sk_report_find(name);
	if (!report) {
		char names[256];
		sk_report_names(names, sizeof names);
		return sk_fail(err, SK_INVALID, NULL, "there is no report named \"%s\" (%s)",
		               name ? name : "", names);
	}
	const char *from = opts ? opts->from : NULL, *to = opts ? opts->to : NULL;
	char f[11], t[11];
	sk_status s = sk_report_range(db, report, from, to, f, t, err);
	if (s != SK_OK)
		return s;
	size_t n = sk_report_width(report);
	const char **headers = calloc(n, sizeof *headers);
	if (!headers)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		headers[i] = sk_report_column_at(report, i)->header;
	sk_csvw w;
	if ((s = sk_csvw_open(&w, path, opts && opts->no_clobber, err)) != SK_OK) {
		free(headers);
		return s;
	}
	rep r = {.report = report, .w = &w};
	sk_csv_begin(&w, db, opts, headers, n);
	free(headers);
	s = sk_report_run(db, report, from, to, write_row, &r, err);
	if (s != SK_OK && !w.error) {
		sk_csvw_abort(&w);
		return s;
	}
	sk_csv_end(&w, db, opts);
	s = sk_csvw_close(&w, err);
	if (rows && s == SK_OK)
		*rows = r.rows;
	return s;
}
