/*
 * test_demo.c: the fictional office fills an empty database, makes every
 * alert rule fire, leaves the file clean, and refuses a second fill.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/alerts.h"
#include "scodesk/demo.h"
#include "testutil.h"

/* Every rule of alerts.c; the demo must make each fire. */
static const char *const rules[] = {
	"student-vetting", "student-ecl", "student-medical", "student-leahy-lapse",
	"student-security-vetting", "student-absent", "unit-vetting",
	"deros-no-replacement", "billet-gap", "billet-vacant", "billet-double-filled",
	"training-overdue", "training-due", "training-expired", "cert-below", "cert-due",
	"program-case-id", "program-aod-past", "program-oed", "program-ssc-open",
	"followup-overdue", "key-leader-stale", "eum-initial-inventory", "eum-inventory-due",
	"eum-item-missing", "eum-followup", "eum-billet", "eum-case-closed",
};

static int64_t count_where(sk_db *db, const char *table, const char *column,
                           const char *value)
{
	const sk_table *t = sk_table_find(table);
	assert_non_null(t);
	sk_query q = {0};
	if (column) {
		q.where[0].column = column;
		q.where[0].value = value;
		q.nwhere = 1;
	}
	int64_t n = -1;
	sk_err err;
	if (sk_count(db, t, &q, &n, &err) != SK_OK)
		fail_msg("counting %s: %s", table, err.msg);
	return n;
}

static int64_t count(sk_db *db, const char *table)
{
	return count_where(db, table, NULL, NULL);
}

static void fill(sk_db *db)
{
	sk_err err;
	sk_status s = sk_demo_fill(db, &err);
	if (s != SK_OK)
		fail_msg("demo fill failed (%s): %s", sk_status_name(s), err.msg);
}

/* Fails the test naming each rule the alerts of db lack. */
static void assert_every_rule(sk_db *db)
{
	sk_alerts a = {0};
	sk_err err;
	if (sk_alerts_compute(db, &a, &err) != SK_OK)
		fail_msg("alerts: %s", err.msg);
	int missing = 0;
	for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
		bool found = false;
		for (size_t i = 0; i < a.count && !found; i++)
			found = strcmp(a.items[i].rule, rules[r]) == 0;
		if (!found) {
			print_error("rule %s does not fire (today %s)\n", rules[r], sk_today(db));
			missing++;
		}
	}
	sk_alerts_free(&a);
	assert_int_equal(missing, 0);
}

/* One database, filled once, shared by the tests that only look. */
static tu_db shared;

static int setup(void **state)
{
	(void)state;
	tu_open(&shared);
	fill(shared.db);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_close(&shared);
	return 0;
}

static void test_counts(void **state)
{
	(void)state;
	sk_db *db = shared.db;
	static const struct {
		const char *table;
		int64_t lo, hi;
	} ranges[] = {
		{"personnel", 15, 20}, {"students", 35, 45}, {"programs", 22, 28},
		{"contacts", 55, 65}, {"engagements", 140, 160}, {"billets", 15, 20},
		{"courses", 6, 12}, {"languages", 10, 40}, {"staff_training", 40, 200},
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		int64_t n = count(db, ranges[i].table);
		if (n < ranges[i].lo || n > ranges[i].hi)
			fail_msg("%s: %lld rows, expected %lld..%lld", ranges[i].table,
			         (long long)n, (long long)ranges[i].lo, (long long)ranges[i].hi);
	}
	/* an inbound replacement among the staff */
	assert_true(count_where(db, "personnel", "status", "inbound") >= 1);

	char buf[128];
	sk_setting(db, "office_name", buf, sizeof buf);
	assert_true(strlen(buf) > 0);
	sk_setting(db, "country", buf, sizeof buf);
	assert_true(strlen(buf) > 0);
	/* every change went through the record API: one audit entry per row */
	int64_t rows = 0;
	for (size_t i = 0; i < sk_ntables; i++)
		if (!sk_tables[i]->append_only)
			rows += count(db, sk_tables[i]->name);
	assert_int_equal(count(db, "audit_log"), rows);
}

static void assert_every_code(sk_db *db, const char *table, const char *column,
                              const char *const *codes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (count_where(db, table, column, codes[i]) < 1)
			fail_msg("no %s with %s %s", table, column, codes[i]);
}

