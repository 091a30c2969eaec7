/*
 * turnover.c: the turnover book's sections as queries (turnover.h).
 *
 * Each section is one query whose rows a function of its own turns into
 * items: the query picks and orders, the function says it in words, with
 * the enumerations' labels (an incoming chief reads "Supply complete", not
 * supply_complete). Where a table's description already computes a value
 * (a billet's incumbent, a training record's status, a program's next
 * milestone) the query uses that expression, so that the book and the
 * lists cannot disagree. Every value is bound; the SQL is built only from
 * the descriptions' own text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/alerts.h"
#include "scodesk/turnover.h"
#include "core.h"

/* The book under construction, for the row functions. */
typedef struct book {
	sk_db *db;
	sk_turnover *t;
	const sk_turn_section *section;
	char horizon[11];      /* today + 12 months: the end of the gaps' window */
	char *training_owner;  /* the training officer, owner of the students */
	bool nomem;
} book;

/* Column i of the current row as text, NULL for SQL NULL. */
static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static bool given(const char *s)
{
	return s && *s;
}

/* The label of a code in table.column's enumeration. */
static const char *label(const char *table, const char *column, const char *code)
{
	const sk_column *c = sk_column_find(sk_table_find(table), column);
	return code && c && c->enumeration ? sk_enum_label(c->enumeration, code) : code;
}

/* The SQL expression a derived column is computed with (over alias t). */
static const char *derived(const char *table, const char *column)
{
	const sk_column *c = sk_column_find(sk_table_find(table), column);
	return c && c->expr ? c->expr : "NULL";
}

static char *dup_or_null(const char *s, bool *nomem)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		*nomem = true;
	return d;
}

/* Adds an item to section s (copying the four parts). */
static void add_to(book *b, const sk_turn_section *s, const char *subject, const char *detail,
                   const char *date, const char *owner)
{
	sk_turnover *t = b->t;
	if (t->count == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 128;
		sk_turn_item *p = realloc(t->items, cap * sizeof *p);
		if (!p) {
			b->nomem = true;
			return;
		}
		t->items = p;
		t->cap = cap;
	}
	sk_turn_item *it = &t->items[t->count++];
	*it = (sk_turn_item){.section = s};
	it->subject = dup_or_null(subject, &b->nomem);
	it->detail = dup_or_null(detail, &b->nomem);
	it->date = dup_or_null(given(date) ? date : NULL, &b->nomem);
	it->owner = dup_or_null(given(owner) ? owner : NULL, &b->nomem);
}

static void add(book *b, const char *subject, const char *detail, const char *date,
                const char *owner)
{
	add_to(b, b->section, subject, detail, date, owner);
}

/* The detail under construction; ends with what the item takes. */
static const char *text_of(sk_buf *d, bool *nomem)
{
	if (d->failed)
		*nomem = true;
	return d->data ? d->data : "";
}

/* ---- manning and its gaps --------------------------------------------- */

static const sk_turn_section *section_named(const char *code);

static void manning_row(book *b, sqlite3_stmt *st)
{
	const char *number = col(st, 0), *title = col(st, 1), *incumbent = col(st, 2);
	const char *grade = col(st, 3), *deros = col(st, 4), *repl = col(st, 5);
	const char *arrives = col(st, 6);
	long long gap = sqlite3_column_int64(st, 7);
	bool dated_gap = sqlite3_column_type(st, 7) != SQLITE_NULL;
	sk_buf subject = {0}, d = {0}, g = {0};
	sk_buf_printf(&subject, "%s %s", number, title ? title : "");
	if (!incumbent)
		sk_buf_add(&d, "Vacant");
	else
		sk_buf_printf(&d, "%s", given(grade) ? grade : "grade not recorded");
	if (repl)
		sk_buf_printf(&d, "; replacement %s arrives %s", repl,
		              given(arrives) ? arrives : "(no date)");
	else
		sk_buf_add(&d, "; no replacement inbound");
	add(b, text_of(&subject, &b->nomem), text_of(&d, &b->nomem), deros, incumbent);

	/* A gap: nobody on board, or the incumbent leaves within the window
	 * with nobody inbound, or with the replacement arriving after. */
	if (!incumbent)
		sk_buf_printf(&g, "vacant; %s", repl ? "" : "no one inbound");
	else if (given(deros) && strcmp(deros, b->horizon) <= 0 && !repl)
		sk_buf_printf(&g, "%s leaves %s; no replacement inbound", incumbent, deros);
	else if (given(deros) && strcmp(deros, b->horizon) <= 0 && dated_gap && gap > 0)
		sk_buf_printf(&g, "%s leaves %s; %s arrives %s: a gap of %lld day%s", incumbent,
		              deros, repl, arrives, gap, gap == 1 ? "" : "s");
	if (!incumbent && repl)
		sk_buf_printf(&g, "%s arrives %s", repl, given(arrives) ? arrives : "(no date)");
	if (g.len)
		add_to(b, section_named("gaps"), subject.data, text_of(&g, &b->nomem),
		       incumbent ? deros : NULL, incumbent);
	sk_buf_free(&subject);
	sk_buf_free(&d);
	sk_buf_free(&g);
}

