/*
 * report.c: the reports that go up to the combatant command (domain.md,
 * "Reports"), one row per subject, columns named as there.
 *
 * Reports read through core like everything else: the derived columns of
 * billets and programs give the manning and status figures, and the few
 * names a report shows instead of ids (a person, a contact, a program)
 * are looked up in tables held in memory. Codes stay codes, as stored:
 * the receiving staff sort and filter on them.
 */
#include <stdlib.h>
#include <string.h>

#include "scodesk/alerts.h"
#include "io.h"

typedef struct rep {
	sk_db *db;
	sk_csvw *w;
	const sk_csv_opts *opts;
	long rows;
	sk_recs people, contacts, programs;
} rep;

/* One column of a report: its header, where the value comes from (a
 * column of the record listed, or NULL when the report computes it) and
 * whether it is free text (guarded against formulas). */
typedef struct rcol {
	const char *header;
	const char *source;
	bool text;
} rcol;

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

static void begin(rep *r, const rcol *cols, size_t n)
{
	const char *names[32];
	for (size_t i = 0; i < n && i < NCOLS(names); i++)
		names[i] = cols[i].header;
	sk_csv_begin(r->w, r->db, r->opts, names, n);
}

static void cell(rep *r, const char *v, bool text)
{
	if (text)
		sk_csvw_text(r->w, v);
	else
		sk_csvw_field(r->w, v);
}

/* Writes a record's row; computed columns take their value from
 * computed[] in order. */
static int row(rep *r, const sk_record *rec, const rcol *cols, size_t n,
               const char *const *computed)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		cell(r, cols[i].source ? sk_get(rec, cols[i].source) : computed[k++], cols[i].text);
	sk_csvw_end_row(r->w);
	r->rows++;
	return r->w->error ? SK_IO : 0;
}

/* "Last, First" (or just "Last"). */
static void person_name(const sk_record *p, char *buf, size_t size)
{
	const char *last = p ? sk_get(p, "last_name") : NULL;
	const char *first = p ? sk_get(p, "first_name") : NULL;
	if (!last)
		buf[0] = '\0';
	else if (first && *first)
		snprintf(buf, size, "%s, %s", last, first);
	else
		snprintf(buf, size, "%s", last);
}

static const sk_record *by_id(const sk_recs *rs, const char *id)
{
	return id ? sk_recs_find(rs, strtoll(id, NULL, 10)) : NULL;
}

/* NULL and "" sort after every value. */
static int cmp_last(const char *a, const char *b)
{
	bool ea = !a || !*a, eb = !b || !*b;
	if (ea || eb)
		return ea - eb;
	return strcmp(a, b);
}

static int cmp_ids(const sk_record *a, const sk_record *b)
{
	long long x = sk_record_id(a), y = sk_record_id(b);
	return (x > y) - (x < y);
}

/* ---- manning ---------------------------------------------------------- */

static const rcol manning_cols[] = {
	{"billet_number", "billet_number", true}, {"title", "title", true},
	{"authorized_grade", "authorized_grade", true}, {"service", "service", false},
	{"incumbent", "incumbent", true}, {"grade", "grade", true},
	{"arrival_date", "arrival_date", false}, {"deros_date", "deros_date", false},
	{"replacement", "replacement", true}, {"replacement_arrival", "replacement_arrival", false},
	{"gap_days", "gap_days", false}, {"required_cert_level", "required_cert_level", false},
	{"cert_level", "cert_level", false}, {"clearance", "clearance", false},
	{"languages", "languages", true},
};

static int manning_row(void *ctx, const sk_record *rec)
{
	return row(ctx, rec, manning_cols, NCOLS(manning_cols), NULL);
}

static sk_status manning(rep *r, sk_err *err)
{
	begin(r, manning_cols, NCOLS(manning_cols));
	sk_query q = {.which = SK_LIVE, .sort = "billet_number"};
	return sk_list(r->db, sk_table_find("billets"), &q, manning_row, r, err);
}

/* ---- training-status -------------------------------------------------- */

static const rcol training_cols[] = {
	{"person", NULL, true}, {"grade", NULL, true}, {"billet_number", NULL, true},
	{"course_code", "course_code", true}, {"due_date", "due_date", false},
	{"completed_date", "completed_date", false}, {"expires_date", "expires_date", false},
	{"status", "status", false},
};

/* A training record with its person's name, which it is sorted by. */
typedef struct keyed {
	char name[256];
	const sk_record *rec, *person;
} keyed;

