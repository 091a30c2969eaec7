/*
 * list_alerts.c: the list engine's source for the dashboard: the alerts,
 * computed by core, filtered and sorted here in memory. Its rows are not
 * records to edit: Enter goes to the record an alert is about.
 */
#include <stdlib.h>
#include <string.h>

#include "scodesk/alerts.h"
#include "scodesk/csvio.h"
#include "tui.h"

/* The columns: fields of an alert. */
enum { AL_SEVERITY, AL_DUE, AL_RULE, AL_SUBJECT, AL_DETAIL, AL_NFIELDS };
static const struct {
	const char *name, *label;
	int width;
} alert_fields[AL_NFIELDS] = {
	{"severity", "Severity", 7}, {"due_date", "Due", 10}, {"rule", "Rule", 18},
	{"subject", "Subject", 24}, {"detail", "Detail", 30},
};

/* Alerts read per rule when the dashboard opens: a few screens' worth. */
#define ALERTS_HEAD 200

typedef struct alerts_state {
	sk_alerts alerts;
	int *order;  /* filtered, sorted indexes into alerts */
	bool head;   /* only the first of them are read (count: all) */
} alerts_state;

static bool alerts_open(list_view *lv)
{
	lv->state = calloc(1, sizeof(alerts_state));
	return lv->state != NULL;
}

static void alerts_close(list_view *lv)
{
	alerts_state *st = lv->state;
	if (!st)
		return;
	sk_alerts_free(&st->alerts);
	free(st->order);
	free(st);
	lv->state = NULL;
}

static unsigned alerts_allows(const list_view *lv)
{
	(void)lv;
	return LIST_VIEW;
}

/* ---- the columns ---------------------------------------------------------- */

static int alerts_column(const list_view *lv, const char *name)
{
	(void)lv;
	for (int k = 0; k < AL_NFIELDS; k++)
		if (strcmp(alert_fields[k].name, name) == 0)
			return k;
	return -1;
}

static const char *alerts_col_name(const list_view *lv, int col)
{
	(void)lv;
	return alert_fields[col].name;
}

static const char *alerts_col_label(const list_view *lv, int col)
{
	(void)lv;
	return alert_fields[col].label;
}

static int alerts_col_width(const list_view *lv, int col)
{
	(void)lv;
	return alert_fields[col].width;
}

/* In memory: every sort is quick. */
static bool alerts_col_quick_sort(const list_view *lv, int col)
{
	(void)lv;
	(void)col;
	return true;
}

static const char *alert_field(const sk_alert *a, int field)
{
	switch (field) {
	case AL_SEVERITY: return sk_severity_name(a->severity);
	case AL_DUE: return a->due_date;
	case AL_RULE: return a->rule;
	case AL_SUBJECT: return a->subject;
	default: return a->detail;
	}
}

static char *alerts_cell(const list_view *lv, sk_db *db, const void *item, int col)
{
	(void)lv;
	(void)db;
	return strdup(alert_field(item, col));
}

static row_mood alerts_mood(const list_view *lv, const void *item)
{
	(void)lv;
	const sk_alert *a = item;
	return a->severity == SK_ERROR ? MOOD_BAD : a->severity == SK_WARNING ? MOOD_WARN : MOOD_INFO;
}

/* ---- the rows -------------------------------------------------------------- */

static const list_view *sorting; /* qsort has no context argument */

static int alert_cmp(const void *pa, const void *pb)
{
	const alerts_state *st = sorting->state;
	const sk_alert *a = &st->alerts.items[*(const int *)pa];
	const sk_alert *b = &st->alerts.items[*(const int *)pb];
	int c = 0;
	int field = sorting->cols[sorting->sort];
	if (field == AL_SEVERITY) {
		c = (int)a->severity - (int)b->severity;
	} else {
		const char *x = alert_field(a, field), *y = alert_field(b, field);
		if (!*x != !*y)
			return *x ? -1 : 1; /* an empty value last, both ways */
		c = strcmp(x, y);
	}
	if (!c)
		c = *(const int *)pa - *(const int *)pb; /* the urgency order */
	return sorting->descending ? -c : c;
}

/*
 * The alerts, and their number in *count. In its own order and
 * unfiltered, only the head of the list is read (sk_alerts_head: every
 * rule's count and first rows), so that it opens at once on tens of
 * thousands of alerts; the rest is read when the cursor goes past the
 * head or a search needs it (`whole`), and sorted or filtered it is read
 * whole (a new sort counts again: count_sorts).
 */
