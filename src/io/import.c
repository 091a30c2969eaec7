/*
 * import.c: loading a CSV file into a table, all or nothing (see csvio.h).
 *
 * Every row goes through core's record API exactly as a change typed in
 * by hand would (validation, the office's rules, the audit log), inside
 * one transaction that is committed only when no row had a problem. A
 * failed row undoes itself (core's savepoints) and the import goes on, so
 * that one run reports every problem of the file, not just the first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"
#include "scodesk/inert.h"
#include "scodesk/scratch.h"

/* How much of a value a message shows. */
#define SHOWN 40

typedef struct importer {
	sk_db *db;
	const sk_table *t;
	const char *name;       /* the file, as messages name it */
	FILE *report;
	sk_import_result *res;
	sk_err fatal;           /* a failure that ends the import (not the file's fault) */
	bool failed;
	char db_marking[256];   /* the marking setting, for the closing line */
	char *marking;          /* the file's opening marking line, if any */
	bool have_header;
	int *col_of;            /* header position -> column of t */
	size_t ncols;
	long id_at, key_at;     /* header positions of id and the natural key, or -1 */
	long version_at;        /* header position of version, or -1 */
	bool overwrite;         /* opts->overwrite_newer */
	/* The records the file's rows changed, with what each was before the
	 * import (kept only when a row can name an existing record: the file
	 * has an id or a natural key column), and the audit log's last entry
	 * before the import, to tell who made a change the file is older
	 * than. */
	sk_touch_map touched;
	int64_t audit_mark;
	/* A last line that may be the closing marking: held back (a copy)
	 * until the next row shows it was not the last. */
	bool held;
	sk_csv_row held_row;
	sk_csv_field *held_fields;
	char *held_value;
} importer;

/* ---- messages ---------------------------------------------------------- */

/* Starts a problem line, or returns NULL when it is past the ones shown. */
static FILE *begin_problem(importer *im, long line, long col)
{
	im->res->problems++;
	if (im->res->problems > SK_CSV_MAX_SHOWN || !im->report)
		return NULL;
	sk_inert_puts(im->report, im->name);
	fprintf(im->report, ":%ld:%ld: ", line, col);
	return im->report;
}

/* FILE:LINE:COL: field "F": value "V": reason (sk_csv_say). */
static void say(importer *im, long line, long col, const char *field, const char *value,
                size_t vlen, const char *reason)
{
	sk_csv_say(im->report, im->name, &im->res->problems, line, col, field, value, vlen, reason);
}

/* The name a header position goes by in messages. */
static const char *header_name(const importer *im, long i, char buf[32])
{
	if (im->have_header && i >= 0 && (size_t)i < im->ncols && im->col_of[i] >= 0)
		return im->t->columns[im->col_of[i]].name;
	snprintf(buf, 32, "#%ld", i + 1);
	return buf;
}

/* A problem core found in a row: its message, minus core's "TABLE: ",
 * at the position of the field it names. */
static void say_core(importer *im, const sk_csv_row *row, const sk_err *err)
{
	long line = row->line, col = row->col;
	bool in_file = false;
	for (size_t i = 0; err->field[0] && i < im->ncols && i < row->n; i++) {
		if (im->col_of[i] >= 0 && strcmp(im->t->columns[im->col_of[i]].name, err->field) == 0) {
			line = row->fields[i].line;
			col = row->fields[i].col;
			in_file = true;
		}
	}
	FILE *f = begin_problem(im, line, col);
	if (!f)
		return;
	const char *msg = err->msg;
	size_t tl = strlen(im->t->name);
	if (strncmp(msg, im->t->name, tl) == 0 && strncmp(msg + tl, ": ", 2) == 0)
		msg += tl + 2;
	sk_inert_puts(f, msg);
	if (err->field[0] && !in_file)
		fprintf(f, " (the file has no \"%s\" column)", err->field);
	fputc('\n', f);
}

/* ---- the header ---------------------------------------------------------- */