static int cmp_training(const void *pa, const void *pb)
{
	const keyed *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	if (!c)
		c = cmp_last(sk_get(a->rec, "course_code"), sk_get(b->rec, "course_code"));
	return c ? c : cmp_ids(a->rec, b->rec);
}

static sk_status training(rep *r, sk_err *err)
{
	sk_recs recs;
	sk_query q = {.which = SK_LIVE};
	sk_status s = sk_recs_load(r->db, sk_table_find("personnel"), NULL, &r->people, err);
	if (s == SK_OK)
		s = sk_recs_load(r->db, sk_table_find("staff_training"), &q, &recs, err);
	if (s != SK_OK)
		return s;
	keyed *rows = calloc(recs.count ? recs.count : 1, sizeof *rows);
	if (!rows) {
		sk_recs_free(&recs);
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	}
	size_t n = 0;
	for (size_t i = 0; i < recs.count; i++) {
		const sk_record *p = by_id(&r->people, sk_get(recs.items[i], "person_id"));
		if (!p || sk_get(p, "deleted_at"))
			continue; /* someone who has left the office */
		rows[n].rec = recs.items[i];
		rows[n].person = p;
		person_name(p, rows[n].name, sizeof rows[n].name);
		n++;
	}
	qsort(rows, n, sizeof *rows, cmp_training);
	begin(r, training_cols, NCOLS(training_cols));
	for (size_t i = 0; i < n && s == SK_OK; i++) {
		const char *computed[] = {rows[i].name, sk_get(rows[i].person, "grade"),
		                          sk_get(rows[i].person, "billet_number")};
		s = (sk_status)row(r, rows[i].rec, training_cols, NCOLS(training_cols), computed);
	}
	free(rows);
	sk_recs_free(&recs);
	return s;
}

/* ---- student-pipeline ------------------------------------------------- */

static const rcol student_cols[] = {
	{"name", NULL, true}, {"rank", "rank", true},
	{"us_equivalent_grade", "us_equivalent_grade", true}, {"program", "program", false},
	{"case_id", "case_id", true}, {"fiscal_year", "fiscal_year", false},
	{"course_id", "course_id", true}, {"school", "school", true},
	{"report_date", "report_date", false}, {"start_date", "start_date", false},
	{"end_date", "end_date", false}, {"ecl_score", "ecl_score", false},
	{"ecl_required", "ecl_required", false}, {"leahy_status", "leahy_status", false},
	{"leahy_date", "leahy_date", false}, {"ito_number", "ito_number", true},
	{"status", "status", false},
};

static int cmp_students(const void *pa, const void *pb)
{
	const sk_record *a = *(sk_record *const *)pa, *b = *(sk_record *const *)pb;
	int c = cmp_last(sk_get(a, "report_date"), sk_get(b, "report_date"));
	if (!c)
		c = cmp_last(sk_get(a, "last_name"), sk_get(b, "last_name"));
	if (!c)
		c = cmp_last(sk_get(a, "first_name"), sk_get(b, "first_name"));
	return c ? c : cmp_ids(a, b);
}

static sk_status students(rep *r, sk_err *err)
{
	sk_recs recs;
	sk_query q = {.which = SK_LIVE};
	sk_status s = sk_recs_load(r->db, sk_table_find("students"), &q, &recs, err);
	if (s != SK_OK)
		return s;
	qsort(recs.items, recs.count, sizeof *recs.items, cmp_students);
	begin(r, student_cols, NCOLS(student_cols));
	for (size_t i = 0; i < recs.count && s == SK_OK; i++) {
		char name[256];
		person_name(recs.items[i], name, sizeof name);
		const char *computed[] = {name};
		s = (sk_status)row(r, recs.items[i], student_cols, NCOLS(student_cols), computed);
	}
	sk_recs_free(&recs);
	return s;
}

/* ---- program-status --------------------------------------------------- */

static const rcol program_cols[] = {
	{"case_id", "case_id", true}, {"authority", "authority", false},
	{"title", "title", true}, {"implementing_agency", "implementing_agency", true},
	{"status", "status", false}, {"fiscal_year", "fiscal_year", false},
	{"value_usd", "value_usd", false}, {"lor_date", "lor_date", false},
	{"aod_date", "aod_date", false}, {"offer_date", "offer_date", false},
	{"oed_date", "oed_date", false}, {"accepted_date", "accepted_date", false},
	{"implemented_date", "implemented_date", false}, {"ssc_date", "ssc_date", false},
	{"closed_date", "closed_date", false}, {"poc", NULL, true},
	{"days_in_status", "days_in_status", false}, {"next_milestone", "next_milestone", true},
};