static void test_every_status(void **state)
{
	(void)state;
	sk_db *db = shared.db;
	static const char *const training[] = {"done", "due", "overdue", "expired", "waived"};
	assert_every_code(db, "staff_training", "status", training, 5);
	for (size_t i = 0; i < sk_enum_student_status.count; i++) {
		const char *code = sk_enum_student_status.values[i].code;
		assert_every_code(db, "students", "status", &code, 1);
	}
	static const char *const program[] = {
		"lor_received", "development", "offered", "accepted", "implemented",
		"supply_complete", "closed", "cancelled", "planned", "active", "complete",
	};
	assert_every_code(db, "programs", "status", program, 11);
	static const char *const leahy[] = {"not_submitted", "pending", "approved", "denied",
	                                    "expired"};
	assert_every_code(db, "students", "leahy_status", leahy, 5);
}

/* The office as practice has it (issue 13): what a practitioner would
 * notice at once in the demo's data. First the staff's course catalogue. */
static void test_catalogue_as_practice_has_it(void **state)
{
	(void)state;
	sk_db *db = shared.db;
	/* course titles as the schoolhouse names them; the catalogue has no
	 * column for delivery, so the title says distance learning */
	char *t = tu_q_text(sk_sqlite(db), "SELECT title FROM courses WHERE code = 'SCO-250'");
	assert_string_equal(t, "SCO Qualification Course");
	free(t);
	t = tu_q_text(sk_sqlite(db), "SELECT title FROM courses WHERE code = 'SCO-120'");
	assert_string_equal(t, "Basic SCO Operations (distance learning)");
	free(t);
	/* the Foreign Affairs Counter Threat course holds for six years */
	assert_int_equal(tu_int(db, "SELECT recurs_months FROM courses WHERE code = 'FACT'"), 72);
}

/* ... then the students. */
static void test_students_as_practice_has_it(void **state)
{
	(void)state;
	sk_db *db = shared.db;
	/* an IMET student's course is a professional one; English language
	 * training comes before it, never as the whole course */
	assert_int_equal(tu_int(db, "SELECT count(*) FROM students WHERE program = 'imet'"
	                            " AND (course_title LIKE '%English%' OR school LIKE 'DLIELC%')"),
	                 0);
	/* a case that is supply complete (or closed) has delivered its
	 * training: nobody still in the pipeline on it, and no course on it
	 * ending after its supply complete date */
	assert_int_equal(tu_int(db, "SELECT count(*) FROM students s JOIN programs g"
	                            " ON g.case_id = s.case_id WHERE s.deleted_at IS NULL"
	                            " AND g.status IN ('supply_complete', 'closed')"
	                            " AND (s.status NOT IN ('completed', 'failed')"
	                            "  OR s.end_date >= g.ssc_date)"),
	                 0);
	/* a student completed or failed has come to the end of the course */
	assert_int_equal(tu_int(db, "SELECT count(*) FROM students WHERE deleted_at IS NULL"
	                            " AND status IN ('completed', 'failed') AND end_date > sk_today()"),
	                 0);
	/* an unauthorized absence is rare: at most one */
	assert_true(count_where(db, "students", "status", "absent") <= 1);
}

static void test_every_rule_fires(void **state)
{
	(void)state;
	assert_every_rule(shared.db);
}

static void add_finding(void *ctx, const char *finding)
{
	print_error("check: %s\n", finding);
	(*(int *)ctx)++;
}

static void test_check_is_clean(void **state)
{
	(void)state;
	int seen = 0;
	sk_err err;
	int n = sk_check(shared.db, add_finding, &seen, &err);
	assert_int_equal(n, 0);
	assert_int_equal(seen, 0);
}

typedef struct scan {
	int rows, non_ascii, bad_case, links;
} scan;

static int scan_contact(void *ctx, const sk_record *rec)
{
	scan *sc = ctx;
	const unsigned char *v = (const unsigned char *)sk_get(rec, "native_name");
	sc->rows++;
	for (; v && *v; v++)
		if (*v >= 0x80) {
			sc->non_ascii++;
			break;
		}
	return 0;
}

