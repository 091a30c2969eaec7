/*
 * check_load.c: the items an end-use check saw, from the list of serial
 * numbers its inspector scanned (see csvio.h, sk_csv_load_check).
 *
 * Every serial is resolved against the register within the check's case,
 * and every line goes in through core's record API as one typed in the
 * form would (its rules, the audit log), in one transaction that is
 * committed only when the whole file is good: an unknown serial, one
 * listed twice or one the check has already refuses the file whole, with
 * each problem at its FILE:LINE:COL.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "io.h"
#include "scodesk/inert.h"
#include "scodesk/scratch.h"

/* The columns a serial list may have, in the order of enum col. */
enum col { C_SERIAL, C_RESULT, C_NOTES, NCOLS };
static const char *const col_names[NCOLS] = {"serial_number", "result", "notes"};
#define COLUMNS "serial_number, then result and notes if wanted"

/* A line the check has already (deleted or not): the unique index over
 * check and item holds a deleted one too. */
typedef struct check_line {
	long long item, id;
	bool deleted;
} check_line;

/* An item of the register the file may name. */
typedef struct item {
	char *serial;
	long long id;
	long long program;
	bool deleted;
	bool watched; /* enhanced monitoring, held, delivered by the check's date */
	bool at_site; /* at the check's site, or the check names none */
	const struct check_line *on_check; /* the check's line for it already, or NULL */
	long listed;                       /* the line of the file naming it, 0 for none */
} item;

/* A row of the file: its values (copies; NULL for none) and where each
 * stands. */
typedef struct entry {
	char *value[NCOLS];
	long line[NCOLS], col[NCOLS];
	long row_line, row_col;
	bool lone;     /* one value alone: perhaps the closing marking */
	size_t fields; /* how many the row has, when not the header's number */
	const item *item;
} entry;

typedef struct loader {
	sk_db *db;
	const char *name; /* the file, as messages name it */
	FILE *report;
	sk_check_load *res;
	sk_err fatal;
	bool failed;
	/* the check */
	long long check, program;
	char site[256], date[16], case_name[200];
	bool inventory;
	/* the file */
	char *marking; /* the file's opening line of one value */
	char db_marking[256];
	bool have_header;
	int *col_of; /* header position -> enum col, or -1 */
	size_t ncols;
	entry *rows;
	size_t nrows, rows_cap;
	/* the register, by serial, and the check's lines' items, by id */
	item *items;
	size_t nitems, items_cap;
	check_line *lines;
	size_t nlines, lines_cap;
} loader;

static void out_of_memory(loader *ld)
{
	if (!ld->failed)
		sk_fail(&ld->fatal, SK_NOMEM, NULL, "out of memory");
	ld->failed = true;
}

/* array (n elements of size bytes, *cap allocated) with room for one
 * more: itself, or grown; NULL (the loader failed, array kept) when out of
 * memory. */
static void *room(loader *ld, void *array, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return array;
	size_t more = *cap ? *cap * 2 : 64;
	void *grown = realloc(array, more * size);
	if (!grown) {
		out_of_memory(ld);
		return NULL;
	}
	*cap = more;
	return grown;
}

static void say(loader *ld, long line, long col, const char *field, const char *value,
                const char *reason)
{
	sk_csv_say(ld->report, ld->name, &ld->res->problems, line, col, field, value,
	           value ? strlen(value) : 0, reason);
}

/* ---- reading the file -------------------------------------------------- */

static int column_of(const sk_csv_field *f)
{
	for (int c = 0; f->data && !f->bad && c < NCOLS; c++)
		if (strcmp(f->data, col_names[c]) == 0)
			return c;
	return -1;
}

static bool marking_line(const loader *ld, const sk_csv_row *row)
{
	return !ld->have_header && row->index == 0 && sk_csv_lone_value(row) &&
	       !strchr(row->fields[0].data, '\t') && column_of(&row->fields[0]) < 0;
}

