/*
 * export.c: a table, or the list a query gives, as a CSV file (see
 * csvio.h). The columns are the table description's stored and linked
 * ones, in its order, so that the file imports back as it was. Or the
 * list as shown: the columns asked for, with their labels and shown
 * values (sk_csv_export_view), for reading and summing, not importing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/shown.h"
#include "io.h"

typedef struct exporter {
	sk_csvw *w;
	const sk_table *t;
	long rows;
} exporter;

static bool exported(const sk_column *c)
{
	return c->type != SK_T_DERIVED;
}

/* Free text and natural keys are text a person typed: guarded. Numbers,
 * dates, codes and ids never start a formula and are left alone. */
static bool guarded_type(const sk_column *c)
{
	return c->type == SK_T_TEXT || c->type == SK_T_KEYREF;
}

static int put_row(void *ctx, const sk_record *rec)
{
	exporter *x = ctx;
	for (size_t i = 0; i < x->t->ncolumns; i++) {
		const sk_column *c = &x->t->columns[i];
		if (!exported(c))
			continue;
		if (guarded_type(c))
			sk_csvw_text(x->w, rec->values[i]);
		else
			sk_csvw_field(x->w, rec->values[i]);
	}
	sk_csvw_end_row(x->w);
	x->rows++;
	/* A full disk: stop reading the database, close says why. */
	return x->w->error ? SK_IO : 0;
}

sk_status sk_csv_export(sk_db *db, const sk_table *t, const sk_query *q, const char *path,
                        const sk_csv_opts *opts, long *rows, sk_err *err)
{
	const char *names[64];
	size_t n = 0;
	for (size_t i = 0; i < t->ncolumns && n < sizeof names / sizeof names[0]; i++)
		if (exported(&t->columns[i]))
			names[n++] = t->columns[i].name;
	sk_query whole = {.which = SK_ALL};
	sk_query listed;
	if (q) {
		listed = *q;
		listed.limit = listed.offset = 0;
	}
	sk_csvw w;
	sk_status s = sk_csvw_open(&w, path, opts && opts->no_clobber, err);
	if (s != SK_OK)
		return s;
	exporter x = {.w = &w, .t = t};
	sk_csv_begin(&w, db, opts, names, n);
	s = sk_list(db, t, q ? &listed : &whole, put_row, &x, err);
	if (s != SK_OK && !w.error) {
		sk_csvw_abort(&w);
		return s;
	}
	sk_csv_end(&w, db, opts);
	s = sk_csvw_close(&w, err);
	if (rows)
		*rows = s == SK_OK ? x.rows : 0;
	return s;
}

/* ---- the list as shown ---------------------------------------------------- */

typedef struct view_exporter {
	sk_csvw *w;
	sk_db *db;
	const int *cols;
	int ncols;
	long rows;
	int failed; /* SK_NOMEM, or 0 */
} view_exporter;

/* A whole number, perhaps negative: a spreadsheet reads it as a number
 * whatever the guard would say, so it is left alone for summing. */
static bool plain_number(const char *v)
{
	if (*v == '-')
		v++;
	if (!*v)
		return false;
	for (; *v; v++)
		if (*v < '0' || *v > '9')
			return false;
	return true;
}

static int put_shown_row(void *ctx, const sk_record *rec)
{
	view_exporter *x = ctx;
	for (int i = 0; i < x->ncols; i++) {
		char *v = sk_shown_value(x->db, rec, x->cols[i]);
		if (!v) {
			x->failed = SK_NOMEM;
			return SK_NOMEM;
		}
		/* Every shown value may hold what someone typed (a name, a
		 * label's text, a computed line): guarded, except a number. */
		if (!v[0])
			sk_csvw_field(x->w, NULL);
		else if (plain_number(v))
			sk_csvw_field(x->w, v);
		else
			sk_csvw_text(x->w, v);
		free(v);
	}
	sk_csvw_end_row(x->w);
	x->rows++;
	return x->w->error ? SK_IO : 0;
}

sk_status sk_csv_export_view(sk_db *db, const sk_table *t, const sk_query *q, const int *cols,
                             int ncols, const char *path, const sk_csv_opts *opts, long *rows,
                             sk_err *err)
{
	if (ncols < 1)
		return sk_fail(err, SK_INVALID, "", "no columns to export");
	for (int i = 0; i < ncols; i++)
		if (cols[i] < 0 || (size_t)cols[i] >= t->ncolumns)
			return sk_fail(err, SK_INVALID, "", "no column %d in %s", cols[i], t->name);
	const char **labels = malloc((size_t)ncols * sizeof *labels);
	if (!labels)
		return sk_fail(err, SK_NOMEM, "", "out of memory");
	for (int i = 0; i < ncols; i++)
		labels[i] = t->columns[cols[i]].label;
	sk_query listed = {.which = SK_LIVE};
	if (q)
		listed = *q;
	listed.limit = listed.offset = 0;
	sk_csvw w;
	sk_status s = sk_csvw_open(&w, path, opts && opts->no_clobber, err);
	if (s != SK_OK) {
		free(labels);
		return s;
	}
	view_exporter x = {.w = &w, .db = db, .cols = cols, .ncols = ncols};
	sk_csv_begin(&w, db, opts, labels, (size_t)ncols);
	free(labels);
	s = sk_list(db, t, &listed, put_shown_row, &x, err);
	if (x.failed) {
		sk_csvw_abort(&w);
		return sk_fail(err, SK_NOMEM, "", "out of memory");
	}
	if (s != SK_OK && !w.error) {
		sk_csvw_abort(&w);
		return s;
	}
	sk_csv_end(&w, db, opts);
	s = sk_csvw_close(&w, err);
	if (rows)
		*rows = s == SK_OK ? x.rows : 0;
	return s;
}

void sk_csv_suggest_name(sk_db *db, const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s-%s.csv", name, sk_today(db));
}