/* ---- follow-ups ---------------------------------------------------------- */

static void followup_row(book *b, sqlite3_stmt *st)
{
	const char *due = col(st, 4);
	sk_buf d = {0};
	sk_buf_printf(&d, "promised at the %s of %s", label("engagements", "type", col(st, 2)),
	              col(st, 1));
	if (given(col(st, 3)))
		sk_buf_printf(&d, " at %s", col(st, 3));
	if (given(col(st, 6)))
		sk_buf_printf(&d, " to %s", col(st, 6));
	if (!given(due))
		sk_buf_add(&d, "; no due date");
	else if (sqlite3_column_int(st, 7))
		sk_buf_add(&d, "; overdue");
	add(b, col(st, 0), text_of(&d, &b->nomem), due, col(st, 5));
	sk_buf_free(&d);
}

/* ---- key leaders -------------------------------------------------------- */

static void key_leader_row(book *b, sqlite3_stmt *st)
{
	sk_buf subject = {0}, d = {0};
	sk_buf_add(&subject, col(st, 0));
	if (given(col(st, 1)))
		sk_buf_printf(&subject, " (%s)", col(st, 1));
	const char *where[] = {col(st, 2), col(st, 3)};
	for (int i = 0; i < 2; i++)
		if (given(where[i]))
			sk_buf_printf(&d, "%s%s", d.len ? ", " : "", where[i]);
	const char *last = col(st, 4);
	long long n = sqlite3_column_int64(st, 8);
	if (d.len)
		sk_buf_add(&d, "; ");
	if (!last) {
		sk_buf_add(&d, "never engaged");
	} else {
		sk_buf_printf(&d, "last engagement: %s", label("engagements", "type", col(st, 5)));
		if (given(col(st, 6)))
			sk_buf_printf(&d, " at %s", col(st, 6));
		sk_buf_printf(&d, " (%lld engagement%s in all)", n, n == 1 ? "" : "s");
	}
	add(b, text_of(&subject, &b->nomem), text_of(&d, &b->nomem), last, col(st, 7));
	sk_buf_free(&subject);
	sk_buf_free(&d);
}

/* ---- programs ------------------------------------------------------------ */

static void program_row(book *b, sqlite3_stmt *st)
{
	const char *case_id = col(st, 0), *next = col(st, 4), *due = col(st, 5);
	const char *officer = col(st, 6), *deros = col(st, 7);
	sk_buf subject = {0}, d = {0};
	if (given(case_id))
		sk_buf_printf(&subject, "%s ", case_id);
	/* the authority, unless the title says it already ("(EDA)") */
	const char *title = col(st, 1), *authority = label("programs", "authority", col(st, 2));
	sk_buf_add(&subject, title);
	if (!strstr(title, authority))
		sk_buf_printf(&subject, " (%s)", authority);
	sk_buf_printf(&d, "%s; next milestone: %s; officer leaves before it: ",
	              label("programs", "status", col(st, 3)), given(next) ? next : "none");
	if (!officer)
		sk_buf_add(&d, "not known (no action officer)");
	else if (!given(due))
		sk_buf_add(&d, "not known (no milestone date)");
	else if (!given(deros))
		sk_buf_add(&d, "not known (no DEROS)");
	else
		sk_buf_printf(&d, "%s (DEROS %s)", strcmp(deros, due) < 0 ? "yes" : "no", deros);
	add(b, text_of(&subject, &b->nomem), text_of(&d, &b->nomem), due, officer);
	sk_buf_free(&subject);
	sk_buf_free(&d);
}