static bool is_column_name(const sk_table *t, const sk_csv_field *f)
{
	return f->data && !f->bad && sk_column_find(t, f->data);
}

/* The file's first line, holding one value alone: the marking. (One
 * line only: a second such line is a header to be refused by name.) */
static bool marking_line(const importer *im, const sk_csv_row *row)
{
	return !im->have_header && row->index == 0 && sk_csv_lone_value(row) &&
	       !strchr(row->fields[0].data, '\t') && !is_column_name(im->t, &row->fields[0]);
}

/* For the reader choosing the delimiter: -1 for the marking line, else
 * how many of the row's fields name a column of the table. */
static long header_fit(void *ctx, const sk_csv_row *row)
{
	const importer *im = ctx;
	if (marking_line(im, row))
		return -1;
	long known = 0;
	for (size_t i = 0; i < row->n; i++)
		known += is_column_name(im->t, &row->fields[i]);
	return known;
}

static void column_list(const sk_table *t, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < t->ncolumns && len < size; i++) {
		if (t->columns[i].type == SK_T_DERIVED)
			continue;
		int n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", t->columns[i].name);
		if (n < 0)
			break;
		len += (size_t)n;
	}
}

/* Reads the header; false when it has a problem (the rows cannot be read
 * without it). */
static bool header(importer *im, const sk_csv_row *row)
{
	const sk_table *t = im->t;
	long before = im->res->problems;
	char reason[1024];
	if (row->total > SK_CSV_MAX_FIELDS) {
		say(im, row->line, row->col, NULL, NULL, 0,
		    "the header has more than 1024 columns; is this the right file?");
		return false;
	}
	im->ncols = row->n;
	im->col_of = malloc((row->n ? row->n : 1) * sizeof *im->col_of);
	if (!im->col_of) {
		sk_fail(&im->fatal, SK_NOMEM, NULL, "out of memory");
		im->failed = true;
		return false;
	}
	im->id_at = im->key_at = im->version_at = -1;
	for (size_t i = 0; i < row->n; i++) {
		const sk_csv_field *f = &row->fields[i];
		im->col_of[i] = -1;
		char num[32];
		snprintf(num, sizeof num, "#%zu", i + 1);
		if (f->bad) {
			snprintf(reason, sizeof reason, "a column name %s (byte %ld)", f->bad, f->bad_at);
			say(im, f->line, f->col, num, f->data, f->len, reason);
			continue;
		}
		if (!f->data || !*f->data) {
			say(im, f->line, f->col, num, NULL, 0, "a column without a name");
			continue;
		}
		int c = sk_column_index(t, f->data);
		if (c < 0 && row->total == 1 && strchr(f->data, '\t')) {
			say(im, f->line, f->col, f->data, NULL, 0,
			    "the file looks tab-separated; save it as CSV (comma or semicolon)");
			return false;
		}
		if (c < 0) {
			char cols[900];
			column_list(t, cols, sizeof cols);
			snprintf(reason, sizeof reason, "not a column of %s (its columns: %s)", t->name,
			         cols);
			say(im, f->line, f->col, f->data, NULL, 0, reason);
			continue;
		}
		if (t->columns[c].type == SK_T_DERIVED) {
			say(im, f->line, f->col, f->data, NULL, 0,
			    "computed by scodesk, it cannot be imported; leave the column out");
			continue;
		}
		bool twice = false;
		for (size_t j = 0; j < i; j++) {
			if (im->col_of[j] == c) {
				snprintf(reason, sizeof reason, "named twice (also column %zu)", j + 1);
				say(im, f->line, f->col, f->data, NULL, 0, reason);
				twice = true;
				break;
			}
		}
		if (twice)
			continue;
		im->col_of[i] = c;
		if (t->columns[c].type == SK_T_ID)
			im->id_at = (long)i;
		if (t->columns[c].flags & SK_F_NATKEY)
			im->key_at = (long)i;
		if (strcmp(t->columns[c].name, "version") == 0)
			im->version_at = (long)i;
	}
	/* Without an id or a natural key every row is a new record, and a
	 * required column the file lacks would fail each one of them. */
	if (im->id_at < 0 && im->key_at < 0) {
		for (size_t c = 0; c < t->ncolumns; c++) {
			const sk_column *col = &t->columns[c];
			bool have = false;
			for (size_t i = 0; i < im->ncols; i++)
				have |= im->col_of[i] == (int)c;
			if (!have && (col->flags & SK_F_REQUIRED) && !(col->flags & SK_F_SYSTEM) &&
			    !col->def)
				say(im, row->line, row->col, col->name, NULL, 0,
				    "missing: the header needs this column, which new records require");
		}
	}
	im->have_header = true;
	return im->res->problems == before;
}