static int cmp_programs(const void *pa, const void *pb)
{
	const sk_record *a = *(sk_record *const *)pa, *b = *(sk_record *const *)pb;
	int c = cmp_last(sk_get(a, "case_id"), sk_get(b, "case_id"));
	if (!c)
		c = cmp_last(sk_get(a, "title"), sk_get(b, "title"));
	return c ? c : cmp_ids(a, b);
}

static sk_status programs(rep *r, sk_err *err)
{
	sk_recs recs;
	sk_query q = {.which = SK_LIVE};
	sk_status s = sk_recs_load(r->db, sk_table_find("personnel"), NULL, &r->people, err);
	if (s == SK_OK)
		s = sk_recs_load(r->db, sk_table_find("programs"), &q, &recs, err);
	if (s != SK_OK)
		return s;
	qsort(recs.items, recs.count, sizeof *recs.items, cmp_programs);
	begin(r, program_cols, NCOLS(program_cols));
	for (size_t i = 0; i < recs.count && s == SK_OK; i++) {
		char poc[256];
		person_name(by_id(&r->people, sk_get(recs.items[i], "poc_person_id")), poc,
		            sizeof poc);
		const char *computed[] = {poc[0] ? poc : NULL};
		s = (sk_status)row(r, recs.items[i], program_cols, NCOLS(program_cols), computed);
	}
	sk_recs_free(&recs);
	return s;
}

/* ---- engagements ------------------------------------------------------ */

static const rcol engagement_cols[] = {
	{"date", "date", false}, {"type", "type", false}, {"contacts", NULL, true},
	{"organizations", NULL, true}, {"us_participants", "us_participants", true},
	{"program", NULL, true}, {"objectives", "objectives", true},
	{"outcomes", "outcomes", true}, {"followup", "followup", true},
	{"followup_due", "followup_due", false}, {"followup_done", "followup_done", false},
};

/* Appends "; " and s to a growing string; false when out of memory. */
static bool join(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s) + 2;
	if (*len + n + 1 > *cap) {
		size_t c = *cap ? *cap : 256;
		while (c < *len + n + 1)
			c *= 2;
		char *b = realloc(*buf, c);
		if (!b)
			return false;
		*buf = b;
		*cap = c;
	}
	*len += (size_t)sprintf(*buf + *len, "%s%s", *len ? "; " : "", s);
	return true;
}

static bool listed(const char *list, const char *item)
{
	size_t n = strlen(item);
	for (const char *p = list; p && (p = strstr(p, item)); p += n)
		if ((p == list || (p >= list + 2 && p[-2] == ';' && p[-1] == ' ')) &&
		    (p[n] == '\0' || p[n] == ';'))
			return true;
	return false;
}

static int engagement_row(void *ctx, const sk_record *rec)
{
	rep *r = ctx;
	const char *date = sk_get(rec, "date");
	const sk_csv_opts *o = r->opts;
	if (o && o->from && (!date || strcmp(date, o->from) < 0))
		return 0;
	if (o && o->to && (!date || strcmp(date, o->to) > 0))
		return 0;
	char *names = NULL, *orgs = NULL;
	size_t nlen = 0, ncap = 0, olen = 0, ocap = 0;
	bool ok = true;
	for (const char *p = sk_get(rec, "contact_ids"); ok && p && *p; p += strcspn(p, ";"),
	                                                                p += *p == ';') {
		const sk_record *c = sk_recs_find(&r->contacts, strtoll(p, NULL, 10));
		if (!c)
			continue;
		char name[256];
		person_name(c, name, sizeof name);
		ok = join(&names, &nlen, &ncap, name);
		const char *org = sk_get(c, "organization");
		if (ok && org && *org && !listed(orgs, org))
			ok = join(&orgs, &olen, &ocap, org);
	}
	const sk_record *prog = by_id(&r->programs, sk_get(rec, "program_id"));
	const char *case_id = prog ? sk_get(prog, "case_id") : NULL;
	const char *program = prog ? (case_id && *case_id ? case_id : sk_get(prog, "title")) : NULL;
	const char *computed[] = {names, orgs, program};
	int rc = ok ? row(r, rec, engagement_cols, NCOLS(engagement_cols), computed) : SK_NOMEM;
	free(names);
	free(orgs);
	return rc;
}