/* ---- students ------------------------------------------------------------ */

/* "Leahy: Approved 2026-10-01" */
static void gate(sk_buf *d, const char *name, const char *column, const char *code,
                 const char *date)
{
	sk_buf_printf(d, "; %s: %s", name,
	              code ? label("students", column, code) : "not recorded");
	if (given(date))
		sk_buf_printf(d, " %s", date);
}

static void student_row(book *b, sqlite3_stmt *st)
{
	sk_buf subject = {0}, d = {0};
	sk_buf_add(&subject, col(st, 0));
	if (given(col(st, 1)))
		sk_buf_printf(&subject, " (%s)", col(st, 1));
	sk_buf_add(&d, given(col(st, 2)) ? col(st, 2) : "course not recorded");
	if (given(col(st, 3)))
		sk_buf_printf(&d, " (%s)", col(st, 3));
	if (given(col(st, 4)))
		sk_buf_printf(&d, " at %s", col(st, 4));
	sk_buf_printf(&d, "; %s", label("students", "status", col(st, 15)));
	gate(&d, "Leahy", "leahy_status", col(st, 5), col(st, 6));
	gate(&d, "security vetting", "security_vetting", col(st, 7), col(st, 8));
	sk_buf_printf(&d, "; medical: %s",
	              sqlite3_column_int(st, 9) ? "cleared" : "not cleared");
	bool score = sqlite3_column_type(st, 10) != SQLITE_NULL;
	bool needed = sqlite3_column_type(st, 11) != SQLITE_NULL;
	if (!score)
		sk_buf_add(&d, "; ECL: not tested");
	else if (needed)
		sk_buf_printf(&d, "; ECL: %s%d (%d required)",
		              sqlite3_column_int(st, 10) < sqlite3_column_int(st, 11) ? "below, " : "",
		              sqlite3_column_int(st, 10), sqlite3_column_int(st, 11));
	else
		sk_buf_printf(&d, "; ECL: %d", sqlite3_column_int(st, 10));
	if (given(col(st, 12)))
		sk_buf_printf(&d, "; ITO: %s%s%s", col(st, 12), given(col(st, 13)) ? " " : "",
		              given(col(st, 13)) ? col(st, 13) : "");
	else
		sk_buf_add(&d, "; ITO: not issued");
	add(b, text_of(&subject, &b->nomem), text_of(&d, &b->nomem), col(st, 14),
	    b->training_owner);
	sk_buf_free(&subject);
	sk_buf_free(&d);
}

/* ---- staff training -------------------------------------------------------- */

static void training_row(book *b, sqlite3_stmt *st)
{
	add(b, col(st, 0), col(st, 1), col(st, 2), col(st, 3));
}

/* The incumbent of the first training officer billet owns the students. */
static void officer_row(book *b, sqlite3_stmt *st)
{
	if (!b->training_owner)
		b->training_owner = dup_or_null(col(st, 0), &b->nomem);
}

/* ---- end-use checks (issue 15) --------------------------------------------- */

/* The checks whose follow-up is open, in the columns domain.md gives
 * eum_checks; run only once the schema describes that table. */
static void eum_row(book *b, sqlite3_stmt *st)
{
	sk_buf subject = {0}, d = {0};
	sk_buf_printf(&subject, "%s", label("eum_checks", "kind", col(st, 0)));
	if (given(col(st, 6)))
		sk_buf_printf(&subject, " of %s", col(st, 6));
	sk_buf_printf(&subject, ", %s", col(st, 1));
	if (given(col(st, 2)))
		sk_buf_printf(&subject, " at %s", col(st, 2));
	sk_buf_add(&d, given(col(st, 3)) ? col(st, 3) : "follow-up open");
	add(b, text_of(&subject, &b->nomem), text_of(&d, &b->nomem), col(st, 4), col(st, 5));
	sk_buf_free(&subject);
	sk_buf_free(&d);
}

/* The inventories due in the next 12 months or overdue, one row per
 * case and site: its enhanced-monitoring items held, how many are
 * overdue, the earliest due, and the EUM officer (or that the billet is
 * vacant). */