/* ---- rows ------------------------------------------------------------- */

/* Parses a record id strictly; 0 when v is not one. */
static long long parse_id(const char *v)
{
	if (!v || !*v || *v == '0' || strlen(v) > 18)
		return 0;
	long long x = 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		x = x * 10 + (*p - '0');
	}
	return x;
}

static int first_id(void *ctx, const sk_record *rec)
{
	*(long long *)ctx = sk_record_id(rec);
	return 1; /* one is enough */
}

/* Ends the import for a reason that is not the file's. */
static int fatal(importer *im, const sk_err *err)
{
	im->fatal = *err;
	im->failed = true;
	return 1;
}

static bool row_problem(sk_status s)
{
	return s == SK_INVALID || s == SK_NOTFOUND || s == SK_CONFLICT;
}

static bool stamp_column(const sk_column *c)
{
	return (c->flags & SK_F_SYSTEM) && c->type != SK_T_ID && strcmp(c->name, "deleted_at") != 0;
}

/* Finds the record a row is about (by id, else by natural key); *rec is
 * NULL when the row is a new record. Returns 0, or 1 to stop. */
static int find(importer *im, const sk_csv_row *row, sk_record **rec, bool *skip)
{
	const sk_table *t = im->t;
	sk_err err;
	*rec = NULL;
	*skip = false;
	const sk_csv_field *idf = im->id_at >= 0 ? &row->fields[im->id_at] : NULL;
	if (idf && idf->data && *idf->data) {
		long long id = parse_id(idf->data);
		if (!id) {
			say(im, idf->line, idf->col, "id", idf->data, idf->len,
			    "not a record id (a whole number above 0)");
			*skip = true;
			return 0;
		}
		sk_status s = sk_get_record(im->db, t, id, rec, &err);
		if (s == SK_NOTFOUND)
			return 0;
		return s == SK_OK ? 0 : fatal(im, &err);
	}
	const sk_csv_field *kf = im->key_at >= 0 ? &row->fields[im->key_at] : NULL;
	if (kf && kf->data && *kf->data) {
		long long id = 0;
		sk_query q = {.which = SK_ALL, .limit = 1, .nwhere = 1};
		q.where[0].column = t->columns[im->col_of[im->key_at]].name;
		q.where[0].value = sk_csv_unguard(kf->data);
		sk_status s = sk_list(im->db, t, &q, first_id, &id, &err);
		if (s != SK_OK && s != 1)
			return fatal(im, &err);
		if (id && (s = sk_get_record(im->db, t, id, rec, &err)) != SK_OK)
			return fatal(im, &err);
	}
	return 0;
}

/* The same values, leaving out updated_at and version (which an update
 * writes only from a row whose version is newer than the stored one). */
static bool same_data(const sk_record *a, const sk_record *b)
{
	for (size_t i = 0; i < a->table->ncolumns; i++) {
		const char *name = a->table->columns[i].name;
		if (strcmp(name, "updated_at") == 0 || strcmp(name, "version") == 0)
			continue;
		const char *x = a->values[i], *y = b->values[i];
		if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
			return false;
	}
	return true;
}

