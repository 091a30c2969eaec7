/*
 * reports.c: the description of every report (see reports.h), and the
 * one query that makes any of them.
 *
 * This file is the one place that lists reports and their columns. A
 * report is one SELECT over its table (aliased t), built from the
 * description: a column named after one of the table's takes it as the
 * table reads it (a derived column's expression included) and, unless
 * told otherwise, its labels; anything else is an SQL expression over t.
 * Values are bound, never spliced: the SQL text comes from the constants
 * below alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "scodesk/alerts.h"
#include "scodesk/reports.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- pieces of SQL the descriptions share ------------------------------ */

/* A person or contact as "Last, First" (or "Last"), the way every report
 * names people. */
#define NAME_OF(a) "(" a ".last_name || coalesce(', ' || nullif(" a ".first_name, ''), ''))"
/* A column of the person a record points to. */
#define PERSON(id, e) "(SELECT " e " FROM personnel p WHERE p.id = " id ")"
/* NULL and '' after every value, as a list sorts them. */
#define LAST(e) "coalesce(" e ", '') = '', " e

#define COL(h, l, src) {.header = h, .label = l, .source = src}
#define NUM(h, l, src) {.header = h, .label = l, .source = src, .flags = SK_RC_NUMBER}
#define LABELLED(h, l, src, e) {.header = h, .label = l, .source = src, .enumeration = &e}

/* ---- the columns every row begins with ------------------------------------ */

/* Filled in C (settings, today, the range), not by the query. */
static const sk_report_column lead_columns[] = {
	COL("country", "The partner nation (setting country, else country_code)", NULL),
	COL("office", "The office (setting office_name)", NULL),
	COL("as_of", "The day the report was made", NULL),
	COL("from", "First day of the range", NULL),
	COL("to", "Last day of the range", NULL),
};
enum { LEAD_FIXED = 3, LEAD_RANGE = 5 };

/* ---- the reports ---------------------------------------------------------- */

static const sk_report_column manning_columns[] = {
	COL("billet_number", "Line on the manning document", "billet_number"),
	COL("title", "Position title", "title"),
	COL("authorized_grade", "Grade the billet calls for", "authorized_grade"),
	COL("service", "Service of the billet", "service"),
	COL("incumbent", "The person present, on TDY or on leave", "incumbent"),
	COL("grade", "The incumbent's grade", "grade"),
	COL("arrival_date", "The incumbent's arrival", "arrival_date"),
	COL("deros_date", "The incumbent's DEROS", "deros_date"),
	COL("replacement", "The first inbound person", "replacement"),
	COL("replacement_arrival", "The replacement's arrival", "replacement_arrival"),
	NUM("gap_days", "Days from the DEROS to the replacement's arrival", "gap_days"),
	COL("required_cert_level", "Certification the billet requires", "required_cert_level"),
	LABELLED("cert_level", "The incumbent's certification", "cert_level", sk_enum_cert_level),
	LABELLED("clearance", "The incumbent's clearance", "clearance", sk_enum_clearance),
	COL("languages", "The incumbent's languages, L/R/S", "languages"),
};

static const sk_report_column training_columns[] = {
	COL("person", "Who", PERSON("t.person_id", NAME_OF("p"))),
	COL("grade", "Their grade", PERSON("t.person_id", "p.grade")),
	COL("billet_number", "Their billet", PERSON("t.person_id", "p.billet_number")),
	COL("course_code", "The course", "course_code"),
	COL("due_date", "Due", "due_date"),
	COL("completed_date", "Completed", "completed_date"),
	COL("expires_date", "Expires", "expires_date"),
	COL("status", "done, due, overdue, expired or waived", "status"),
};