static void test_native_names(void **state)
{
	(void)state;
	scan sc = {0};
	sk_err err;
	assert_int_equal(sk_list(shared.db, sk_table_find("contacts"), NULL, scan_contact,
	                         &sc, &err), SK_OK);
	assert_true(sc.rows > 0);
	assert_true(sc.non_ascii >= 1);
	assert_int_equal(sc.non_ascii, sc.rows); /* in fact every one */
}

/* Case ids: every one valid and in the partner's two-letter code. */
static int scan_program(void *ctx, const sk_record *rec)
{
	scan *sc = ctx;
	const char *id = sk_get(rec, "case_id");
	if (id && (sk_check_case_id(id) || strncmp(id, "QV-", 3) != 0))
		sc->bad_case++;
	sc->rows++;
	return 0;
}

static int scan_engagement(void *ctx, const sk_record *rec)
{
	scan *sc = ctx;
	const char *ids = sk_get(rec, "contact_ids");
	sc->rows++;
	sc->links += ids && *ids;
	sc->bad_case += sk_get(rec, "program_id") != NULL; /* here: linked programs */
	return 0;
}

static void test_links_and_cases(void **state)
{
	(void)state;
	sk_err err;
	scan p = {0}, e = {0};
	assert_int_equal(sk_list(shared.db, sk_table_find("programs"), NULL, scan_program,
	                         &p, &err), SK_OK);
	assert_int_equal(p.bad_case, 0);
	assert_int_equal(sk_list(shared.db, sk_table_find("engagements"), NULL,
	                         scan_engagement, &e, &err), SK_OK);
	assert_int_equal(e.links, e.rows); /* every engagement met someone */
	assert_true(e.bad_case > 0 && e.bad_case < e.rows);
	/* follow-ups both done and open */
	assert_true(count_where(shared.db, "engagements", "followup_done", "1") > 0);
	assert_true(count_where(shared.db, "engagements", "followup_done", "0") > 0);
}

/* Every case has a case type, and only cases; every type is there, the
 * Sec. 333 cases BPC; the anticipated offer dates go by the case type (a
 * BPC pseudo-LOA's sooner after its LOR than a defined-order sale's), not
 * a fixed number of days. */
static void test_case_types(void **state)
{
	(void)state;
	sk_db *db = shared.db;
	struct sqlite3 *c = sk_sqlite(db);
	assert_int_equal(tu_q_int(c, "SELECT count(*) FROM programs WHERE authority IN"
	                             " ('fms', 'fmf', 's333', 'eda') AND case_type IS NULL"), 0);
	assert_int_equal(tu_q_int(c, "SELECT count(*) FROM programs WHERE authority NOT IN"
	                             " ('fms', 'fmf', 's333', 'eda') AND case_type IS NOT NULL"), 0);
	for (size_t i = 0; i < sk_enum_case_type.count; i++) {
		const char *code = sk_enum_case_type.values[i].code;
		assert_every_code(db, "programs", "case_type", &code, 1);
	}
	assert_int_equal(tu_q_int(c, "SELECT count(*) FROM programs WHERE authority = 's333'"
	                             " AND case_type IS NOT 'bpc'"), 0);
	assert_true(tu_q_int(c, "SELECT count(DISTINCT julianday(aod_date) - julianday(lor_date))"
	                        " FROM programs WHERE aod_date IS NOT NULL") >= 4);
	assert_true(tu_q_int(c, "SELECT (SELECT max(julianday(aod_date) - julianday(lor_date))"
	                        " FROM programs WHERE case_type = 'bpc') < (SELECT"
	                        " min(julianday(aod_date) - julianday(lor_date)) FROM programs"
	                        " WHERE case_type = 'defined_order')") == 1);
	/* the offer stands as long as its case type's does */
	assert_int_equal(tu_q_int(c, "SELECT count(*) FROM programs WHERE oed_date IS NOT NULL"
	                             " AND julianday(oed_date) - julianday(offer_date) <>"
	                             " CASE case_type WHEN 'bpc' THEN 30 ELSE 85 END"), 0);
}