/* A row whose version is older than the stored record's (as it was
 * before the import): the file would undo a change made after it was
 * exported. FILE:LINE:COL of the version, who made the change and when. */
static void say_older(importer *im, const sk_csv_field *vf, const sk_record *stored)
{
	char who[160], when[40];
	long long id = sk_record_id(stored);
	if (!sk_last_change(im->db, im->t, id, im->audit_mark, who, sizeof who, when, sizeof when) &&
	    sk_get(stored, "updated_at"))
		snprintf(when, sizeof when, "%s", sk_get(stored, "updated_at"));
	FILE *f = begin_problem(im, vf->line, vf->col);
	if (!f)
		return;
	fputs("field \"version\": value \"", f);
	sk_inert_write(f, vf->data, vf->len, SHOWN, SK_INERT_QUOTES);
	fprintf(f, "\": %s %lld was changed by ", im->t->label, id);
	sk_inert_write(f, who, strlen(who), 0, 0);
	fputs(" at ", f);
	sk_inert_write(f, when, strlen(when), 0, 0);
	fprintf(f, " (version %lld), after this row was exported: importing it would undo "
	        "that change; export the table again, or import with --overwrite-newer "
	        "to replace it\n", (long long)sk_record_version(stored));
}

/* Notes that the row at `row` changed record id (before: the record as
 * it was before the import, taken over; NULL when the import added it).
 * Returns 0, or 1 to stop (out of memory). */
static int touched(importer *im, const sk_csv_row *row, long long id, sk_record *before)
{
	if (im->id_at < 0 && im->key_at < 0) {
		/* No row of this file can name a record: nothing to chain. */
		sk_record_free(before);
		return 0;
	}
	sk_touched *e = sk_touch_find(&im->touched, id);
	if (e) {
		sk_record_free(before); /* the first row's is the one kept */
	} else if ((e = sk_touch_add(&im->touched, id))) {
		e->before = before;
		e->first_line = row->line;
	} else {
		sk_record_free(before);
		sk_fail(&im->fatal, SK_NOMEM, NULL, "out of memory");
		im->failed = true;
		return 1;
	}
	e->last_line = row->line;
	e->rows++;
	return 0;
}