static const sk_report_column student_columns[] = {
	COL("name", "The student, as in the passport", NAME_OF("t")),
	COL("rank", "Host-nation rank", "rank"),
	COL("us_equivalent_grade", "U.S. equivalent grade", "us_equivalent_grade"),
	COL("program", "The program that funds it", "program"),
	COL("case_id", "FMS case", "case_id"),
	NUM("fiscal_year", "Fiscal year", "fiscal_year"),
	COL("course_id", "Course (MASL)", "course_id"),
	COL("course_title", "Course title", "course_title"),
	COL("school", "Training location", "school"),
	COL("report_date", "Report date", "report_date"),
	COL("start_date", "Course start", "start_date"),
	COL("end_date", "Course end", "end_date"),
	NUM("ecl_score", "English test score", "ecl_score"),
	NUM("ecl_required", "The course's minimum", "ecl_required"),
	COL("medical_cleared", "Medically cleared", "medical_cleared"),
	COL("leahy_status", "Leahy vetting", "leahy_status"),
	COL("leahy_date", "Leahy vetting result date", "leahy_date"),
	COL("security_vetting", "The DoD's security screening", "security_vetting"),
	COL("security_vetting_date", "Security screening date", "security_vetting_date"),
	COL("ito_number", "Invitational travel order", "ito_number"),
	COL("status", "Where the student is in the pipeline", "status"),
};

static const sk_report_column program_columns[] = {
	COL("case_id", "FMS/BPC case", "case_id"),
	COL("authority", "Authority", "authority"),
	COL("title", "Title", "title"),
	COL("implementing_agency", "Implementing agency letter", "implementing_agency"),
	COL("status", "Status", "status"),
	COL("case_type", "Case type (an LOA case's)", "case_type"),
	NUM("fiscal_year", "Fiscal year", "fiscal_year"),
	NUM("value_usd", "Value, whole U.S. dollars", "value_usd"),
	COL("lor_date", "Letter of request received", "lor_date"),
	COL("aod_date", "Anticipated offer date", "aod_date"),
	COL("offer_date", "Offered", "offer_date"),
	COL("oed_date", "Offer expiration", "oed_date"),
	COL("accepted_date", "Accepted", "accepted_date"),
	COL("implemented_date", "Implemented", "implemented_date"),
	COL("ssc_date", "Supply/services complete", "ssc_date"),
	COL("closed_date", "Closed", "closed_date"),
	COL("poc", "The office's action officer", PERSON("t.poc_person_id", NAME_OF("p"))),
	/* a case whose officer leaves before its next milestone is what a
	 * command asks about */
	COL("action_officer_deros", "The action officer's DEROS",
	    PERSON("t.poc_person_id", "p.deros_date")),
	NUM("days_in_status", "Days in the present status", "days_in_status"),
	COL("next_milestone", "The case's next milestone", "next_milestone"),
};

static const sk_report_column engagement_columns[] = {
	COL("date", "Date", "date"),
	COL("type", "Type", "type"),
	COL("contacts", "The contacts met, \"; \"-separated",
	    "(SELECT group_concat(n, '; ') FROM (SELECT " NAME_OF("c") " AS n"
	    " FROM engagement_contacts ec JOIN contacts c ON c.id = ec.contact_id"
	    " WHERE ec.engagement_id = t.id ORDER BY c.id))"),
	COL("organizations", "Their organizations, each once",
	    "(SELECT group_concat(o, '; ') FROM (SELECT c.organization AS o"
	    " FROM engagement_contacts ec JOIN contacts c ON c.id = ec.contact_id"
	    " WHERE ec.engagement_id = t.id AND c.organization <> ''"
	    " GROUP BY c.organization ORDER BY min(c.id)))"),
	COL("us_participants", "U.S. participants", "us_participants"),
	COL("program", "The program it was about: case id, else title", SK_CASE_OF("t.program_id")),
	COL("objectives", "Objectives", "objectives"),
	COL("outcomes", "Outcomes", "outcomes"),
	COL("followup", "What was promised", "followup"),
	COL("followup_due", "By when", "followup_due"),
	COL("followup_done", "Done", "followup_done"),
};