static void test_second_fill_refused(void **state)
{
	(void)state;
	sk_db *db = shared.db;
	int64_t before[16] = {0};
	for (size_t i = 0; i < sk_ntables && i < 16; i++)
		before[i] = count(db, sk_tables[i]->name);
	sk_err err;
	assert_int_equal(sk_demo_fill(db, &err), SK_INVALID);
	assert_non_null(strstr(err.msg, "already holds"));
	for (size_t i = 0; i < sk_ntables && i < 16; i++)
		assert_int_equal(count(db, sk_tables[i]->name), before[i]);
	/* and a later change still works: the refusal left no transaction */
	assert_int_equal(sk_setting_set(db, "marking", "CUI", &err), SK_OK);
}

/* Fills a fresh database with today pinned to `today`. */
static void open_filled(tu_db *t, const char *today)
{
	char *saved = getenv("SCODESK_TODAY") ? strdup(getenv("SCODESK_TODAY")) : NULL;
	setenv("SCODESK_TODAY", today, 1);
	tu_open(t);
	if (saved) {
		setenv("SCODESK_TODAY", saved, 1);
		free(saved);
	} else {
		unsetenv("SCODESK_TODAY");
	}
	assert_string_equal(sk_today(t->db), today);
	fill(t->db);
}

/* The demo works for any today: month ends, leap days, a new year. */
static void test_any_today(void **state)
{
	(void)state;
	static const char *const days[] = {"2024-02-29", "2026-12-31", "2031-01-01",
	                                   "2027-10-01"};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		tu_db t;
		open_filled(&t, days[i]);
		assert_every_rule(t.db);
		int seen = 0;
		assert_int_equal(sk_check(t.db, add_finding, &seen, NULL), 0);
		tu_close(&t);
	}
}

/* The same today gives the same office: compare the alerts of two fills. */
static void test_deterministic(void **state)
{
	(void)state;
	tu_db a, b;
	open_filled(&a, "2026-03-15");
	open_filled(&b, "2026-03-15");
	sk_alerts x = {0}, y = {0};
	assert_int_equal(sk_alerts_compute(a.db, &x, NULL), SK_OK);
	assert_int_equal(sk_alerts_compute(b.db, &y, NULL), SK_OK);
	assert_int_equal(x.count, y.count);
	for (size_t i = 0; i < x.count; i++) {
		assert_string_equal(x.items[i].rule, y.items[i].rule);
		assert_string_equal(x.items[i].subject, y.items[i].subject);
		assert_string_equal(x.items[i].detail, y.items[i].detail);
		assert_string_equal(x.items[i].due_date, y.items[i].due_date);
	}
	sk_alerts_free(&x);
	sk_alerts_free(&y);
	tu_close(&a);
	tu_close(&b);
}

/* A database that already holds a person is refused before anything is
 * written. */
static void test_refuses_nonempty(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_record *rec = sk_record_new(sk_table_find("personnel"));
	assert_int_equal(sk_set(rec, "last_name", "Someone"), SK_OK);
	assert_int_equal(sk_set(rec, "first_name", "Already"), SK_OK);
	assert_int_equal(sk_set(rec, "service", "army"), SK_OK);
	tu_insert(t.db, rec);
	sk_record_free(rec);
	int64_t audit = count(t.db, "audit_log");
	sk_err err;
	assert_int_equal(sk_demo_fill(t.db, &err), SK_INVALID);
	assert_non_null(strstr(err.msg, "already holds 1 person"));
	assert_int_equal(count(t.db, "personnel"), 1);
	assert_int_equal(count(t.db, "settings"), 0);
	assert_int_equal(count(t.db, "audit_log"), audit);
	tu_close(&t);
}

int main(void)
{
	/* The first tests share one filled database (setup); the refusal
	 * comes last of those, as it adds a setting. The others make their
	 * own. One group: TAP allows one plan per run. */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_every_status),
		cmocka_unit_test(test_every_rule_fires),
		cmocka_unit_test(test_catalogue_as_practice_has_it),
		cmocka_unit_test(test_students_as_practice_has_it),
		cmocka_unit_test(test_check_is_clean),
		cmocka_unit_test(test_native_names),
		cmocka_unit_test(test_links_and_cases),
		cmocka_unit_test(test_case_types),
		cmocka_unit_test(test_second_fill_refused),
		cmocka_unit_test(test_any_today),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_refuses_nonempty),
	};
	return cmocka_run_group_tests_name("demo", tests, setup, teardown);
}