static int data_row(importer *im, const sk_csv_row *row)
{
	char num[32];
	char reason[160];
	im->res->rows++;
	if (row->total != im->ncols) {
		if (row->total < im->ncols) {
			snprintf(reason, sizeof reason, "missing: the row has %zu field%s, the header %zu",
			         row->total, row->total == 1 ? "" : "s", im->ncols);
			say(im, row->end_line, row->end_col, header_name(im, (long)row->total, num), NULL,
			    0, reason);
		} else {
			snprintf(reason, sizeof reason, "beyond the header: the row has %zu fields, the header %zu",
			         row->total, im->ncols);
			const sk_csv_field *f = im->ncols < row->n ? &row->fields[im->ncols] : NULL;
			say(im, f ? f->line : row->line, f ? f->col : row->col,
			    header_name(im, (long)im->ncols, num), f ? f->data : NULL, f ? f->len : 0,
			    reason);
		}
		return 0;
	}
	bool bad = false;
	for (size_t i = 0; i < row->n; i++) {
		const sk_csv_field *f = &row->fields[i];
		if (!f->bad)
			continue;
		snprintf(reason, sizeof reason, "%s (byte %ld)", f->bad, f->bad_at);
		say(im, f->line, f->col, header_name(im, (long)i, num), f->data, f->len, reason);
		bad = true;
	}
	if (bad)
		return 0;

	sk_record *rec;
	bool skip;
	if (find(im, row, &rec, &skip))
		return 1;
	if (skip)
		return 0;
	bool update = rec != NULL;
	sk_record *stored = update ? sk_record_dup(rec) : NULL;
	if ((update && !stored) || (!rec && !(rec = sk_record_new(im->t)))) {
		sk_record_free(rec);
		sk_fail(&im->fatal, SK_NOMEM, NULL, "out of memory");
		im->failed = true;
		return 1;
	}
	sk_status s = SK_OK;
	for (size_t i = 0; i < row->n && s == SK_OK; i++) {
		const sk_column *c = &im->t->columns[im->col_of[i]];
		const char *v = row->fields[i].data;
		/* An empty id means "match or add"; an empty stamp means "keep
		 * or make one", not "clear". */
		if ((c->type == SK_T_ID || stamp_column(c)) && (!v || !*v))
			continue;
		if (c->type == SK_T_TEXT || c->type == SK_T_KEYREF)
			v = sk_csv_unguard(v);
		/* Only free text tells "" from none (core's rule, made here so
		 * that an unchanged row is seen to be unchanged). */
		if (v && !*v && c->type != SK_T_TEXT)
			v = NULL;
		s = sk_set_at(rec, im->col_of[i], v);
	}
	sk_err err;
	sk_err_clear(&err);
	unsigned flags = SK_W_IMPORT;
	bool older = false;
	if (s == SK_OK && update) {
		/* The version the row was exported at, against the record as it
		 * was before the import (an earlier row of the file for the same
		 * record may have moved it on since). */
		const sk_touched *seen = sk_touch_find(&im->touched, sk_record_id(stored));
		long long now_v = sk_record_version(stored);
		long long base_v = !seen ? now_v : seen->before ? sk_record_version(seen->before) : 0;
		const sk_csv_field *vf = im->version_at >= 0 ? &row->fields[im->version_at] : NULL;
		long long file_v = vf && vf->data ? parse_id(vf->data) : 0;
		older = file_v > 0 && file_v < base_v;
		/* Not older than before the import: a later row of the file for a
		 * record an earlier one changed is a change of that change. */
		if (!older && file_v > 0 && file_v < now_v)
			s = sk_set_int(rec, "version", now_v);
		if (s == SK_OK && same_data(stored, rec) && sk_record_version(rec) <= now_v) {
			/* Already as the file has it: no write, no audit entry. */
			sk_record_free(stored);
			sk_record_free(rec);
			im->res->unchanged++;
			return 0;
		}
		if (s == SK_OK && older && !im->overwrite) {
			say_older(im, vf, seen && seen->before ? seen->before : stored);
			sk_record_free(stored);
			sk_record_free(rec);
			return 0;
		}
		if (older)
			flags |= SK_W_OVERWRITE;
	}
	if (s != SK_OK)
		s = sk_fail(&err, s, NULL, "out of memory");
	else if (update)
		s = sk_update_ex(im->db, rec, flags, &err);
	else
		s = sk_insert_ex(im->db, rec, flags, &err);
	long long id = sk_record_id(rec);
	sk_record_free(rec);
	if (s == SK_OK) {
		if (update)
			im->res->updated++;
		else
			im->res->inserted++;
		if (older)
			im->res->overwritten++;
		return touched(im, row, id, stored);
	}
	sk_record_free(stored);
	if (row_problem(s)) {
		say_core(im, row, &err);
		return 0;
	}
	return fatal(im, &err);
}

/* Is this row the closing marking line (if it turns out to be the last)? */
static bool closing_candidate(const importer *im, const sk_csv_row *row)
{
	if (!sk_csv_lone_value(row))
		return false;
	const char *v = row->fields[0].data;
	if (im->marking)
		return strcmp(v, im->marking) == 0;
	return im->db_marking[0] && strcmp(sk_csv_unguard(v), im->db_marking) == 0;
}

/* Keeps a copy of row (a lone value: the rest of its fields are empty,
 * so only the first needs its bytes copied); false when out of memory. */