static const sk_report_column eum_item_columns[] = {
	COL("case_id", "The case that delivered it", SK_CASE_OF("t.program_id")),
	COL("case_line", "The case line", "case_line"),
	COL("category", "Category of article", "category"),
	COL("description", "The article", "description"),
	COL("serial_number", "Serial number", "serial_number"),
	COL("eeum", "Under enhanced end-use monitoring", "eeum"),
	COL("delivered_date", "Delivered", "delivered_date"),
	COL("site", "Where it is kept", "site"),
	COL("unit", "The unit that holds it", "unit"),
	COL("custodian", "The partner's custodian",
	    "(SELECT " NAME_OF("c") " FROM contacts c WHERE c.id = t.custodian_contact_id)"),
	COL("status", "Where it stands", "status"),
	COL("status_date", "In that status since", "status_date"),
	COL("last_inventory", "Its last inventory", "last_inventory"),
	COL("last_result", "What that inventory found", "last_result"),
	COL("next_inventory_due", "Next inventory due (enhanced monitoring, held)",
	    "next_inventory_due"),
	COL("external_ref", "Reference in the DoD's EUM database", "external_ref"),
};

static const sk_report_column eum_check_columns[] = {
	COL("date", "Date", "date"),
	COL("kind", "Kind of check", "kind"),
	COL("case_id", "The case checked", SK_CASE_OF("t.program_id")),
	COL("site", "The site checked", "site"),
	COL("us_participants", "U.S. participants", "us_participants"),
	NUM("items_seen", "Items it saw", "items_seen"),
	NUM("items_not_seen", "Items it did not see", "items_not_seen"),
	COL("not_seen", "The serial numbers it did not see, \"; \"-separated",
	    "(SELECT group_concat(s, '; ') FROM (SELECT i.serial_number AS s"
	    " FROM eum_check_items x JOIN eum_items i ON i.id = x.item_id"
	    " WHERE x.check_id = t.id AND x.deleted_at IS NULL AND x.result = 'not_seen'"
	    " ORDER BY i.serial_number))"),
	COL("findings", "Findings", "findings"),
	COL("report_ref", "The check's report", "report_ref"),
	COL("followup", "What must follow", "followup"),
	COL("followup_due", "By when", "followup_due"),
	COL("followup_done", "Done", "followup_done"),
};

/* Computed by the rules (alerts.c), not by a query: each source names a
 * field of an alert. */
static const sk_report_column alert_columns[] = {
	COL("severity", "error, warning or info", "severity"),
	COL("rule", "The rule's code", "rule"),
	COL("subject", "Who or what it is about", "subject"),
	COL("detail", "What is wrong", "detail"),
	COL("due_date", "When it is due", "due_date"),
};

#define REPORT(var, n, t, cols, ...) \
	static const sk_report var = {.name = n, .title = t, .columns = cols, \
	                              .ncolumns = N(cols), __VA_ARGS__}

REPORT(manning, "manning", "Manning: one row per billet, its incumbent and replacement",
       manning_columns, .table = "billets", .order = "t.billet_number, t.id");
REPORT(training, "training-status", "Training status: one row per person and course",
       training_columns, .table = "staff_training",
       .where = "EXISTS (SELECT 1 FROM personnel p WHERE p.id = t.person_id"
                " AND p.deleted_at IS NULL)",
       .order = PERSON("t.person_id", NAME_OF("p")) ", t.course_code, t.id");
REPORT(students, "student-pipeline", "Student pipeline: one row per student, by report date",
       student_columns, .table = "students",
       .order = LAST("t.report_date") ", t.last_name, t.first_name, t.id");
REPORT(programs, "program-status", "Program status: one row per program and case",
       program_columns, .table = "programs",
       .order = LAST("t.case_id") ", t.title, t.id");
REPORT(engagements, "engagements", "Engagements in a date range (default: the last 12 months)",
       engagement_columns, .table = "engagements", .order = "t.date, t.id", .range = "date");
REPORT(eum_inventory, "eum-inventory",
       "EUM inventory: one row per item of the end-use monitoring register",
       eum_item_columns, .table = "eum_items",
       .order = LAST(SK_CASE_OF("t.program_id")) ", t.serial_number, t.id");
REPORT(eum_checks, "eum-checks", "EUM checks in a date range (default: the last 12 months)",
       eum_check_columns, .table = "eum_checks", .order = "t.date, t.id", .range = "date");
REPORT(alerts, "alerts", "Alerts: one row per alert, most urgent first", alert_columns,
       .table = NULL);