static void inventory_row(book *b, sqlite3_stmt *st)
{
	sk_buf subject = {0}, d = {0};
	sk_buf_printf(&subject, "Inventory of %s", col(st, 0));
	if (given(col(st, 1)))
		sk_buf_printf(&subject, " at %s", col(st, 1));
	long long n = sqlite3_column_int64(st, 2), late = sqlite3_column_int64(st, 3);
	sk_buf_printf(&d, "%lld enhanced-monitoring item%s", n, n == 1 ? "" : "s");
	if (late)
		sk_buf_printf(&d, "; %lld overdue", late);
	add(b, text_of(&subject, &b->nomem), text_of(&d, &b->nomem), col(st, 4), col(st, 5));
	sk_buf_free(&subject);
	sk_buf_free(&d);
}

/* ---- the sections ---------------------------------------------------------- */

#define NAME_OF(a) "(" a ".last_name || coalesce(', ' || nullif(" a ".first_name, ''), ''))"
#define LOA_DUE                                                                  \
	"CASE WHEN t.authority IN " SK_LOA_AUTHORITIES " THEN CASE t.status"         \
	" WHEN 'lor_received' THEN t.aod_date WHEN 'development' THEN t.aod_date"    \
	" WHEN 'offered' THEN t.oed_date END END"

typedef struct section_query {
	const char *code;
	/* the query: %s in it stand for the derived expressions listed */
	const char *sql;
	const char *derived[2][8]; /* table, column pairs, in the order of the %s */
	void (*row)(book *b, sqlite3_stmt *st);
} section_query;

const sk_turn_section sk_turn_sections[] = {
	{"manning", "Manning", {"Billet", "Grade and replacement", "DEROS", "Incumbent"},
	 "No billets.", NULL},
	{"gaps", "Gaps in the next 12 months", {"Billet", "Gap", "Starts", "Leaving"},
	 "No gaps in the next 12 months.", NULL},
	{"followups", "Open follow-ups and promises to the Ministry",
	 {"Follow-up", "Promised", "Due", "Office participants"}, "No open follow-ups.", NULL},
	{"key-leaders", "Key leaders", {"Key leader", "Position and last engagement",
	  "Last engaged", "Seen by"}, "No key leaders.", NULL},
	{"programs", "Programs by next milestone",
	 {"Program", "Status, next milestone, officer", "Milestone date", "Action officer"},
	 "No open programs.", NULL},
	{"students", "Students in the pipeline", {"Student", "Course and gates", "Reports",
	  "Training officer"}, "No students in the pipeline.", NULL},
	{"training", "Staff training due", {"Course", "Status", "Due", "Person"},
	 "No staff training due.", NULL},
	{"eum-checks", "End-use checks due", {"Check", "What", "Due", "Who"},
	 "No end-use checks due.", "eum_checks"},
	{"alerts", "Alerts", {"Subject", "Alert", "Due", "Severity"}, "No alerts.", NULL},
};
const size_t sk_nturn_sections = sizeof sk_turn_sections / sizeof sk_turn_sections[0];

static const section_query training_officer = {
	NULL, "SELECT %s FROM billets t WHERE t.deleted_at IS NULL AND t.role = 'training_officer'"
	" ORDER BY t.billet_number, t.id", {{"billets"}, {"incumbent"}}, officer_row,
};