static bool hold(importer *im, const sk_csv_row *row)
{
	im->held_fields = malloc(row->n * sizeof *im->held_fields);
	im->held_value = strdup(row->fields[0].data);
	if (!im->held_fields || !im->held_value) {
		free(im->held_fields);
		free(im->held_value);
		im->held_fields = NULL;
		im->held_value = NULL;
		return false;
	}
	for (size_t i = 0; i < row->n; i++) {
		im->held_fields[i] = row->fields[i];
		if (i > 0 && row->fields[i].data)
			im->held_fields[i].data = "";
	}
	im->held_fields[0].data = im->held_value;
	im->held_row = *row;
	im->held_row.fields = im->held_fields;
	im->held = true;
	return true;
}

static void drop_held(importer *im)
{
	im->held = false;
	free(im->held_fields);
	free(im->held_value);
	im->held_fields = NULL;
	im->held_value = NULL;
}

static int release_held(importer *im)
{
	if (!im->held)
		return 0;
	int rc = data_row(im, &im->held_row);
	drop_held(im);
	return rc;
}

static int on_row(void *ctx, const sk_csv_row *row)
{
	importer *im = ctx;
	if (!im->have_header) {
		if (marking_line(im, row)) {
			if (!im->marking && !(im->marking = strdup(row->fields[0].data)))
				return fatal(im, &(sk_err){.status = SK_NOMEM, .msg = "out of memory"});
			return 0;
		}
		return header(im, row) ? 0 : 1;
	}
	if (release_held(im))
		return 1;
	if (closing_candidate(im, row)) {
		if (!hold(im, row))
			return fatal(im, &(sk_err){.status = SK_NOMEM, .msg = "out of memory"});
		return 0;
	}
	return data_row(im, row);
}

static void on_problem(void *ctx, const sk_csv_problem *p)
{
	importer *im = ctx;
	char num[32];
	const char *field = NULL;
	if (p->field_index >= 0)
		field = header_name(im, p->field_index, num);
	say(im, p->line, p->col, field, p->value, p->value_len, p->reason);
}

/* ---- each record as the whole file leaves it --------------------------------- */

static int by_last_line(const void *a, const void *b)
{
	const sk_touched *x = *(const sk_touched *const *)a, *y = *(const sk_touched *const *)b;
	return (x->last_line > y->last_line) - (x->last_line < y->last_line);
}

/*
 * A record that several rows of the file changed is checked again as
 * they leave it, as one change from what it was before the import: rows
 * that each pass against the one before them cannot chain their way past
 * a rule (one approves the vetting and moves the student on, the next
 * takes the approval back). Problems in file order, at the last row.
 */
static void check_final(importer *im)
{
	size_t n = 0;
	for (size_t i = 0; i < im->touched.cap; i++)
		n += im->touched.slots[i].id && im->touched.slots[i].rows > 1;
	if (!n)
		return;
	const sk_touched **list = malloc(n * sizeof *list);
	if (!list) {
		sk_fail(&im->fatal, SK_NOMEM, NULL, "out of memory");
		im->failed = true;
		return;
	}
	n = 0;
	for (size_t i = 0; i < im->touched.cap; i++)
		if (im->touched.slots[i].id && im->touched.slots[i].rows > 1)
			list[n++] = &im->touched.slots[i];
	qsort(list, n, sizeof *list, by_last_line);
	for (size_t k = 0; k < n && !im->failed; k++) {
		const sk_touched *e = list[k];
		sk_record *now = NULL;
		sk_err err;
		sk_status s = sk_get_record(im->db, im->t, e->id, &now, &err);
		if (s == SK_OK)
			s = sk_validate_change(im->db, now, e->before, SK_W_IMPORT, &err);
		sk_record_free(now);
		if (s == SK_OK)
			continue;
		if (!row_problem(s)) {
			fatal(im, &err);
			break;
		}
		FILE *f = begin_problem(im, e->last_line, 1);
		if (!f)
			continue;
		const char *msg = err.msg;
		size_t tl = strlen(im->t->name);
		if (strncmp(msg, im->t->name, tl) == 0 && strncmp(msg + tl, ": ", 2) == 0)
			msg += tl + 2;
		sk_inert_write(f, msg, strlen(msg), 0, 0);
		if (e->rows == 2)
			fprintf(f, " (%s %lld as lines %ld and %ld of the file leave it)\n",
			        im->t->label, e->id, e->first_line, e->last_line);
		else
			fprintf(f, " (%s %lld as the file's %ld rows for it, lines %ld to %ld, "
			        "leave it)\n", im->t->label, e->id, e->rows, e->first_line,
			        e->last_line);
	}
	free(list);
}