const sk_report *const sk_reports[] = {
	&manning, &training, &students, &programs, &engagements, &eum_inventory, &eum_checks,
	&alerts,
};
const size_t sk_nreports = N(sk_reports);

const sk_report *sk_report_find(const char *name)
{
	for (size_t i = 0; name && i < sk_nreports; i++)
		if (strcmp(sk_reports[i]->name, name) == 0)
			return sk_reports[i];
	return NULL;
}

void sk_report_names(char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sk_nreports && len < size; i++) {
		int n = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", sk_reports[i]->name);
		len += n > 0 ? (size_t)n : 0;
	}
}

static size_t lead_width(const sk_report *r)
{
	return r->range ? LEAD_RANGE : LEAD_FIXED;
}

size_t sk_report_width(const sk_report *r)
{
	return lead_width(r) + r->ncolumns;
}

const sk_report_column *sk_report_column_at(const sk_report *r, size_t i)
{
	size_t lead = lead_width(r);
	if (i < lead)
		return &lead_columns[i];
	return i - lead < r->ncolumns ? &r->columns[i - lead] : NULL;
}

/* ---- the range ------------------------------------------------------------ */

sk_status sk_report_range(sk_db *db, const sk_report *r, const char *from, const char *to,
                          char out_from[11], char out_to[11], sk_err *err)
{
	out_from[0] = out_to[0] = '\0';
	if (!r->range) {
		if (from || to)
			return sk_fail(err, SK_INVALID, NULL,
			               "the %s report takes no date range (from, to)", r->name);
		return SK_OK;
	}
	if (from && !sk_date_valid(from))
		return sk_fail(err, SK_INVALID, NULL, "the %s report: from \"%.40s\" is not a date "
		               "(YYYY-MM-DD)", r->name, from);
	if (to && !sk_date_valid(to))
		return sk_fail(err, SK_INVALID, NULL, "the %s report: to \"%.40s\" is not a date "
		               "(YYYY-MM-DD)", r->name, to);
	snprintf(out_to, 11, "%s", to ? to : sk_today(db));
	if (from) {
		snprintf(out_from, 11, "%s", from);
	} else {
		char back[11];
		sk_date_add_months(out_to, -12, back);
		sk_date_add_days(back, 1, out_from);
	}
	if (strcmp(out_from, out_to) > 0)
		return sk_fail(err, SK_INVALID, NULL, "the %s report: from %s is after to %s%s", r->name,
		               out_from, out_to, to ? "" : " (today)");
	return SK_OK;
}

/* ---- making the rows ------------------------------------------------------ */

/* What the query knows of one column: how its value reads. */
typedef struct shown {
	const sk_enum *enumeration;
	bool yesno;
} shown;

/* Appends the SQL of a column's source, and says how its value reads. */
static void source_sql(sk_buf *b, const sk_table *t, const sk_report_column *c, shown *how)
{
	const sk_column *tc = sk_column_find(t, c->source);
	how->enumeration = c->enumeration ? c->enumeration : tc ? tc->enumeration : NULL;
	how->yesno = (c->flags & SK_RC_YESNO) || (tc && tc->type == SK_T_BOOL);
	if (!tc)
		sk_buf_printf(b, "(%s)", c->source);
	else if (tc->expr)
		sk_buf_printf(b, "(%s)", tc->expr);
	else
		sk_buf_printf(b, "t.\"%s\"", tc->name);
}

/* The value as a reader sees it. */
static const char *reading(const shown *how, const char *v)
{
	if (!v)
		return NULL;
	if (how->yesno)
		return strcmp(v, "0") == 0 ? "no" : "yes";
	return how->enumeration ? sk_enum_label(how->enumeration, v) : v;
}

/* The lead values: country, office, as_of, from, to. */
typedef struct lead {
	char country[128], office[128], as_of[11], from[11], to[11];
} lead;

static void lead_values(sk_db *db, const sk_report *r, lead *l, const char **values)
{
	sk_setting(db, "country", l->country, sizeof l->country);
	if (!l->country[0])
		sk_setting(db, "country_code", l->country, sizeof l->country);
	sk_setting(db, "office_name", l->office, sizeof l->office);
	snprintf(l->as_of, sizeof l->as_of, "%s", sk_today(db));
	values[0] = l->country;
	values[1] = l->office;
	values[2] = l->as_of;
	if (r->range) {
		values[3] = l->from;
		values[4] = l->to;
	}
}