static sk_status read_alerts(list_view *lv, sk_db *db, bool whole, int64_t *count, sk_err *err)
{
	alerts_state *st = lv->state;
	sk_status s;
	int64_t total = 0;
	bool head = !whole && !lv->filter[0] && lv->sort < 0;
	if (head)
		s = sk_alerts_head(db, ALERTS_HEAD, &st->alerts, &total, err);
	else
		s = sk_alerts_compute(db, &st->alerts, err);
	if (s != SK_OK)
		return s;
	free(st->order);
	st->order = malloc((st->alerts.count + 1) * sizeof *st->order);
	if (!st->order)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	int n = 0;
	for (size_t i = 0; i < st->alerts.count; i++) {
		const sk_alert *a = &st->alerts.items[i];
		const char *cells[AL_NFIELDS];
		for (int f = 0; f < AL_NFIELDS; f++)
			cells[f] = alert_field(a, f);
		if (list_has_words(cells, AL_NFIELDS, lv->filter))
			st->order[n++] = (int)i;
	}
	if (lv->sort >= 0) {
		sorting = lv;
		qsort(st->order, (size_t)n, sizeof *st->order, alert_cmp);
	}
	st->head = head && total > n;
	*count = st->head ? total : n;
	return SK_OK;
}

static sk_status alerts_count(list_view *lv, sk_db *db, int64_t *count, sk_err *err)
{
	return read_alerts(lv, db, false, count, err);
}

/* Every alert, when only the head was read: before going past it. */
static sk_status alerts_whole(list_view *lv, sk_db *db, sk_err *err)
{
	alerts_state *st = lv->state;
	if (!st->head)
		return SK_OK;
	sk_status s = read_alerts(lv, db, true, &lv->count, err);
	/* the rows on screen point into the alerts just read again */
	lv->rows_stale = true;
	if (s == SK_OK && lv->cursor >= lv->count)
		list_move(lv, 0, 1);
	return s;
}

static sk_status alerts_fetch(list_view *lv, sk_db *db, int height, row_set *out, sk_err *err)
{
	alerts_state *st = lv->state;
	/* the head holds the list's first ALERTS_HEAD alerts; past them its
	 * items are no longer in the list's order */
	if (st->head && lv->top + list_want(lv, height) > ALERTS_HEAD) {
		sk_status s = alerts_whole(lv, db, err);
		if (s != SK_OK)
			return s;
	}
	int64_t want = list_want(lv, height);
	for (int64_t i = lv->top; i < lv->top + want; i++) {
		const sk_alert *a = &st->alerts.items[st->order[i]];
		list_row *r = list_add_row(lv, db, out, a);
		if (!r)
			return sk_fail(err, SK_NOMEM, NULL, "out of memory");
		r->id = a->row_id;
		r->table = a->table;
	}
	return SK_OK;
}

static bool alerts_search(list_view *lv, sk_db *db, const char *text, int dir, bool from_end,
                          list_hit *hit)
{
	if (alerts_whole(lv, db, NULL) != SK_OK)
		return false;
	const alerts_state *st = lv->state;
	int64_t from = from_end ? (dir > 0 ? 0 : lv->count - 1) : lv->cursor + dir;
	for (int64_t i = from; i >= 0 && i < lv->count; i += dir) {
		const sk_alert *a = &st->alerts.items[st->order[i]];
		for (int f = 0; f < AL_NFIELDS; f++)
			if (list_contains(alert_field(a, f), text)) {
				hit->index = i;
				return true;
			}
	}
	return false;
}

/* ---- out: the alerts report --------------------------------------------------- */

static const char *alerts_export_name(const list_view *lv)
{
	(void)lv;
	return "alerts";
}

static sk_status alerts_export(list_view *lv, sk_db *db, const char *path, long *rows, sk_err *err)
{
	(void)lv;
	return sk_csv_report(db, "alerts", path, NULL, rows, err);
}

const list_ops list_alerts_source = {
	.allows = alerts_allows,
	.count_sorts = true,
	.open = alerts_open,
	.close = alerts_close,
	.column = alerts_column,
	.col_name = alerts_col_name,
	.col_label = alerts_col_label,
	.col_width = alerts_col_width,
	.col_quick_sort = alerts_col_quick_sort,
	.cell = alerts_cell,
	.mood = alerts_mood,
	.count = alerts_count,
	.fetch = alerts_fetch,
	.search = alerts_search,
	.export_name = alerts_export_name,
	.export = alerts_export,
};
