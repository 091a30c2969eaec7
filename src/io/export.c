/*
 * export.c: a table, or the list a query gives, as a CSV file (see
 * csvio.h). The columns are the table description's stored and linked
 * ones, in its order, so that the file imports back as it was.
 */
#include <stdio.h>
#include <string.h>

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

void sk_csv_suggest_name(sk_db *db, const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s-%s.csv", name, sk_today(db));
}