static const section_query queries[] = {
	{"manning",
	 "SELECT t.billet_number, t.title, %s, %s, %s, %s, %s, %s FROM billets t"
	 " WHERE t.deleted_at IS NULL ORDER BY t.billet_number, t.id",
	 {{"billets", "billets", "billets", "billets", "billets", "billets"},
	  {"incumbent", "grade", "deros_date", "replacement", "replacement_arrival", "gap_days"}},
	 manning_row},
	{"followups",
	 "SELECT e.followup, e.date, e.type, e.location, e.followup_due, e.us_participants,"
	 " (SELECT group_concat(n, '; ') FROM (SELECT " NAME_OF("c") " AS n"
	 "  FROM engagement_contacts ec JOIN contacts c ON c.id = ec.contact_id"
	 "  WHERE ec.engagement_id = e.id AND c.deleted_at IS NULL"
	 "  ORDER BY c.last_name, c.first_name, c.id)),"
	 " e.followup_due < sk_today()"
	 " FROM engagements e WHERE e.deleted_at IS NULL AND e.followup_done = 0"
	 " AND trim(coalesce(e.followup, '')) <> ''"
	 " ORDER BY e.date, e.followup_due IS NULL, e.followup_due, e.id", {{0}}, followup_row},
	{"key-leaders",
	 "SELECT " NAME_OF("c") ", c.rank, c.position, c.organization, l.date, l.type,"
	 " l.location, l.us_participants,"
	 " (SELECT count(*) FROM engagement_contacts ec JOIN engagements e"
	 "  ON e.id = ec.engagement_id WHERE ec.contact_id = c.id AND e.deleted_at IS NULL)"
	 " FROM contacts c LEFT JOIN engagements l ON l.id = (SELECT e.id"
	 "  FROM engagement_contacts ec JOIN engagements e ON e.id = ec.engagement_id"
	 "  WHERE ec.contact_id = c.id AND e.deleted_at IS NULL"
	 "  ORDER BY e.date DESC, e.id DESC LIMIT 1)"
	 " WHERE c.deleted_at IS NULL AND c.key_leader = 1"
	 " ORDER BY l.date IS NOT NULL, l.date, c.last_name, c.first_name, c.id", {{0}},
	 key_leader_row},
	{"programs",
	 "SELECT * FROM (SELECT t.case_id, t.title, t.authority, t.status, %s AS next,"
	 " " LOA_DUE " AS due, CASE WHEN p.id IS NOT NULL THEN " NAME_OF("p") " END,"
	 " p.deros_date, t.id AS id FROM programs t LEFT JOIN personnel p"
	 " ON p.id = t.poc_person_id AND p.deleted_at IS NULL"
	 " WHERE t.deleted_at IS NULL AND t.status NOT IN ('closed', 'cancelled', 'complete'))"
	 " ORDER BY due IS NULL, due, next IS NULL, case_id IS NULL, case_id, title, id",
	 {{"programs"}, {"next_milestone"}}, program_row},
	{"students",
	 "SELECT " NAME_OF("s") ", s.rank, s.course_title, s.course_id, s.school,"
	 " s.leahy_status, s.leahy_date, s.security_vetting, s.security_vetting_date,"
	 " s.medical_cleared, s.ecl_score, s.ecl_required, s.ito_number, s.ito_date,"
	 " s.report_date, s.status FROM students s WHERE s.deleted_at IS NULL"
	 " AND (s." SK_ACTIVE_STUDENT " OR s.status = 'in_training')"
	 " ORDER BY s.report_date IS NULL, s.report_date, s.last_name, s.first_name, s.id",
	 {{0}}, student_row},
	{"training",
	 "SELECT * FROM (SELECT t.course_code || coalesce(' ' || c.title, '') AS course,"
	 " %s AS status, t.due_date AS due, " NAME_OF("p") " AS person, t.id AS id"
	 " FROM staff_training t JOIN personnel p ON p.id = t.person_id"
	 " LEFT JOIN courses c ON c.code = t.course_code AND c.deleted_at IS NULL"
	 " WHERE t.deleted_at IS NULL AND p.deleted_at IS NULL AND p.status <> 'departed')"
	 " WHERE status IN ('due', 'overdue')"
	 " ORDER BY due IS NULL, due, person, course, id",
	 {{"staff_training"}, {"status"}}, training_row},
	{"eum-checks",
	 "SELECT kase, site, count(*), sum(due < sk_today()), min(due),"
	 " (SELECT coalesce(%s, 'EUM billet vacant') FROM billets t WHERE t.deleted_at IS NULL"
	 "  AND t.role = 'eum_officer' ORDER BY t.billet_number, t.id LIMIT 1)"
	 " FROM (SELECT " SK_CASE_OF("t.program_id") " AS kase, t.site AS site, %s AS due"
	 "  FROM eum_items t WHERE t.deleted_at IS NULL"
	 "  AND t.eeum = 1 AND t.status IN ('in_storage', 'issued'))"
	 " WHERE due <= date(sk_today(), '+12 months')"
	 " GROUP BY kase, site ORDER BY min(due), kase, site",
	 {{"billets", "eum_items"}, {"incumbent", "next_inventory_due"}}, inventory_row},
	{"eum-checks",
	 "SELECT c.kind, c.date, c.site, c.followup, c.followup_due, c.us_participants,"
	 " " SK_CASE_OF("c.program_id") " FROM eum_checks c WHERE c.deleted_at IS NULL AND c.followup_done = 0"
	 " AND trim(coalesce(c.followup, '')) <> ''"
	 " ORDER BY c.followup_due IS NULL, c.followup_due, c.date, c.id", {{0}}, eum_row},
};