static long header_fit(void *ctx, const sk_csv_row *row)
{
	const loader *ld = ctx;
	if (marking_line(ld, row))
		return -1;
	long known = 0;
	for (size_t i = 0; i < row->n; i++)
		known += column_of(&row->fields[i]) >= 0;
	return known;
}

static bool header(loader *ld, const sk_csv_row *row)
{
	long before = ld->res->problems;
	ld->ncols = row->n;
	ld->col_of = malloc((row->n ? row->n : 1) * sizeof *ld->col_of);
	if (!ld->col_of) {
		out_of_memory(ld);
		return false;
	}
	bool serial = false, known = false;
	for (size_t i = 0; i < row->n; i++) {
		ld->col_of[i] = column_of(&row->fields[i]);
		known |= ld->col_of[i] >= 0;
	}
	for (size_t i = 0; i < row->n; i++) {
		const sk_csv_field *f = &row->fields[i];
		int c = ld->col_of[i];
		for (size_t j = 0; c >= 0 && j < i; j++) {
			if (ld->col_of[j] == c) {
				say(ld, f->line, f->col, f->data, NULL, "named twice");
				ld->col_of[i] = c = -1;
			}
		}
		if (c < 0 && column_of(f) >= 0)
			continue; /* said: named twice */
		serial |= c == C_SERIAL;
		if (c < 0 && known)
			say(ld, f->line, f->col, f->data && !f->bad ? f->data : NULL, NULL,
			    "not a column of a serial list (its columns: " COLUMNS ")");
	}
	if (!known) {
		/* A scanner's bare list: the first serial where the header
		 * should be. */
		char reason[400];
		snprintf(reason, sizeof reason,
		         "the file needs a header row naming its columns: " COLUMNS
		         "; is the header missing?");
		const sk_csv_field *f = row->n ? &row->fields[0] : NULL;
		const char *first = f && !f->bad ? f->data : NULL;
		long line = row->line, col = row->col;
		/* an opening line that is not the office's marking was the
		 * list's first serial */
		if (ld->marking && strcmp(sk_csv_unguard(ld->marking), ld->db_marking) != 0) {
			first = ld->marking;
			line = col = 1;
		}
		say(ld, line, col, NULL, first, reason);
	} else if (!serial) {
		say(ld, row->line, row->col, "serial_number", NULL,
		    "missing: the header needs this column");
	}
	ld->have_header = true;
	return ld->res->problems == before;
}

static void trim(char *v)
{
	size_t len = strlen(v), lead = strspn(v, " \t");
	while (len > lead && (v[len - 1] == ' ' || v[len - 1] == '\t'))
		len--;
	memmove(v, v + lead, len - lead);
	v[len - lead] = '\0';
}