static sk_status engagements(rep *r, sk_err *err)
{
	sk_status s = sk_recs_load(r->db, sk_table_find("contacts"), NULL, &r->contacts, err);
	if (s == SK_OK)
		s = sk_recs_load(r->db, sk_table_find("programs"), NULL, &r->programs, err);
	if (s != SK_OK)
		return s;
	begin(r, engagement_cols, NCOLS(engagement_cols));
	sk_query q = {.which = SK_LIVE, .sort = "date"};
	s = sk_list(r->db, sk_table_find("engagements"), &q, engagement_row, r, err);
	if (s == SK_NOMEM)
		sk_fail(err, s, NULL, "out of memory");
	return s;
}

/* ---- alerts ----------------------------------------------------------- */

static const rcol alert_cols[] = {
	{"severity", NULL, false}, {"rule", NULL, false}, {"subject", NULL, true},
	{"detail", NULL, true}, {"due_date", NULL, false},
};

static sk_status alerts(rep *r, sk_err *err)
{
	sk_alerts a = {0};
	sk_status s = sk_alerts_compute(r->db, &a, err);
	if (s != SK_OK)
		return s;
	begin(r, alert_cols, NCOLS(alert_cols));
	for (size_t i = 0; i < a.count; i++) {
		const sk_alert *x = &a.items[i];
		cell(r, sk_severity_name(x->severity), false);
		cell(r, x->rule, false);
		cell(r, x->subject, true);
		cell(r, x->detail, true);
		cell(r, x->due_date[0] ? x->due_date : NULL, false);
		sk_csvw_end_row(r->w);
		r->rows++;
	}
	sk_alerts_free(&a);
	return SK_OK;
}

/* ---- the table of reports ----------------------------------------------- */

static const struct {
	const char *name;
	sk_status (*run)(rep *r, sk_err *err);
} reports[] = {
	{"manning", manning}, {"training-status", training},
	{"student-pipeline", students}, {"program-status", programs},
	{"engagements", engagements}, {"alerts", alerts},
};

const char *const sk_csv_reports[] = {
	"manning", "training-status", "student-pipeline", "program-status",
	"engagements", "alerts", NULL,
};

bool sk_csv_report_exists(const char *name)
{
	for (size_t i = 0; name && i < NCOLS(reports); i++)
		if (strcmp(reports[i].name, name) == 0)
			return true;
	return false;
}

static sk_status check_range(const char *name, const sk_csv_opts *o, sk_err *err)
{
	if (!o || (!o->from && !o->to))
		return SK_OK;
	if (strcmp(name, "engagements") != 0)
		return sk_fail(err, SK_INVALID, NULL,
		               "only the engagements report takes a date range (--from, --to)");
	if (o->from && sk_check_date(o->from))
		return sk_fail(err, SK_INVALID, NULL, "--from \"%s\" is not a date (YYYY-MM-DD)",
		               o->from);
	if (o->to && sk_check_date(o->to))
		return sk_fail(err, SK_INVALID, NULL, "--to \"%s\" is not a date (YYYY-MM-DD)", o->to);
	if (o->from && o->to && strcmp(o->from, o->to) > 0)
		return sk_fail(err, SK_INVALID, NULL, "--from %s is after --to %s", o->from, o->to);
	return SK_OK;
}

sk_status sk_csv_report(sk_db *db, const char *name, const char *path, const sk_csv_opts *opts,
                        long *rows, sk_err *err)
{
	if (rows)
		*rows = 0;
	size_t i = 0;
	while (i < NCOLS(reports) && (!name || strcmp(reports[i].name, name) != 0))
		i++;
	if (i == NCOLS(reports))
		return sk_fail(err, SK_INVALID, NULL,
		               "there is no report named \"%s\" (manning, training-status, "
		               "student-pipeline, program-status, engagements, alerts)",
		               name ? name : "");
	sk_status s = check_range(name, opts, err);
	if (s != SK_OK)
		return s;
	sk_csvw w;
	if ((s = sk_csvw_open(&w, path, opts && opts->no_clobber, err)) != SK_OK)
		return s;
	rep r = {.db = db, .w = &w, .opts = opts};
	s = reports[i].run(&r, err);
	sk_recs_free(&r.people);
	sk_recs_free(&r.contacts);
	sk_recs_free(&r.programs);
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