/* ---- the import ---------------------------------------------------------- */

sk_status sk_csv_import(sk_db *db, const sk_table *t, const char *path,
                        const sk_csv_opts *opts, FILE *report, sk_import_result *result,
                        sk_err *err)
{
	sk_import_result local;
	sk_import_result *res = result ? result : &local;
	*res = (sk_import_result){0};
	sk_err_clear(err);
	if (t->append_only)
		return sk_fail(err, SK_INVALID, NULL,
		               "%s is written by scodesk itself and cannot be imported", t->name);
	if (opts && opts->delimiter && opts->delimiter != ',' && opts->delimiter != ';')
		return sk_fail(err, SK_INVALID, NULL, "the delimiter must be ',' or ';'");
	int fd;
	sk_status s = sk_csv_open_input(path, &fd, err);
	if (s != SK_OK)
		return s;
	const char *name = strcmp(path, "-") == 0 ? "(standard input)" : path;
	/* A dry run is the same import on a private copy, thrown away: it
	 * holds no lock on the database while it reads and checks the file,
	 * so others' changes go on meanwhile (and a database this user may
	 * only read can be checked against too). Inside a caller's change
	 * there is no copy: the change's savepoint is rolled back instead. */
	sk_db *scratch = NULL;
	if (opts && opts->dry_run && (s = sk_scratch_copy(db, &scratch, err)) != SK_OK) {
		if (fd != STDIN_FILENO)
			close(fd);
		return s;
	}
	sk_db *work = scratch ? scratch : db;
	if ((s = sk_bulk_begin(work, t, err)) != SK_OK) {
		if (fd != STDIN_FILENO)
			close(fd);
		sk_close(scratch);
		return s;
	}
	importer im = {.db = work, .t = t, .name = name, .report = report, .res = res,
	               .overwrite = opts && opts->overwrite_newer,
	               .audit_mark = sk_audit_mark(work)};
	sk_csv_marking(work, NULL, im.db_marking, sizeof im.db_marking);
	sk_csv_reader r = {.delimiter = opts ? opts->delimiter : 0, .row = on_row,
	                   .header_fit = header_fit, .problem = on_problem, .ctx = &im};
	char delim;
	int rc = sk_csv_read(&r, fd, &delim);
	int read_errno = errno;
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == -2 && !im.failed) {
		sk_fail(&im.fatal, SK_IO, NULL, "cannot read %s: %s", name, strerror(read_errno));
		im.failed = true;
	}
	/* A held line that nothing followed was the closing marking. */
	drop_held(&im);
	if (!im.failed && !im.have_header && res->problems == 0)
		say(&im, 1, 1, NULL, NULL, 0, "the file has no header row (is it empty?)");
	if (!im.failed && res->problems == 0)
		check_final(&im);

	if (im.failed) {
		s = im.fatal.status ? im.fatal.status : SK_DB;
		if (err)
			*err = im.fatal;
	} else if (res->problems) {
		sk_csv_say_rest(report, name, res->problems);
		s = sk_fail(err, SK_INVALID, NULL, "%s: %ld problem%s; nothing was imported", name,
		            res->problems, res->problems == 1 ? "" : "s");
	}
	if (s == SK_OK && !(opts && opts->dry_run))
		s = sk_bulk_commit(work, err); /* rolls back itself on failure */
	else
		sk_bulk_rollback(work);
	sk_close(scratch);
	free(im.marking);
	free(im.col_of);
	sk_touch_free(&im.touched);
	return s;
}