static char *copy(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int data_row(loader *ld, const sk_csv_row *row)
{
	char reason[160];
	/* a short row of one value may be the closing marking: kept, and
	 * told as short only if it turns out not to be */
	bool lone = sk_csv_lone_value(row);
	if (row->total != ld->ncols && !(lone && row->total < ld->ncols)) {
		snprintf(reason, sizeof reason, "%s: the row has %zu field%s, the header %zu",
		         row->total < ld->ncols ? "missing" : "beyond the header", row->total,
		         row->total == 1 ? "" : "s", ld->ncols);
		say(ld, row->line, row->col, NULL, NULL, reason);
		return 0;
	}
	for (size_t i = 0; i < row->n; i++) {
		const sk_csv_field *f = &row->fields[i];
		if (f->bad) {
			snprintf(reason, sizeof reason, "%s (byte %ld)", f->bad, f->bad_at);
			say(ld, f->line, f->col,
			    ld->col_of[i] >= 0 ? col_names[ld->col_of[i]] : NULL, NULL, reason);
			return 0;
		}
	}
	entry *rows = room(ld, ld->rows, ld->nrows, &ld->rows_cap, sizeof *ld->rows);
	if (!rows)
		return 1;
	ld->rows = rows;
	entry *e = &ld->rows[ld->nrows++];
	*e = (entry){.row_line = row->line,
	             .row_col = row->col,
	             .lone = lone,
	             .fields = row->total != ld->ncols ? row->total : 0};
	for (size_t i = 0; i < row->n; i++) {
		int c = ld->col_of[i];
		if (c < 0)
			continue;
		const char *v = row->fields[i].data;
		if (c != C_SERIAL && v && !*v)
			v = NULL;
		e->line[c] = row->fields[i].line;
		e->col[c] = row->fields[i].col;
		/* text as an export guards it against formulas comes back as it
		 * was (a serial may begin with a dash) */
		if (v && !(e->value[c] = copy(c == C_RESULT ? v : sk_csv_unguard(v)))) {
			out_of_memory(ld);
			return 1;
		}
		/* scanned lists carry blanks around a serial and a typed result;
		 * none is inside either */
		if (c != C_NOTES && e->value[c])
			trim(e->value[c]);
		if (c == C_RESULT && e->value[c] && !*e->value[c]) {
			free(e->value[c]);
			e->value[c] = NULL;
		}
	}
	ld->res->rows++;
	return 0;
}

static int on_row(void *ctx, const sk_csv_row *row)
{
	loader *ld = ctx;
	if (ld->have_header)
		return data_row(ld, row);
	if (marking_line(ld, row)) {
		if (!(ld->marking = strdup(row->fields[0].data))) {
			out_of_memory(ld);
			return 1;
		}
		return 0;
	}
	return header(ld, row) ? 0 : 1;
}

static void on_problem(void *ctx, const sk_csv_problem *p)
{
	loader *ld = ctx;
	const char *field = NULL;
	if (ld->have_header && p->field_index >= 0 && (size_t)p->field_index < ld->ncols &&
	    ld->col_of[p->field_index] >= 0)
		field = col_names[ld->col_of[p->field_index]];
	sk_csv_say(ld->report, ld->name, &ld->res->problems, p->line, p->col, field, p->value,
	           p->value_len, p->reason);
}

/* ---- the register ------------------------------------------------------ */

static int by_item(const void *a, const void *b)
{
	long long x = ((const check_line *)a)->item, y = ((const check_line *)b)->item;
	return (x > y) - (x < y);
}

static int add_line(void *ctx, const sk_record *rec)
{
	loader *ld = ctx;
	check_line *lines = room(ld, ld->lines, ld->nlines, &ld->lines_cap, sizeof *ld->lines);
	if (!lines)
		return 1;
	ld->lines = lines;
	ld->lines[ld->nlines++] = (check_line){.item = strtoll(sk_get(rec, "item_id"), NULL, 10),
	                                       .id = sk_record_id(rec),
	                                       .deleted = sk_get(rec, "deleted_at") != NULL};
	return 0;
}

static bool is(const char *v, const char *want)
{
	return v && strcmp(v, want) == 0;
}

static int add_item(void *ctx, const sk_record *rec)
{
	loader *ld = ctx;
	item *items = room(ld, ld->items, ld->nitems, &ld->items_cap, sizeof *ld->items);
	if (!items)
		return 1;
	ld->items = items;
	const char *status = sk_get(rec, "status"), *site = sk_get(rec, "site");
	const char *delivered = sk_get(rec, "delivered_date");
	long long id = sk_record_id(rec);
	item *it = &ld->items[ld->nitems];
	*it = (item){.serial = strdup(sk_get(rec, "serial_number")),
	             .id = id,
	             .program = strtoll(sk_get(rec, "program_id"), NULL, 10),
	             .deleted = sk_get(rec, "deleted_at") != NULL,
	             .watched = is(sk_get(rec, "eeum"), "1") &&
	                        (is(status, "in_storage") || is(status, "issued")) &&
	                        (!delivered || strcmp(delivered, ld->date) <= 0),
	             .at_site = !ld->site[0] || (site && strcasecmp(site, ld->site) == 0),
	             .on_check = !ld->nlines ? NULL
	                                     : bsearch(&(check_line){.item = id}, ld->lines,
	                                               ld->nlines, sizeof *ld->lines, by_item)};
	if (!it->serial) {
		out_of_memory(ld);
		return 1;
	}
	ld->nitems++;
	return 0;
}

static int by_serial(const void *a, const void *b)
{
	const item *x = a, *y = b;
	int c = strcmp(x->serial, y->serial);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* The first item with this serial (items sorted by serial), or NULL. */
static item *first_with(const loader *ld, const char *serial)
{
	size_t lo = 0, hi = ld->nitems;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ld->items[mid].serial, serial) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ld->nitems && strcmp(ld->items[lo].serial, serial) == 0 ? &ld->items[lo] : NULL;
}

static void case_name(sk_db *db, long long program, char *buf, size_t size)
{
	sk_record *p = NULL;
	snprintf(buf, size, "%lld", program);
	if (sk_get_record(db, sk_table_find("programs"), program, &p, NULL) == SK_OK) {
		const char *name = sk_get(p, "case_id") ? sk_get(p, "case_id") : sk_get(p, "title");
		if (name)
			snprintf(buf, size, "%s", name);
	}
	sk_record_free(p);
}

static bool load_register(loader *ld)
{
	sk_err err;
	sk_query q = {.which = SK_ALL, .nwhere = 1};
	char check[24], program[24];
	snprintf(check, sizeof check, "%lld", ld->check);
	q.where[0].column = "check_id";
	q.where[0].value = check;
	if (sk_list(ld->db, sk_table_find("eum_check_items"), &q, add_line, ld, &err) != SK_OK &&
	    !ld->failed) {
		ld->fatal = err;
		ld->failed = true;
	}
	if (ld->failed)
		return false;
	if (ld->nlines)
		qsort(ld->lines, ld->nlines, sizeof *ld->lines, by_item);
	q = (sk_query){.which = SK_ALL, .nwhere = ld->program ? 1 : 0};
	snprintf(program, sizeof program, "%lld", ld->program);
	q.where[0].column = "program_id";
	q.where[0].value = program;
	if (sk_list(ld->db, sk_table_find("eum_items"), &q, add_item, ld, &err) != SK_OK &&
	    !ld->failed) {
		ld->fatal = err;
		ld->failed = true;
	}
	if (ld->failed)
		return false;
	if (ld->nitems)
		qsort(ld->items, ld->nitems, sizeof *ld->items, by_serial);
	return true;
}

/* ---- resolving the serials ----------------------------------------------- */

static void unknown_serial(loader *ld, const entry *e, const char *serial)
{
	char reason[600];
	int n;
	if (ld->program)
		n = snprintf(reason, sizeof reason, "no item of case %s has this serial number",
		             ld->case_name);
	else
		n = snprintf(reason, sizeof reason,
		             "no item of the register has this serial number");
	/* a scanner's or a typist's case: say which item was meant (looked
	 * for only while the problem is among those shown) */
	for (size_t i = 0; n > 0 && ld->res->problems < SK_CSV_MAX_SHOWN && i < ld->nitems; i++) {
		if (!ld->items[i].deleted && strcasecmp(ld->items[i].serial, serial) == 0) {
			snprintf(reason + n, sizeof reason - (size_t)n, " (the register has %s)",
			         ld->items[i].serial);
			break;
		}
	}
	say(ld, e->line[C_SERIAL], e->col[C_SERIAL], "serial_number", serial, reason);
}

/* Finds the item of each row; the problems said. */
static void resolve(loader *ld)
{
	char reason[600];
	for (size_t r = 0; r < ld->nrows; r++) {
		entry *e = &ld->rows[r];
		char *serial = e->value[C_SERIAL];
		long line = e->line[C_SERIAL], col = e->col[C_SERIAL];
		if (e->fields) {
			snprintf(reason, sizeof reason,
			         "missing: the row has %zu field%s, the header %zu", e->fields,
			         e->fields == 1 ? "" : "s", ld->ncols);
			say(ld, e->row_line, e->row_col, NULL, NULL, reason);
			continue;
		}
		if (!serial || !*serial) {
			say(ld, line, col, "serial_number", NULL, "missing: a serial number");
			continue;
		}
		item *first = first_with(ld, serial), *live = NULL, *other = NULL, *deleted = NULL;
		for (item *it = first;
		     it && it < ld->items + ld->nitems && strcmp(it->serial, serial) == 0; it++) {
			if (it->deleted)
				deleted = it;
			else if (!live)
				live = it;
			else
				other = it;
		}
		if (!live && deleted) {
			snprintf(reason, sizeof reason,
			         "EUM item %lld with this serial number is deleted; "
			         "restore it in the register first",
			         deleted->id);
			say(ld, line, col, "serial_number", serial, reason);
		} else if (!live) {
			unknown_serial(ld, e, serial);
		} else if (other) {
			char a[200], b[200];
			case_name(ld->db, live->program, a, sizeof a);
			case_name(ld->db, other->program, b, sizeof b);
			snprintf(reason, sizeof reason,
			         "items of several cases have this serial number "
			         "(%s, %s): give check %lld its case",
			         a, b, ld->check);
			say(ld, line, col, "serial_number", serial, reason);
		} else if (live->listed) {
			snprintf(reason, sizeof reason, "listed twice: line %ld has it too",
			         live->listed);
			say(ld, line, col, "serial_number", serial, reason);
		} else if (live->on_check && live->on_check->deleted) {
			snprintf(reason, sizeof reason,
			         "check %lld has a deleted line for EUM item %lld (EUM check item "
			         "%lld); "
			         "restore that line and change it instead",
			         ld->check, live->id, live->on_check->id);
			say(ld, line, col, "serial_number", serial, reason);
		} else if (live->on_check) {
			snprintf(reason, sizeof reason,
			         "check %lld has a line for EUM item %lld already; "
			         "change that line instead",
			         ld->check, live->id);
			say(ld, line, col, "serial_number", serial, reason);
		} else {
			live->listed = line;
			e->item = live;
		}
	}
}

/* ---- writing the lines --------------------------------------------------- */

/* One line of the check; a problem of the row is said at the field it
 * names (e: NULL for a line the file does not have). */
static bool write_line(loader *ld, const item *it, const char *result, const char *notes,
                       const entry *e)
{
	const sk_table *t = sk_table_find("eum_check_items");
	sk_record *rec = sk_record_new(t);
	if (!rec) {
		out_of_memory(ld);
		return false;
	}
	sk_err err;
	sk_err_clear(&err);
	sk_status s = sk_set_int(rec, "check_id", ld->check);
	if (s == SK_OK)
		s = sk_set_int(rec, "item_id", it->id);
	if (s == SK_OK && result)
		s = sk_set(rec, "result", result);
	if (s == SK_OK && notes)
		s = sk_set(rec, "notes", notes);
	s = s == SK_OK ? sk_insert_ex(ld->db, rec, SK_W_IMPORT, &err)
	               : sk_fail(&err, SK_NOMEM, NULL, "out of memory");
	sk_record_free(rec);
	if (s == SK_OK)
		return true;
	if (s != SK_INVALID && s != SK_CONFLICT && s != SK_NOTFOUND) {
		ld->fatal = err;
		ld->failed = true;
		return false;
	}
	int c = strcmp(err.field, "result") == 0  ? C_RESULT
	        : strcmp(err.field, "notes") == 0 ? C_NOTES
	                                          : C_SERIAL;
	const char *msg = err.msg;
	size_t tl = strlen(t->name);
	if (strncmp(msg, t->name, tl) == 0 && strncmp(msg + tl, ": ", 2) == 0)
		msg += tl + 2;
	long line = e ? (e->line[c] ? e->line[c] : e->row_line) : 1;
	long col = e ? (e->line[c] ? e->col[c] : e->row_col) : 1;
	say(ld, line, col, NULL, NULL, msg);
	return false;
}

/* The serials recorded not seen, as many as the summary's line holds. */
static void note_missing(loader *ld, const char *serial)
{
	char *buf = ld->res->missing_serials;
	size_t size = sizeof ld->res->missing_serials, len = strlen(buf);
	if (len >= 3 && strcmp(buf + len - 3, "...") == 0)
		return;
	const char *sep = len ? ", " : "";
	/* room is kept for ", ..." */
	if (len + strlen(sep) + strlen(serial) + 6 <= size)
		snprintf(buf + len, size - len, "%s%s", sep, serial);
	else
		snprintf(buf + len, size - len, "%s...", sep);
}

static void write_lines(loader *ld, bool only_listed)
{
	long before = ld->res->problems;
	for (size_t r = 0; r < ld->nrows && !ld->failed; r++) {
		const entry *e = &ld->rows[r];
		if (!e->item || !write_line(ld, e->item, e->value[C_RESULT], e->value[C_NOTES], e))
			continue;
		const char *result = e->value[C_RESULT] ? e->value[C_RESULT] : "seen";
		if (strcmp(result, "seen") == 0)
			ld->res->seen++;
		else if (strcmp(result, "not_seen") == 0)
			ld->res->not_seen++;
		else
			ld->res->other++;
	}
	if (before || ld->res->problems || ld->failed || !ld->inventory || only_listed)
		return;
	/* An inventory accounts for every watched item at its site: one the
	 * list lacks was not seen. */
	char notes[300];
	snprintf(notes, sizeof notes, "not on the list %s", ld->name);
	for (size_t i = 0; i < ld->nitems && !ld->failed; i++) {
		const item *it = &ld->items[i];
		if (it->deleted || !it->watched || !it->at_site || it->listed || it->on_check)
			continue;
		if (!write_line(ld, it, "not_seen", notes, NULL))
			continue;
		ld->res->missing++;
		note_missing(ld, it->serial);
	}
}

/* ---- the load ------------------------------------------------------------ */

static sk_status read_check(sk_db *db, loader *ld, sk_err *err)
{
	const sk_table *t = sk_table_find("eum_checks");
	sk_record *c = NULL;
	sk_status s = sk_get_record(db, t, ld->check, &c, err);
	if (s == SK_NOTFOUND)
		return sk_fail(err, SK_NOTFOUND, NULL, "there is no EUM check %lld", ld->check);
	if (s != SK_OK)
		return s;
	if (sk_get(c, "deleted_at")) {
		sk_record_free(c);
		return sk_fail(err, SK_INVALID, NULL, "EUM check %lld is deleted; restore it first",
		               ld->check);
	}
	const char *program = sk_get(c, "program_id"), *site = sk_get(c, "site");
	const char *kind = sk_get(c, "kind");
	ld->program = program ? strtoll(program, NULL, 10) : 0;
	snprintf(ld->site, sizeof ld->site, "%s", site ? site : "");
	snprintf(ld->date, sizeof ld->date, "%s", sk_get(c, "date") ? sk_get(c, "date") : "");
	ld->inventory = is(kind, "initial_inventory") || is(kind, "annual_inventory");
	sk_record_free(c);
	if (ld->program)
		case_name(db, ld->program, ld->case_name, sizeof ld->case_name);
	return SK_OK;
}

/* The last row, when it is the marking line that closes the file (and
 * names no item: a serial is never taken for it). */
static void drop_closing_marking(loader *ld)
{
	if (!ld->nrows)
		return;
	entry *e = &ld->rows[ld->nrows - 1];
	const char *v = e->value[C_SERIAL];
	if (!e->lone || !v || e->item || first_with(ld, v))
		return;
	/* v was read unguarded, as every serial is */
	if (ld->marking ? strcmp(v, sk_csv_unguard(ld->marking)) != 0
	                : !ld->db_marking[0] || strcmp(v, ld->db_marking) != 0)
		return;
	for (int c = 0; c < NCOLS; c++)
		free(e->value[c]);
	ld->nrows--;
	ld->res->rows--;
}

static void loader_free(loader *ld)
{
	for (size_t r = 0; r < ld->nrows; r++)
		for (int c = 0; c < NCOLS; c++)
			free(ld->rows[r].value[c]);
	for (size_t i = 0; i < ld->nitems; i++)
		free(ld->items[i].serial);
	free(ld->rows);
	free(ld->items);
	free(ld->lines);
	free(ld->col_of);
	free(ld->marking);
}

sk_status sk_csv_load_check(sk_db *db, long long check, const char *path, const sk_csv_opts *opts,
                            bool only_listed, FILE *report, sk_check_load *result, sk_err *err)
{
	sk_check_load local;
	sk_check_load *res = result ? result : &local;
	*res = (sk_check_load){0};
	sk_err_clear(err);
	if (opts && opts->delimiter && opts->delimiter != ',' && opts->delimiter != ';')
		return sk_fail(err, SK_INVALID, NULL, "the delimiter must be ',' or ';'");
	const char *name = strcmp(path, "-") == 0 ? "(standard input)" : path;
	loader ld = {.name = name, .report = report, .res = res, .check = check};
	sk_status s = read_check(db, &ld, err);
	int fd;
	if (s != SK_OK || (s = sk_csv_open_input(path, &fd, err)) != SK_OK)
		return s;
	/* A dry run works on a private copy, thrown away (as an import's). */
	sk_db *scratch = NULL;
	if (opts && opts->dry_run && (s = sk_scratch_copy(db, &scratch, err)) != SK_OK) {
		if (fd != STDIN_FILENO)
			close(fd);
		return s;
	}
	ld.db = scratch ? scratch : db;
	/* the check read again inside the transaction: what the lines are
	 * checked against is what they are written beside */
	if ((s = sk_bulk_begin(ld.db, sk_table_find("eum_check_items"), err)) == SK_OK &&
	    (s = read_check(ld.db, &ld, err)) != SK_OK)
		sk_bulk_rollback(ld.db);
	if (s != SK_OK) {
		if (fd != STDIN_FILENO)
			close(fd);
		sk_close(scratch);
		return s;
	}
	sk_csv_reader r = {.delimiter = opts ? opts->delimiter : 0,
	                   .row = on_row,
	                   .header_fit = header_fit,
	                   .problem = on_problem,
	                   .ctx = &ld};
	char delim;
	sk_csv_marking(ld.db, NULL, ld.db_marking, sizeof ld.db_marking);
	int rc = sk_csv_read(&r, fd, &delim);
	int read_errno = errno;
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc == -2 && !ld.failed) {
		sk_fail(&ld.fatal, SK_IO, NULL, "cannot read %s: %s", name, strerror(read_errno));
		ld.failed = true;
	}
	if (!ld.failed && !ld.have_header && !res->problems)
		say(&ld, 1, 1, NULL, NULL, "the file has no header row (is it empty?)");
	if (!ld.failed && !res->problems && load_register(&ld)) {
		drop_closing_marking(&ld);
		resolve(&ld);
		if (!res->problems && !ld.nrows)
			say(&ld, 1, 1, NULL, NULL, "the file lists no serial number");
		/* the rows that resolved are written even so, for their own
		 * problems to be told in the same run (all is rolled back) */
		write_lines(&ld, only_listed);
	}
	if (ld.failed) {
		s = ld.fatal.status ? ld.fatal.status : SK_DB;
		if (err)
			*err = ld.fatal;
	} else if (res->problems) {
		sk_csv_say_rest(report, name, res->problems);
		s = sk_fail(err, SK_INVALID, NULL, "%s: %ld problem%s; nothing was loaded", name,
		            res->problems, res->problems == 1 ? "" : "s");
	}
	if (s == SK_OK && !(opts && opts->dry_run))
		s = sk_bulk_commit(ld.db, err);
	else
		sk_bulk_rollback(ld.db);
	sk_close(scratch);
	loader_free(&ld);
	return s;
}