static const sk_turn_section *section_named(const char *code)
{
	for (size_t i = 0; i < sk_nturn_sections; i++)
		if (strcmp(sk_turn_sections[i].code, code) == 0)
			return &sk_turn_sections[i];
	return NULL;
}

/* The query's SQL with its derived expressions put in. */
static char *query_sql(const section_query *q)
{
	const char *e[8] = {0};
	for (int i = 0; i < 8; i++)
		e[i] = q->derived[0][i] ? derived(q->derived[0][i], q->derived[1][i]) : "NULL";
	sk_buf sql = {0};
	sk_buf_printf(&sql, q->sql, e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
	if (sql.failed) {
		sk_buf_free(&sql);
		return NULL;
	}
	return sql.data;
}

static sk_status run_query(book *b, const section_query *q, sk_err *err)
{
	char *sql = query_sql(q);
	if (!sql)
		return sk_fail(err, SK_NOMEM, NULL, "out of memory");
	sqlite3_stmt *st;
	sk_status s = sk_prepare(b->db, sql, &st, err);
	free(sql);
	if (s != SK_OK)
		return s;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !b->nomem)
		q->row(b, st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		s = sk_fail_sqlite(b->db, err, "making the turnover book");
	sqlite3_finalize(st);
	if (s == SK_OK && b->nomem)
		s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
	return s;
}

static sk_status alerts(book *b, sk_err *err)
{
	sk_alerts a = {0};
	sk_status s = sk_alerts_compute(b->db, &a, err);
	for (size_t i = 0; s == SK_OK && i < a.count && !b->nomem; i++) {
		const sk_alert *x = &a.items[i];
		sk_buf d = {0};
		sk_buf_printf(&d, "%s (%s)", x->detail, x->rule);
		add(b, x->subject, text_of(&d, &b->nomem), x->due_date, sk_severity_name(x->severity));
		sk_buf_free(&d);
	}
	sk_alerts_free(&a);
	if (s == SK_OK && b->nomem)
		s = sk_fail(err, SK_NOMEM, NULL, "out of memory");
	return s;
}

static void head(sk_db *db, sk_turnover *t)
{
	char country[200], code[16];
	sk_setting(db, "office_name", t->office, sizeof t->office);
	sk_setting(db, "country", country, sizeof country);
	sk_setting(db, "country_code", code, sizeof code);
	if (country[0] && code[0])
		snprintf(t->country, sizeof t->country, "%s (%s)", country, code);
	else
		snprintf(t->country, sizeof t->country, "%s", country[0] ? country : code);
	snprintf(t->as_of, sizeof t->as_of, "%s", sk_today(db));
}

sk_status sk_turnover_build(sk_db *db, sk_turnover *out, sk_err *err)
{
	memset(out, 0, sizeof *out);
	head(db, out);
	book b = {.db = db, .t = out};
	sk_date_add_months(out->as_of, 12, b.horizon);
	sk_status s = run_query(&b, &training_officer, err);
	for (size_t i = 0; s == SK_OK && i < sk_nturn_sections; i++) {
		const sk_turn_section *sec = &sk_turn_sections[i];
		if (sec->needs && !sk_table_find(sec->needs))
			continue; /* not in this schema yet: the section waits for it */
		if (out->nsections < SK_TURN_MAX_SECTIONS)
			out->sections[out->nsections++] = sec;
		b.section = sec;
		if (strcmp(sec->code, "alerts") == 0) {
			s = alerts(&b, err);
			continue;
		}
		for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++)
			if (strcmp(queries[k].code, sec->code) == 0)
				s = run_query(&b, &queries[k], err);
	}
	free(b.training_owner);
	if (s != SK_OK)
		sk_turnover_free(out);
	return s;
}

void sk_turnover_free(sk_turnover *t)
{
	for (size_t i = 0; i < t->count; i++) {
		free(t->items[i].subject);
		free(t->items[i].detail);
		free(t->items[i].date);
		free(t->items[i].owner);
	}
	free(t->items);
	t->items = NULL;
	t->count = t->cap = 0;
	t->nsections = 0;
}

const sk_turn_item *sk_turnover_next(const sk_turnover *t, const sk_turn_section *s,
                                     size_t *at)
{
	while (*at < t->count) {
		const sk_turn_item *it = &t->items[(*at)++];
		if (it->section == s)
			return it;
	}
	return NULL;
}