static sk_status table_rows(sk_db *db, const sk_report *r, const lead *l, const char **values,
                            int (*row)(void *, const char *const *), void *ctx, sk_err *err)
{
	const sk_table *t = sk_table_find(r->table);
	if (!t)
		return sk_fail(err, SK_DB, NULL, "the %s report: no table %s", r->name, r->table);
	shown *how = calloc(r->ncolumns, sizeof *how);
	if (!how)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	sk_buf sql = {0};
	sk_buf_add(&sql, "SELECT ");
	for (size_t i = 0; i < r->ncolumns; i++) {
		sk_buf_add(&sql, i ? ", " : "");
		source_sql(&sql, t, &r->columns[i], &how[i]);
	}
	sk_buf_printf(&sql, " FROM \"%s\" AS t WHERE t.deleted_at IS NULL", t->name);
	if (r->where)
		sk_buf_printf(&sql, " AND (%s)", r->where);
	if (r->range)
		sk_buf_printf(&sql, " AND t.\"%s\" BETWEEN ?1 AND ?2", r->range);
	sk_buf_printf(&sql, " ORDER BY %s", r->order);
	sqlite3_stmt *st = NULL;
	sk_status s = sql.failed ? sk_fail(err, SK_NOMEM, NULL, "out of memory")
	                         : sk_prepare(db, sql.data, &st, err);
	sk_buf_free(&sql);
	if (s == SK_OK && r->range) {
		sqlite3_bind_text(st, 1, l->from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, l->to, -1, SQLITE_STATIC);
	}
	const char **cells = values + lead_width(r);
	int rc = SQLITE_DONE;
	while (s == SK_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < r->ncolumns; i++)
			cells[i] = reading(&how[i], (const char *)sqlite3_column_text(st, (int)i));
		int stop = row(ctx, values);
		if (stop)
			s = (sk_status)stop;
	}
	if (s == SK_OK && rc != SQLITE_DONE)
		s = sk_fail_sqlite(db, err, "reading the report");
	sqlite3_finalize(st);
	free(how);
	return s;
}

/* An alert's field by the name a column's source gives. */
static const char *alert_field(const sk_alert *a, const char *name)
{
	if (strcmp(name, "severity") == 0)
		return sk_severity_name(a->severity);
	if (strcmp(name, "rule") == 0)
		return a->rule;
	if (strcmp(name, "subject") == 0)
		return a->subject;
	if (strcmp(name, "detail") == 0)
		return a->detail;
	if (strcmp(name, "due_date") == 0)
		return a->due_date[0] ? a->due_date : NULL;
	return NULL;
}

static sk_status alert_rows(sk_db *db, const sk_report *r, const char **values,
                            int (*row)(void *, const char *const *), void *ctx, sk_err *err)
{
	sk_alerts a = {0};
	sk_status s = sk_alerts_compute(db, &a, err);
	const char **cells = values + lead_width(r);
	for (size_t i = 0; s == SK_OK && i < a.count; i++) {
		for (size_t c = 0; c < r->ncolumns; c++)
			cells[c] = alert_field(&a.items[i], r->columns[c].source);
		int stop = row(ctx, values);
		if (stop)
			s = (sk_status)stop;
	}
	sk_alerts_free(&a);
	return s;
}

sk_status sk_report_run(sk_db *db, const sk_report *r, const char *from, const char *to,
                        int (*row)(void *ctx, const char *const *values), void *ctx,
                        sk_err *err)
{
	lead l;
	sk_status s = sk_report_range(db, r, r->range ? from : NULL, r->range ? to : NULL,
	                              l.from, l.to, err);
	if (s != SK_OK)
		return s;
	const char **values = calloc(sk_report_width(r), sizeof *values);
	if (!values)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	lead_values(db, r, &l, values);
	s = r->table ? table_rows(db, r, &l, values, row, ctx, err)
	             : alert_rows(db, r, values, row, ctx, err);
	free(values);
	return s;
}
