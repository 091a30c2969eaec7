/*
 * test_validation.c: every message core gives for a value it refuses, and
 * the values rules.c computes before a record is checked.
 *
 * A refusal must read  TABLE: field "COLUMN": value "VALUE": reason
 * (without the value part when there is no value to show), name the column
 * in err.field, and leave the database as it was: no row, no audit entry.
 * Most cases are rows of tables below or loops over the table descriptions,
 * so that a column added to schema.c is checked without a new test.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "scodesk/err.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TODAY "2026-11-25"

/* ---- helpers ------------------------------------------------------------ */

/* Seeds for tu_valid. Multiples of 31 never meet the seeds tu_valid derives
 * for parent rows (seed * 31 + column index), so unique values differ. */
static int next_seed(void)
{
	static int n;
	return ++n * 31;
}

static const sk_table *table(const char *name)
{
	const sk_table *t = sk_table_find(name);
	if (!t)
		fail_msg("no table %s", name);
	return t;
}

static void put(sk_record *rec, const char *column, const char *value)
{
	if (sk_set(rec, column, value) != SK_OK)
		fail_msg("%s has no column %s", rec->table->name, column);
}

static int64_t count_of(sk_db *db, const char *name)
{
	int64_t n = -1;
	sk_err err;
	sk_err_clear(&err);
	if (sk_count(db, table(name), NULL, &n, &err) != SK_OK)
		fail_msg("cannot count %s: %s", name, err.msg);
	return n;
}

/* A valid record of the table, its parents inserted. */
static sk_record *fresh(sk_db *db, const sk_table *t)
{
	sk_record *rec = tu_valid(db, t, next_seed());
	/* tu_valid leaves timestamps to core; audit_log needs its own. */
	for (size_t i = 0; i < t->ncolumns; i++) {
		const sk_column *c = &t->columns[i];
		if (c->type == SK_T_TIMESTAMP && !(c->flags & SK_F_SYSTEM) && !rec->values[i])
			assert_int_equal(sk_set_at(rec, (int)i, "2026-11-25T08:00:00Z"), SK_OK);
	}
	return rec;
}

/* audit_log is written by core alone: its values are checked with
 * sk_validate; everything else goes through sk_insert. */
static sk_status attempt(sk_db *db, sk_record *rec, sk_err *err)
{
	sk_err_clear(err);
	if (rec->table->append_only)
		return sk_validate(db, rec, err);
	return sk_insert(db, rec, err);
}

/* The record a check is looking at; freed by teardown when the check fails
 * (cmocka's failure leaves the function). */
static sk_record *in_flight;

/* Checks that err is the refusal of a value of table.field: the message
 * starts with the table, the field and (when shown is not NULL) the value,
 * and its reason holds `reason`. */
static void expect_message(const char *ctx, sk_status s, const sk_err *err,
                           const char *tname, const char *field,
                           const char *shown, const char *reason)
{
	char head[700];
	if (s != SK_INVALID || err->status != SK_INVALID)
		fail_msg("%s: expected a refusal (%s), got %s: %s", ctx, reason,
		         sk_status_name(s), err->msg);
	if (strcmp(err->field, field) != 0)
		fail_msg("%s: err.field is \"%s\", expected \"%s\" (%s)", ctx, err->field,
		         field, err->msg);
	if (shown)
		snprintf(head, sizeof head, "%s: field \"%s\": value \"%s\": ", tname, field, shown);
	else
		snprintf(head, sizeof head, "%s: field \"%s\": ", tname, field);
	if (strncmp(err->msg, head, strlen(head)) != 0)
		fail_msg("%s: message \"%s\" does not start with \"%s\"", ctx, err->msg, head);
	if (!shown && strstr(err->msg, "value \""))
		fail_msg("%s: message \"%s\" shows a value where there is none", ctx, err->msg);
	if (!strstr(err->msg + strlen(head), reason))
		fail_msg("%s: message \"%s\" lacks the reason \"%s\"", ctx, err->msg, reason);
}

/* Tries to store rec, which must be refused with the given message; then
 * checks that nothing was written. Frees rec. */
static void expect_refused(sk_db *db, sk_record *rec, const char *ctx,
                           const char *field, const char *shown, const char *reason)
{
	in_flight = rec;
	const char *tname = rec->table->name;
	int64_t rows = count_of(db, tname), audit = count_of(db, "audit_log");
	sk_err err;
	sk_status s = attempt(db, rec, &err);
	expect_message(ctx, s, &err, tname, field, shown, reason);
	if (count_of(db, tname) != rows)
		fail_msg("%s: refused, yet %s went from %lld rows to %lld", ctx, tname,
		         (long long)rows, (long long)count_of(db, tname));
	if (count_of(db, "audit_log") != audit)
		fail_msg("%s: refused, yet the audit log grew", ctx);
	sk_record_free(rec);
	in_flight = NULL;
}

/* Tries to store rec, which must be accepted with `column` stored as
 * `value` (an empty value may be stored as NULL). Frees rec. */
static void expect_accepted(sk_db *db, sk_record *rec, const char *ctx,
                            const char *column, const char *value)
{
	in_flight = rec;
	const char *tname = rec->table->name;
	int64_t rows = count_of(db, tname);
	sk_err err;
	sk_status s = attempt(db, rec, &err);
	if (s != SK_OK)
		fail_msg("%s: refused: %s", ctx, err.msg);
	if (!rec->table->append_only) {
		if (count_of(db, tname) != rows + 1)
			fail_msg("%s: accepted, but %s does not have one row more", ctx, tname);
		sk_record *back = NULL;
		if (sk_get_record(db, rec->table, sk_record_id(rec), &back, &err) != SK_OK)
			fail_msg("%s: cannot read back: %s", ctx, err.msg);
		sk_record_free(rec);
		in_flight = rec = back;
		const char *got = column ? sk_get(back, column) : NULL;
		if (column && value && *value && (!got || strcmp(got, value) != 0))
			fail_msg("%s: stored \"%s\", not \"%s\"", ctx, got ? got : "(null)", value);
		if (column && value && !*value && got && *got)
			fail_msg("%s: stored \"%s\" for an empty value", ctx, got);
	}
	sk_record_free(rec);
	in_flight = NULL;
}

static int take_id(void *ctx, const sk_record *rec)
{
	*(int64_t *)ctx = sk_record_id(rec);
	return 0;
}

/* Id of the one live row of t whose column holds value (0: none). */
static int64_t id_by(sk_db *db, const sk_table *t, const char *column, const char *value)
{
	sk_query q = {.nwhere = 1, .where = {{.column = column, .value = value}}};
	int64_t id = 0, n = 0;
	sk_err err;
	if (sk_count(db, t, &q, &n, &err) != SK_OK || n != 1)
		fail_msg("%s.%s = %s: %lld rows", t->name, column, value, (long long)n);
	if (sk_list(db, t, &q, take_id, &id, &err) != SK_OK)
		fail_msg("cannot list %s: %s", t->name, err.msg);
	return id;
}

/* "not one of a, b, c" for an enumeration. */
static void enum_reason(const sk_enum *e, char *buf, size_t size)
{
	size_t len = (size_t)snprintf(buf, size, "not one of ");
	for (size_t i = 0; i < e->count && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
		                        e->values[i].code);
}

static int setup(void **state)
{
	tu_db *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	tu_open(t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	tu_db *t = *state;
	sk_record_free(in_flight);
	in_flight = NULL;
	tu_close(t);
	free(t);
	return 0;
}

#define DB(state) (((tu_db *)*(state))->db)

/* ---- single values, one table of cases ------------------------------------ */

typedef struct vcase {
	const char *table;
	const char *column;
	const char *value;
	const char *reason; /* part of the reason; NULL when the value is fine */
	const char *also_column, *also_value; /* set as well, or NULL */
	const char *field;  /* err.field when not `column` */
} vcase;

#define BAD(t, c, v, r) {.table = t, .column = c, .value = v, .reason = r}
#define OK(t, c, v) {.table = t, .column = c, .value = v}
#define BAD_WITH(t, c, v, r, c2, v2) \
	{.table = t, .column = c, .value = v, .reason = r, .also_column = c2, .also_value = v2}
#define OK_WITH(t, c, v, c2, v2) \
	{.table = t, .column = c, .value = v, .also_column = c2, .also_value = v2}

#define NOT_DATE "not a date (YYYY-MM-DD)"
#define ILR_CODES "not one of 0, 0+, 1, 1+, 2, 2+, 3, 3+, 4, 4+, 5"

static const vcase value_cases[] = {
	/* dates */
	BAD("personnel", "arrival_date", "2026-02-30", NOT_DATE),
	BAD("personnel", "arrival_date", "2026-13-01", NOT_DATE),
	BAD("personnel", "arrival_date", "26-01-01", NOT_DATE),
	BAD("personnel", "arrival_date", "tomorrow", NOT_DATE),
	BAD("personnel", "arrival_date", "2026-00-10", NOT_DATE),
	BAD("personnel", "arrival_date", "2026-04-31", NOT_DATE),
	BAD("personnel", "arrival_date", "2026-1-15", NOT_DATE),
	BAD("personnel", "arrival_date", "2026/01/15", NOT_DATE),
	BAD("personnel", "arrival_date", "2026-01-15 x", NOT_DATE),
	BAD("personnel", "arrival_date", "2026-01-15T08:00:00Z", NOT_DATE),
	BAD("languages", "test_date", "2023-02-29", NOT_DATE),
	BAD("languages", "test_date", "1900-02-29", NOT_DATE),
	BAD("engagements", "date", "2026-02-30", NOT_DATE),
	BAD("students", "report_date", "2026-06-31", NOT_DATE),
	BAD("programs", "oed_date", "next week", NOT_DATE),
	OK("languages", "test_date", "2024-02-29"),
	OK("languages", "test_date", "2000-02-29"),
	OK("languages", "test_date", "2026-12-31"),
	OK("programs", "aod_date", "2027-01-01"),

	/* ILR levels (every code is accepted in the enumeration loop) */
	BAD("languages", "listening", "6", ILR_CODES),
	BAD("languages", "reading", "5+", ILR_CODES),
	BAD("languages", "speaking", "1++", ILR_CODES),
	BAD("languages", "speaking", "+1", ILR_CODES),
	BAD("languages", "speaking", "0-", ILR_CODES),
	OK("languages", "listening", "0+"),
	OK("languages", "reading", "5"),

	/* ECL score and minimum, 0 to 100 */
	BAD("students", "ecl_score", "-1", "out of range (0 to 100)"),
	BAD("students", "ecl_score", "101", "out of range (0 to 100)"),
	BAD("students", "ecl_score", "abc", "not a whole number"),
	BAD("students", "ecl_score", "75.5", "not a whole number"),
	BAD("students", "ecl_required", "101", "out of range (0 to 100)"),
	OK("students", "ecl_score", "0"),
	OK("students", "ecl_score", "100"),
	OK("students", "ecl_required", "80"),

	/* other whole numbers */
	BAD("students", "fiscal_year", "27", "out of range (1950 to 2200)"),
	BAD("courses", "due_within_days", "-1", "out of range (0 to 3650)"),
	BAD("courses", "recurs_months", "0", "out of range (1 to 600)"),
	OK("programs", "fiscal_year", "2027"),

	/* money: whole dollars, not negative */
	BAD("programs", "value_usd", "-5", "money may not be negative"),
	BAD("programs", "value_usd", "1.5", "not a whole number of dollars"),
	BAD("programs", "value_usd", "1,000", "not a whole number of dollars"),
	BAD("programs", "value_usd", "$5", "not a whole number of dollars"),
	OK("programs", "value_usd", "0"),
	OK("programs", "value_usd", "2500000000"),

	/* 0/1 */
	BAD("contacts", "key_leader", "2", "not 0 or 1"),
	BAD("students", "medical_cleared", "yes", "not 0 or 1"),
	BAD("engagements", "followup_done", "true", "not 0 or 1"),
	OK("contacts", "key_leader", "1"),

	/* record ids */
	BAD("languages", "person_id", "abc", "not a record id"),
	BAD("languages", "person_id", "0", "not a record id"),
	BAD("programs", "poc_person_id", "-3", "not a record id"),

	/* patterns of single text columns */
	BAD("programs", "implementing_agency", "b", "not an implementing agency letter"),
	BAD("programs", "implementing_agency", "BB", "not an implementing agency letter"),
	OK_WITH("programs", "implementing_agency", "P", "case_id", "BN-P-OBS"),
	/* the case id's agency letter is the implementing agency */
	BAD_WITH("programs", "case_id", "BN-P-OBT", "its implementing agency letter is P, but "
	         "implementing_agency is D", "implementing_agency", "D"),
	OK_WITH("programs", "case_id", "BN-D-OBU", "implementing_agency", "D"),
	/* milestones in order where each is given (more in test_milestone_order) */
	BAD_WITH("programs", "offer_date", "2026-01-01", "is before lor_date (2026-02-01)",
	         "lor_date", "2026-02-01"),
	BAD("billets", "billet_number", "A;12", "may not hold ';'"),
	BAD("settings", "key", "Alert-Days", "a setting key is lower-case letters"),

	/* text in any script is kept as it is */
	OK("contacts", "native_name", "Иван Петров"),
	OK("contacts", "native_name", "محمد الحداد"),
	OK("contacts", "native_name", "สมชาย ใจดี"),
	OK("contacts", "native_name", "王小明"),
	OK("personnel", "notes", "flag 🇺🇸 and a\nsecond line"),

	/* dates in order */
	BAD_WITH("personnel", "deros_date", "2026-05-31", "is before arrival_date (2026-06-01)",
	         "arrival_date", "2026-06-01"),
	OK_WITH("personnel", "deros_date", "2026-06-01", "arrival_date", "2026-06-01"),
	BAD_WITH("students", "end_date", "2026-02-28", "is before start_date (2026-03-01)",
	         "start_date", "2026-03-01"),
	BAD("students", "start_date", "2026-01-10", "is before report_date (2026-01-15)"),
	OK_WITH("students", "end_date", "2026-03-20", "start_date", "2026-03-01"),
	BAD("staff_training", "expires_date", "2026-01-14",
	    "is before completed_date (2026-01-15)"),

	/* rule 1: no travel order without approved vetting */
	BAD_WITH("students", "status", "ito_issued", "not approved", "leahy_status", "pending"),
	OK_WITH("students", "status", "ito_issued", "leahy_status", "approved"),
};

static void test_values(void **state)
{
	sk_db *db = DB(state);
	for (size_t i = 0; i < N(value_cases); i++) {
		const vcase *k = &value_cases[i];
		char ctx[200];
		snprintf(ctx, sizeof ctx, "case %zu: %s.%s = \"%s\"", i, k->table, k->column,
		         k->value);
		sk_record *rec = fresh(db, table(k->table));
		if (k->also_column)
			put(rec, k->also_column, k->also_value);
		put(rec, k->column, k->value);
		if (k->reason)
			expect_refused(db, rec, ctx, k->field ? k->field : k->column, k->value,
			               k->reason);
		else
			expect_accepted(db, rec, ctx, k->column, k->value);
	}
}

/* ---- loops over the descriptions -------------------------------------- */

/* Every enumerated column of every table: a bogus value, a code in capitals
 * and a label are refused, naming every allowed code; each code is
 * accepted and stored as it is. */
static void test_enumerations(void **state)
{
	sk_db *db = DB(state);
	int columns = 0;
	for (size_t ti = 0; ti < sk_ntables; ti++) {
		const sk_table *t = sk_tables[ti];
		for (size_t ci = 0; ci < t->ncolumns; ci++) {
			const sk_column *c = &t->columns[ci];
			if (c->type != SK_T_ENUM)
				continue;
			columns++;
			char reason[512], ctx[200], upper[64];
			enum_reason(c->enumeration, reason, sizeof reason);
			snprintf(upper, sizeof upper, "%s", c->enumeration->values[0].code);
			for (char *p = upper; *p; p++)
				if (*p >= 'a' && *p <= 'z')
					*p = (char)(*p - 'a' + 'A');
			const char *bad[] = {"bogus", upper, "x"};
			for (size_t b = 0; b < N(bad); b++) {
				if (sk_enum_index(c->enumeration, bad[b]) >= 0)
					continue; /* "0" in capitals is still a code */
				snprintf(ctx, sizeof ctx, "%s.%s = \"%s\"", t->name, c->name, bad[b]);
				sk_record *rec = fresh(db, t);
				put(rec, c->name, bad[b]);
				expect_refused(db, rec, ctx, c->name, bad[b], reason);
			}
			for (size_t v = 0; v < c->enumeration->count; v++) {
				const sk_enum_value *ev = &c->enumeration->values[v];
				if (strcmp(ev->label, ev->code) == 0)
					continue;
				snprintf(ctx, sizeof ctx, "%s.%s = label \"%s\"", t->name, c->name,
				         ev->label);
				sk_record *rec = fresh(db, t);
				put(rec, c->name, ev->label);
				expect_refused(db, rec, ctx, c->name, ev->label, reason);
			}
			for (size_t v = 0; v < c->enumeration->count; v++) {
				const char *code = c->enumeration->values[v].code;
				snprintf(ctx, sizeof ctx, "%s.%s = \"%s\"", t->name, c->name, code);
				sk_record *rec = fresh(db, t);
				/* so that every student status may be reached */
				if (strcmp(t->name, "students") == 0 && strcmp(c->name, "status") == 0)
					put(rec, "leahy_status", "approved");
				/* and every program status, each on a program of its kind */
				if (strcmp(t->name, "programs") == 0 && strcmp(c->name, "status") == 0 &&
				    sk_enum_since(c->enumeration, code) == 6) {
					put(rec, "authority", "imet");
					put(rec, "case_id", NULL);
					put(rec, "implementing_agency", NULL);
				}
				put(rec, c->name, code);
				expect_accepted(db, rec, ctx, c->name, code);
			}
		}
	}
	/* role, service x2, cert levels x2, person status, clearance, ILR x3,
	 * applies_to, students' program, leahy, student status, authority,
	 * program status, case type, engagement type, audit action, security
	 * vetting, unit vetting's result, an EUM item's category and status, an
	 * EUM check's kind, a check item's result */
	assert_int_equal(columns, 25);
}

/* Grades: every column checked by sk_check_grade, every grade of every
 * range, the numbers just outside each range, and look-alikes. */
static void test_grades(void **state)
{
	sk_db *db = DB(state);
	static const struct { const char *prefix; int lo, hi; } ranges[] = {
		{"E", 1, 9}, {"W", 1, 5}, {"O", 1, 10}, {"GS", 1, 15},
		{"FSN", 1, 13}, {"FP", 1, 9},
	};
	static const struct { const char *value; bool ok; } extra[] = {
		{"SES", true}, {"CTR", true}, {"", true},
		{"E-10", false}, {"O-0", false}, {"O-01", false}, {"GS-16", false},
		{"FSN-14", false}, {"FP-10", false}, {"W-6", false}, {"o-4", false},
		{"O4", false}, {"O-", false}, {"O--4", false}, {"O-+4", false},
		{"ses", false}, {"SES-1", false},
		{"GS-100", false}, {"X-1", false}, {"LTC", false},
	};
	char value[32], ctx[160];
	int columns = 0;
	for (size_t ti = 0; ti < sk_ntables; ti++) {
		const sk_table *t = sk_tables[ti];
		for (size_t ci = 0; ci < t->ncolumns; ci++) {
			const sk_column *c = &t->columns[ci];
			if (c->check != sk_check_grade)
				continue;
			columns++;
			for (size_t r = 0; r < N(ranges); r++) {
				for (int n = ranges[r].lo - 1; n <= ranges[r].hi + 1; n++) {
					snprintf(value, sizeof value, "%s-%d", ranges[r].prefix, n);
					snprintf(ctx, sizeof ctx, "%s.%s = \"%s\"", t->name, c->name, value);
					sk_record *rec = fresh(db, t);
					put(rec, c->name, value);
					if (n >= ranges[r].lo && n <= ranges[r].hi)
						expect_accepted(db, rec, ctx, c->name, value);
					else
						expect_refused(db, rec, ctx, c->name, value, "not a grade");
				}
			}
			for (size_t x = 0; x < N(extra); x++) {
				snprintf(ctx, sizeof ctx, "%s.%s = \"%s\"", t->name, c->name,
				         extra[x].value);
				sk_record *rec = fresh(db, t);
				put(rec, c->name, extra[x].value);
				if (extra[x].ok)
					expect_accepted(db, rec, ctx, c->name, extra[x].value);
				else
					expect_refused(db, rec, ctx, c->name, extra[x].value,
					               "not a grade (E-1..E-9, W-1..W-5, O-1..O-10, "
					               "GS-1..GS-15, FSN-1..FSN-13, FP-1..FP-9, SES, CTR)");
			}
		}
	}
	/* billets.authorized_grade, personnel.grade, students and contacts
	 * us_equivalent_grade */
	assert_int_equal(columns, 4);
}

/* FMS case ids: every column checked by sk_check_case_id. */
static void test_case_ids(void **state)
{
	sk_db *db = DB(state);
	static const struct { const char *value; bool ok; } cases[] = {
		{"BN-B-OBS", true}, {"B1-D-0A2", true}, {"12-P-345", true},
		{"bn-b-obs", false}, {"BN-BB-OBS", false}, {"BN-B-OB", false},
		{"BNX-B-OBS", false}, {"BN-1-OBS", false}, {"BN B OBS", false},
		{"BN-B-OBSX", false}, {"BN-B-OBs", false}, {"BN_B_OBS", false},
	};
	char ctx[160];
	int columns = 0;
	for (size_t ti = 0; ti < sk_ntables; ti++) {
		const sk_table *t = sk_tables[ti];
		for (size_t ci = 0; ci < t->ncolumns; ci++) {
			const sk_column *c = &t->columns[ci];
			if (c->check != sk_check_case_id)
				continue;
			columns++;
			for (size_t k = 0; k < N(cases); k++) {
				snprintf(ctx, sizeof ctx, "%s.%s = \"%s\"", t->name, c->name,
				         cases[k].value);
				sk_record *rec = fresh(db, t);
				put(rec, c->name, cases[k].value);
				/* the agency letter is the case id's own (test_case_agreement) */
				if (sk_column_find(t, "implementing_agency"))
					put(rec, "implementing_agency", NULL);
				if (cases[k].ok)
					expect_accepted(db, rec, ctx, c->name, cases[k].value);
				else
					expect_refused(db, rec, ctx, c->name, cases[k].value,
					               "not an FMS case id (country code, agency letter, "
					               "designator: BN-B-OBS)");
			}
		}
	}
	assert_int_equal(columns, 2); /* programs.case_id, students.case_id */
}

/* Security cooperation workforce codes: every column checked by
 * sk_check_sc_code. The level digit must also agree with the billet's
 * required level (test_sc_level_cert), so each case gives the level its
 * digit calls for. */
static void test_sc_codes(void **state)
{
	sk_db *db = DB(state);
	static const struct { const char *value; bool ok; } cases[] = {
		{"SC1A2", true}, {"SC0Z1", true}, {"SC9B4", true},
		{"SC1A", false}, {"SCA2", false}, {"sc1a2", false}, {"SC1a2", false},
		{"SC12A", false}, {"SC1A22", false}, {"XC1A2", false}, {"SC 1A2", false},
		{"SC1-A2", false}, {"SCXA2", false}, {"SC1AB", false},
	};
	static const char *const level[] = {"none", "foundational", "practitioner", "expert",
	                                    "executive"};
	char ctx[160];
	int columns = 0;
	for (size_t ti = 0; ti < sk_ntables; ti++) {
		const sk_table *t = sk_tables[ti];
		for (size_t ci = 0; ci < t->ncolumns; ci++) {
			const sk_column *c = &t->columns[ci];
			if (c->check != sk_check_sc_code)
				continue;
			columns++;
			for (size_t k = 0; k < N(cases); k++) {
				snprintf(ctx, sizeof ctx, "%s.%s = \"%s\"", t->name, c->name,
				         cases[k].value);
				sk_record *rec = fresh(db, t);
				put(rec, c->name, cases[k].value);
				char d = cases[k].value[4];
				put(rec, "required_cert_level",
				    d >= '1' && d <= '4' ? level[d - '0'] : "practitioner");
				if (cases[k].ok)
					expect_accepted(db, rec, ctx, c->name, cases[k].value);
				else
					expect_refused(db, rec, ctx, c->name, cases[k].value,
					               "not a security cooperation workforce code (SC, a "
					               "digit, a functional-area letter, a level digit: "
					               "SC1A2)");
			}
		}
	}
	assert_int_equal(columns, 1); /* billets.sc_code */
}

/* The level digit of a billet's SC code and its required_cert_level agree
 * through setting sc_level_cert, on insert, on update and with the
 * mapping changed; a billet without a code is not held to it. */
static void test_sc_level_cert(void **state)
{
	sk_db *db = DB(state);
	const sk_table *t = table("billets");
	static const struct { const char *code, *level; bool ok; } cases[] = {
		{"SC1A1", "foundational", true}, {"SC2B2", "practitioner", true},
		{"SC3C3", "expert", true}, {"SC4D4", "executive", true},
		{"SC1A2", "expert", false}, {"SC1A3", "practitioner", false},
		{"SC2A1", "none", false}, {"SC2A4", "foundational", false},
		{NULL, "executive", true}, {NULL, "none", true},
	};
	static const char *const by_digit[] = {NULL, "foundational", "practitioner", "expert",
	                                       "executive"};
	char ctx[160], reason[300];
	for (size_t k = 0; k < N(cases); k++) {
		snprintf(ctx, sizeof ctx, "billet %s at %s", cases[k].code ? cases[k].code : "(no code)",
		         cases[k].level);
		sk_record *rec = fresh(db, t);
		put(rec, "sc_code", cases[k].code);
		put(rec, "required_cert_level", cases[k].level);
		if (cases[k].ok) {
			expect_accepted(db, rec, ctx, "required_cert_level", cases[k].level);
			continue;
		}
		char d = cases[k].code[4];
		snprintf(reason, sizeof reason,
		         "sc_code %s (level %c) requires %s (setting sc_level_cert), "
		         "not required_cert_level %s", cases[k].code, d, by_digit[d - '0'],
		         cases[k].level);
		expect_refused(db, rec, ctx, "required_cert_level", cases[k].level, reason);
	}

	/* a digit the mapping does not name */
	sk_record *rec = fresh(db, t);
	put(rec, "sc_code", "SC1A5");
	put(rec, "required_cert_level", "expert");
	expect_refused(db, rec, "level 5", "sc_code", "SC1A5",
	               "level digit 5 has no certification level in setting sc_level_cert");

	/* what the screen says: labels */
	sk_err err;
	rec = fresh(db, t);
	put(rec, "sc_code", "SC1A2");
	put(rec, "required_cert_level", "expert");
	assert_int_equal(sk_insert(db, rec, &err), SK_INVALID);
	assert_string_equal(err.says, "SC code SC1A2 is level 2: Req. cert must be "
	                              "Practitioner, not Expert");

	/* an update that changes one of the two without the other */
	put(rec, "required_cert_level", "practitioner");
	expect_accepted(db, rec, "SC1A2 at practitioner", "sc_code", "SC1A2");
	int64_t id = id_by(db, t, "sc_code", "SC1A2");
	assert_int_equal(sk_get_record(db, t, id, &rec, &err), SK_OK);
	put(rec, "sc_code", "SC1A3");
	in_flight = rec;
	sk_status s = sk_update(db, rec, &err);
	expect_message("update to SC1A3", s, &err, "billets", "required_cert_level",
	               "practitioner", "sc_code SC1A3 (level 3) requires expert");
	put(rec, "required_cert_level", "expert");
	assert_int_equal(sk_update(db, rec, &err), SK_OK);
	sk_record_free(rec);
	in_flight = NULL;

	/* the scheme changes: the mapping is a setting */
	assert_int_equal(sk_setting_set(db, "sc_level_cert",
	                                " 1 = practitioner , 2=expert,3=executive", &err), SK_OK);
	rec = fresh(db, t);
	put(rec, "sc_code", "SC1B1");
	put(rec, "required_cert_level", "practitioner");
	expect_accepted(db, rec, "SC1B1 at practitioner, remapped", "sc_code", "SC1B1");
	rec = fresh(db, t);
	put(rec, "sc_code", "SC1B1");
	put(rec, "required_cert_level", "foundational");
	expect_refused(db, rec, "SC1B1 at foundational, remapped", "required_cert_level",
	               "foundational", "sc_code SC1B1 (level 1) requires practitioner");
	rec = fresh(db, t);
	put(rec, "sc_code", "SC1B4");
	put(rec, "required_cert_level", "executive");
	expect_refused(db, rec, "SC1B4, remapped", "sc_code", "SC1B4",
	               "level digit 4 has no certification level");
}

/* Every required column of every table, left empty. An empty string is
 * refused; a missing value is refused unless the column has a default,
 * which is then stored. */
static void test_required(void **state)
{
	sk_db *db = DB(state);
	char ctx[160];
	int columns = 0;
	for (size_t ti = 0; ti < sk_ntables; ti++) {
		const sk_table *t = sk_tables[ti];
		for (size_t ci = 0; ci < t->ncolumns; ci++) {
			const sk_column *c = &t->columns[ci];
			if (!(c->flags & SK_F_REQUIRED) || (c->flags & SK_F_SYSTEM))
				continue;
			columns++;
			snprintf(ctx, sizeof ctx, "%s.%s = \"\"", t->name, c->name);
			sk_record *rec = fresh(db, t);
			put(rec, c->name, "");
			expect_refused(db, rec, ctx, c->name, NULL, "required, but empty");

			snprintf(ctx, sizeof ctx, "%s.%s missing", t->name, c->name);
			rec = fresh(db, t);
			put(rec, c->name, NULL);
			if (c->def && !t->append_only)
				expect_accepted(db, rec, ctx, c->name, c->def);
			else
				expect_refused(db, rec, ctx, c->name, NULL, "required, but empty");
		}
	}
	assert_true(columns >= 30);
}

/* Natural keys: a value already held by another row is refused, on insert
 * and on update, naming that row; a row keeps its own key on update. */
/* A column unique within another (schema.c: unique_within): an EUM
 * item's serial number within its case, a check's line for an item. The
 * same value is refused beside the same other value, naming the field,
 * and taken beside another; a deleted row keeps holding it. */
static void test_unique_within(void **state)
{
	sk_db *db = DB(state);
	char ctx[200], reason[160];
	int columns = 0;
	for (size_t ti = 0; ti < sk_ntables; ti++) {
		const sk_table *t = sk_tables[ti];
		for (size_t ci = 0; ci < t->ncolumns; ci++) {
			const sk_column *c = &t->columns[ci];
			if (!c->unique_within)
				continue;
			columns++;
			const sk_column *w = sk_column_find(t, c->unique_within);
			assert_non_null(w);
			const sk_table *wt = sk_table_find(w->ref_table);
			assert_non_null(wt);
			sk_record *first = fresh(db, t);
			int64_t first_id = tu_insert(db, first);
			char *key = strdup(sk_get(first, c->name));
			char *within = strdup(sk_get(first, w->name));
			assert_non_null(key);
			assert_non_null(within);
			snprintf(reason, sizeof reason, "already used by %s %lld of the same %s",
			         t->label, (long long)first_id, wt->label);

			snprintf(ctx, sizeof ctx, "insert %s.%s = \"%s\" twice in %s %s", t->name,
			         c->name, key, w->name, within);
			sk_record *twice = fresh(db, t);
			put(twice, c->name, key);
			put(twice, w->name, within);
			expect_refused(db, twice, ctx, c->name, key, reason);

			/* beside another parent it is free */
			snprintf(ctx, sizeof ctx, "%s.%s = \"%s\" in another %s", t->name, c->name,
			         key, w->name);
			sk_record *other = fresh(db, t);
			put(other, c->name, key);
			tu_fit(db, other);
			expect_accepted(db, other, ctx, c->name, key);

			/* an update may not take it over either */
			sk_record *third = fresh(db, t);
			put(third, w->name, within);
			tu_fit(db, third);
			int64_t third_id = tu_insert(db, third);
			put(third, c->name, key);
			sk_err err;
			sk_err_clear(&err);
			sk_status s = sk_update(db, third, &err);
			snprintf(ctx, sizeof ctx, "update %s %lld's %s to \"%s\"", t->name,
			         (long long)third_id, c->name, key);
			expect_message(ctx, s, &err, t->name, c->name, key, reason);
			sk_record_free(third);

			/* a deleted row still holds it (the index counts it) */
			assert_int_equal(sk_delete(db, t, first_id, &err), SK_OK);
			twice = fresh(db, t);
			put(twice, c->name, key);
			put(twice, w->name, within);
			snprintf(ctx, sizeof ctx, "%s.%s = \"%s\" of a deleted row", t->name,
			         c->name, key);
			expect_refused(db, twice, ctx, c->name, key, reason);
			sk_record_free(first);
			free(key);
			free(within);
		}
	}
	/* eum_items.serial_number, eum_check_items.item_id */
	assert_int_equal(columns, 2);
}

static void test_unique(void **state)
{
	sk_db *db = DB(state);
	char ctx[160], reason[96];
	int columns = 0;
	for (size_t ti = 0; ti < sk_ntables; ti++) {
		const sk_table *t = sk_tables[ti];
		for (size_t ci = 0; ci < t->ncolumns; ci++) {
			const sk_column *c = &t->columns[ci];
			if (!(c->flags & SK_F_UNIQUE) || (c->flags & SK_F_SYSTEM))
				continue;
			columns++;
			sk_err err;
			sk_record *first = fresh(db, t);
			int64_t first_id = tu_insert(db, first);
			char *key = strdup(sk_get(first, c->name));
			assert_non_null(key);
			snprintf(reason, sizeof reason, "already used by %s %lld", t->label,
			         (long long)first_id);

			snprintf(ctx, sizeof ctx, "insert %s.%s = \"%s\" twice", t->name, c->name, key);
			sk_record *twice = fresh(db, t);
			put(twice, c->name, key);
			expect_refused(db, twice, ctx, c->name, key, reason);

			/* another row may not take the key over */
			snprintf(ctx, sizeof ctx, "update %s.%s to \"%s\"", t->name, c->name, key);
			sk_record *other = fresh(db, t);
			int64_t other_id = tu_insert(db, other);
			char *own = strdup(sk_get(other, c->name));
			assert_non_null(own);
			int64_t version = sk_record_version(other);
			put(other, c->name, key);
			sk_err_clear(&err);
			sk_status s = sk_update(db, other, &err);
			expect_message(ctx, s, &err, t->name, c->name, key, reason);
			sk_record *back = NULL;
			assert_int_equal(sk_get_record(db, t, other_id, &back, &err), SK_OK);
			assert_string_equal(sk_get(back, c->name), own);
			assert_int_equal(sk_record_version(back), version);
			sk_record_free(back);
			sk_record_free(other);

			/* the row that holds it keeps it */
			sk_err_clear(&err);
			assert_int_equal(sk_get_record(db, t, first_id, &back, &err), SK_OK);
			s = sk_update(db, back, &err);
			if (s != SK_OK)
				fail_msg("%s.%s: updating the holder failed: %s", t->name, c->name, err.msg);
			sk_record_free(back);

			/* a deleted row still holds its key */
			assert_int_equal(sk_delete(db, t, first_id, &err), SK_OK);
			snprintf(ctx, sizeof ctx, "%s.%s = \"%s\" of a deleted row", t->name,
			         c->name, key);
			twice = fresh(db, t);
			put(twice, c->name, key);
			expect_refused(db, twice, ctx, c->name, key, reason);

			sk_record_free(first);
			free(key);
			free(own);
		}
	}
	/* billet_number, course code, case_id, setting key */
	assert_int_equal(columns, 4);
}

/* Programs that are not FMS cases have no case id: any number of them may
 * leave it empty, whether as NULL or as an empty string (a blank CSV cell
 * or form field). */
static void test_empty_case_id_is_no_key(void **state)
{
	sk_db *db = DB(state);
	const char *empties[] = {NULL, NULL, "", ""};
	for (size_t i = 0; i < N(empties); i++) {
		char ctx[64];
		snprintf(ctx, sizeof ctx, "IMET program %zu without case id (%s)", i,
		         empties[i] ? "\"\"" : "NULL");
		sk_record *rec = fresh(db, table("programs"));
		put(rec, "authority", "imet");
		put(rec, "case_id", empties[i]);
		expect_accepted(db, rec, ctx, "case_id", "");
	}
}

/* References to a row that does not exist, or that was deleted; a record
 * whose parent was deleted after it was stored can still be edited. */
static void test_references(void **state)
{
	sk_db *db = DB(state);
	char ctx[160], reason[96], value[96];
	int columns = 0;
	for (size_t ti = 0; ti < sk_ntables; ti++) {
		const sk_table *t = sk_tables[ti];
		for (size_t ci = 0; ci < t->ncolumns; ci++) {
			const sk_column *c = &t->columns[ci];
			if (c->type != SK_T_REF && c->type != SK_T_KEYREF)
				continue;
			columns++;
			const sk_table *rt = table(c->ref_table);
			const char *target = c->type == SK_T_KEYREF ? c->ref_column : "id";
			sk_err err;

			/* missing */
			const char *missing = c->type == SK_T_KEYREF ? "NO-SUCH-KEY" : "999999";
			snprintf(ctx, sizeof ctx, "%s.%s = missing %s", t->name, c->name, missing);
			snprintf(reason, sizeof reason, "no such %s", rt->label);
			sk_record *rec = fresh(db, t);
			put(rec, c->name, missing);
			expect_refused(db, rec, ctx, c->name, missing, reason);

			/* deleted */
			sk_record *parent = fresh(db, rt);
			int64_t parent_id = tu_insert(db, parent);
			snprintf(value, sizeof value, "%s", sk_get(parent, target));
			assert_int_equal(sk_delete(db, rt, parent_id, &err), SK_OK);
			snprintf(ctx, sizeof ctx, "%s.%s = deleted %s", t->name, c->name, value);
			snprintf(reason, sizeof reason, "that %s is deleted", rt->label);
			rec = fresh(db, t);
			put(rec, c->name, value);
			expect_refused(db, rec, ctx, c->name, value, reason);
			sk_record_free(parent);

			/* a parent deleted after the fact does not block edits, but
			 * pointing at a deleted parent anew is refused */
			rec = fresh(db, t);
			int64_t id = tu_insert(db, rec);
			int64_t mine_id = id_by(db, rt, target, sk_get(rec, c->name));
			assert_true(mine_id > 0);
			assert_int_equal(sk_delete(db, rt, mine_id, &err), SK_OK);
			for (size_t k = 0; k < t->ncolumns; k++) {
				const sk_column *e = &t->columns[k];
				if (e->type == SK_T_TEXT && !e->check && !(e->flags & SK_F_UNIQUE)) {
					assert_int_equal(sk_set_at(rec, (int)k, "edited"), SK_OK);
					break;
				}
			}
			int64_t version = sk_record_version(rec);
			sk_err_clear(&err);
			if (sk_update(db, rec, &err) != SK_OK || sk_record_version(rec) != version + 1)
				fail_msg("%s.%s: editing a row whose parent was deleted since: %s",
				         t->name, c->name, err.msg);
			put(rec, c->name, value);
			sk_err_clear(&err);
			sk_status s = sk_update(db, rec, &err);
			snprintf(ctx, sizeof ctx, "update %s.%s to deleted %s", t->name, c->name, value);
			expect_message(ctx, s, &err, t->name, c->name, value, reason);
			sk_record *back = NULL;
			assert_int_equal(sk_get_record(db, t, id, &back, &err), SK_OK);
			assert_string_not_equal(sk_get(back, c->name), value);
			sk_record_free(back);
			sk_record_free(rec);
		}
	}
	/* personnel.billet_number, languages.person_id, staff_training.person_id
	 * and course_code, programs.poc_person_id, engagements.program_id,
	 * unit_vetting.program_id, eum_items.program_id and custodian_contact_id,
	 * eum_checks.program_id, eum_check_items.check_id and item_id */
	assert_int_equal(columns, 12);
}

/* engagements.contact_ids: a ';'-separated list of contact ids. 'A' and
 * 'B' stand for two live contacts, 'D' for a deleted one. */
static void test_contact_ids(void **state)
{
	sk_db *db = DB(state);
	static const struct {
		const char *list;
		const char *shown;  /* value the message shows; NULL when accepted */
		const char *reason;
		const char *stored; /* when accepted */
	} cases[] = {
		{"A;;B", "A;;B", "not a ';'-separated list of ids", NULL},
		{"x", "x", "not a ';'-separated list of ids", NULL},
		{"A;", "A;", "not a ';'-separated list of ids", NULL},
		{";A", ";A", "not a ';'-separated list of ids", NULL},
		{"A;x", "A;x", "not a ';'-separated list of ids", NULL},
		{"A,B", "A,B", "not a ';'-separated list of ids", NULL},
		{"A; B", "A; B", "not a ';'-separated list of ids", NULL},
		{"0", "0", "not a ';'-separated list of ids", NULL},
		{"999999", "999999", "no such contact", NULL},
		{"A;999999", "999999", "no such contact", NULL},
		{"A;D", "D", "that contact is deleted", NULL},
		{"A", NULL, NULL, "A"},
		{"B;A", NULL, NULL, "A;B"},
		{"A;B;A", NULL, NULL, "A;B"},
		{"", NULL, NULL, ""},
	};
	const sk_table *contacts = table("contacts");
	char ids[3][24];
	for (int k = 0; k < 3; k++) {
		sk_record *c = fresh(db, contacts);
		snprintf(ids[k], sizeof ids[k], "%lld", (long long)tu_insert(db, c));
		sk_record_free(c);
	}
	sk_err err;
	assert_int_equal(sk_delete(db, contacts, strtoll(ids[2], NULL, 10), &err), SK_OK);

	for (size_t i = 0; i < N(cases); i++) {
		char list[128] = "", shown[128] = "", stored[128] = "", ctx[200];
		const char *tmpl[] = {cases[i].list, cases[i].shown, cases[i].stored};
		char *out[] = {list, shown, stored};
		for (int f = 0; f < 3; f++) {
			for (const char *p = tmpl[f]; p && *p; p++) {
				const char *sub = *p == 'A' ? ids[0] : *p == 'B' ? ids[1]
				                  : *p == 'D' ? ids[2] : NULL;
				size_t len = strlen(out[f]);
				if (sub)
					snprintf(out[f] + len, 128 - len, "%s", sub);
				else
					snprintf(out[f] + len, 128 - len, "%c", *p);
			}
		}
		snprintf(ctx, sizeof ctx, "contact_ids \"%s\"", list);
		sk_record *rec = fresh(db, table("engagements"));
		put(rec, "contact_ids", list);
		if (cases[i].reason)
			expect_refused(db, rec, ctx, "contact_ids", shown, cases[i].reason);
		else
			expect_accepted(db, rec, ctx, "contact_ids", stored);
	}
}

/* Bytes that are not UTF-8 are refused in any text column. The message
 * names the byte and does not repeat the bytes themselves. */
static void test_invalid_utf8(void **state)
{
	sk_db *db = DB(state);
	static const struct {
		const char *table, *column, *bytes;
		int at; /* 1-based offset of the first bad byte */
	} cases[] = {
		{"personnel", "last_name", "Ab\xff", 3},
		{"contacts", "native_name", "\xc3\x28", 1},          /* no continuation */
		{"contacts", "native_name", "ok\xe0\x80\x80", 3},    /* overlong */
		{"engagements", "outcomes", "x\xed\xa0\x80", 2},     /* surrogate */
		{"engagements", "objectives", "\xed\xbf\xbfz", 1},   /* last surrogate */
		{"billets", "title", "\xf4\x90\x80\x80", 1},         /* above U+10FFFF */
		{"students", "notes", "abc\xc3", 4},                  /* cut short */
		{"courses", "title", "\xc0\xaf", 1},                  /* overlong '/' */
		{"billets", "billet_number", "P-\x80", 3},            /* lone continuation */
		{"settings", "value", "\xfe", 1},
	};
	for (size_t i = 0; i < N(cases); i++) {
		char ctx[128], reason[64], whole[256];
		snprintf(ctx, sizeof ctx, "%s.%s with a bad byte at %d", cases[i].table,
		         cases[i].column, cases[i].at);
		snprintf(reason, sizeof reason, "not valid UTF-8 (byte %d)", cases[i].at);
		sk_record *rec = fresh(db, table(cases[i].table));
		put(rec, cases[i].column, cases[i].bytes);
		int64_t rows = count_of(db, cases[i].table);
		sk_err err;
		sk_status s = attempt(db, rec, &err);
		expect_message(ctx, s, &err, cases[i].table, cases[i].column, NULL, reason);
		snprintf(whole, sizeof whole, "%s: field \"%s\": %s", cases[i].table,
		         cases[i].column, reason);
		assert_string_equal(err.msg, whole);
		assert_int_equal(count_of(db, cases[i].table), rows);
		sk_record_free(rec);
	}
}

/* A long value is shown cut at 40 bytes, on a character boundary. */
static void test_long_value_shown_cut(void **state)
{
	sk_db *db = DB(state);
	char x60[61], cjk[61], head[200];
	memset(x60, 'x', 60);
	x60[60] = '\0';
	cjk[0] = '\0';
	for (int i = 0; i < 20; i++)
		strcat(cjk, "\xe8\xaa\x9e"); /* U+8A9E, three bytes */

	sk_record *rec = fresh(db, table("billets"));
	put(rec, "role", x60);
	sk_err err;
	assert_int_equal(attempt(db, rec, &err), SK_INVALID);
	snprintf(head, sizeof head, "billets: field \"role\": value \"%.40s...\": not one of ", x60);
	if (strncmp(err.msg, head, strlen(head)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"", err.msg, head);
	sk_record_free(rec);

	rec = fresh(db, table("languages"));
	put(rec, "test_date", cjk);
	assert_int_equal(attempt(db, rec, &err), SK_INVALID);
	/* 40 bytes would split the 14th character: 13 whole ones are shown */
	snprintf(head, sizeof head, "languages: field \"test_date\": value \"%.39s...\": %s",
	         cjk, NOT_DATE);
	assert_string_equal(err.msg, head);
	sk_record_free(rec);
}

/* ---- rule 1: vetting before the travel order ----------------------------- */

static void test_student_vetting_on_insert(void **state)
{
	sk_db *db = DB(state);
	/* Pipeline order; cancellation may come at any stage. */
	static const struct { const char *status; bool needs_vetting; } statuses[] = {
		{"nominated", false}, {"screened", false}, {"vetted", true},
		{"ito_issued", true}, {"in_training", true}, {"completed", true},
		{"returned", true}, {"failed", true}, {"cancelled", false}, {"absent", true},
	};
	static const char *const leahy[] = {"not_submitted", "pending", "approved",
	                                    "denied", "expired"};
	assert_int_equal(sk_enum_student_status.count, N(statuses));
	for (size_t i = 0; i < N(statuses); i++) {
		for (size_t l = 0; l < N(leahy); l++) {
			char ctx[128], reason[96];
			snprintf(ctx, sizeof ctx, "new student %s with vetting %s",
			         statuses[i].status, leahy[l]);
			sk_record *rec = fresh(db, table("students"));
			put(rec, "leahy_status", leahy[l]);
			put(rec, "status", statuses[i].status);
			if (statuses[i].needs_vetting && strcmp(leahy[l], "approved") != 0) {
				snprintf(reason, sizeof reason,
				         "Leahy vetting is \"%s\", not approved", leahy[l]);
				expect_refused(db, rec, ctx, "status", statuses[i].status, reason);
			} else {
				expect_accepted(db, rec, ctx, "status", statuses[i].status);
			}
		}
	}
}

/* Updates step the same student along. */
static void test_student_vetting_on_update(void **state)
{
	sk_db *db = DB(state);
	const sk_table *t = table("students");
	static const struct {
		const char *what;
		const char *leahy;   /* new leahy_status, or NULL to keep */
		const char *status;  /* new status, or NULL to keep */
		const char *school;  /* new school, or NULL to keep */
		bool ok;
	} steps[] = {
		{"pending vetting, to ito_issued", "pending", "ito_issued", NULL, false},
		{"pending vetting, other fields", "pending", NULL, "DLIELC", true},
		{"approved and ito_issued at once", "approved", "ito_issued", NULL, true},
		{"vetting expires after the ITO", "expired", NULL, NULL, true},
		{"ITO issued, vetting expired: other fields", NULL, NULL, "NPS Monterey", true},
		{"expired vetting, on to in_training", NULL, "in_training", NULL, false},
		{"expired vetting, cancelled", NULL, "cancelled", NULL, true},
	};
	sk_record *rec = fresh(db, t);
	put(rec, "status", "nominated");
	int64_t id = tu_insert(db, rec);
	for (size_t i = 0; i < N(steps); i++) {
		sk_record *before = NULL;
		sk_err err;
		assert_int_equal(sk_get_record(db, t, id, &before, &err), SK_OK);
		if (steps[i].leahy)
			put(rec, "leahy_status", steps[i].leahy);
		if (steps[i].status)
			put(rec, "status", steps[i].status);
		if (steps[i].school)
			put(rec, "school", steps[i].school);
		sk_err_clear(&err);
		int64_t audit = count_of(db, "audit_log");
		sk_status s = sk_update(db, rec, &err);
		if (steps[i].ok) {
			if (s != SK_OK)
				fail_msg("%s: refused: %s", steps[i].what, err.msg);
			if (steps[i].school)
				assert_string_equal(sk_get(rec, "school"), steps[i].school);
			assert_int_equal(sk_record_version(rec), sk_record_version(before) + 1);
		} else {
			char reason[96];
			snprintf(reason, sizeof reason, "Leahy vetting is \"%s\", not approved",
			         sk_get(rec, "leahy_status"));
			expect_message(steps[i].what, s, &err, "students", "status",
			               steps[i].status, reason);
			assert_int_equal(count_of(db, "audit_log"), audit);
			sk_record *after = NULL;
			assert_int_equal(sk_get_record(db, t, id, &after, &err), SK_OK);
			assert_string_equal(sk_get(after, "status"), sk_get(before, "status"));
			assert_string_equal(sk_get(after, "leahy_status"),
			                    sk_get(before, "leahy_status"));
			assert_int_equal(sk_record_version(after), sk_record_version(before));
			sk_record_free(rec);
			rec = after;
		}
		sk_record_free(before);
	}
	sk_record_free(rec);
}

/* ---- values core computes -------------------------------------------------- */

typedef struct tcase {
	const char *what;
	const char *arrival;    /* the person's arrival_date */
	const char *due_days;   /* the course's due_within_days */
	const char *recurs;     /* the course's recurs_months */
	const char *due;        /* due_date given */
	const char *completed;  /* completed_date given */
	const char *expires;    /* expires_date given */
	const char *want_due, *want_expires;
} tcase;

static const tcase training_cases[] = {
	{.what = "due after arrival", .arrival = "2026-03-01", .due_days = "90",
	 .want_due = "2026-05-30"},
	{.what = "course to do before arrival", .arrival = "2026-03-01",
	 .want_due = "2026-03-01"},
	{.what = "due on arrival", .arrival = "2026-03-01", .due_days = "0",
	 .want_due = "2026-03-01"},
	{.what = "due across the new year", .arrival = "2026-12-15", .due_days = "30",
	 .want_due = "2027-01-14"},
	{.what = "due across a leap day", .arrival = "2024-01-31", .due_days = "30",
	 .want_due = "2024-03-01"},
	{.what = "a given due date is kept", .arrival = "2026-03-01", .due_days = "90",
	 .due = "2026-04-01", .want_due = "2026-04-01"},
	{.what = "no arrival, no due date", .due_days = "90"},
	{.what = "recurring course done", .arrival = "2026-01-10", .due_days = "30",
	 .recurs = "12", .completed = "2026-02-28", .want_due = "2026-02-09",
	 .want_expires = "2027-02-28"},
	{.what = "done on a leap day", .recurs = "12", .completed = "2024-02-29",
	 .want_expires = "2025-02-28"},
	{.what = "done at the end of a long month", .recurs = "1",
	 .completed = "2026-01-31", .want_expires = "2026-02-28"},
	{.what = "three-year cycle", .recurs = "36", .completed = "2026-11-25",
	 .want_expires = "2029-11-25"},
	{.what = "course taken once", .completed = "2026-02-28"},
	{.what = "recurring course not done yet", .recurs = "12", .arrival = "2026-03-01",
	 .want_due = "2026-03-01"},
	{.what = "a given expiry is kept", .recurs = "12", .completed = "2026-02-28",
	 .expires = "2026-12-31", .want_expires = "2026-12-31"},
};

static bool column_is(const char *ctx, const sk_record *rec, const char *column,
                      const char *want)
{
	const char *got = sk_get(rec, column);
	if ((!want && got && *got) || (want && (!got || strcmp(got, want) != 0))) {
		print_message("# %s: %s is \"%s\", expected \"%s\"\n", ctx, column,
		              got ? got : "(none)", want ? want : "(none)");
		return false;
	}
	return true;
}

static void expect_column(const char *ctx, const sk_record *rec, const char *column,
                          const char *want)
{
	if (!column_is(ctx, rec, column, want))
		fail_msg("%s: wrong %s", ctx, column);
}

/* Inserts a person, a course and a training record of that person for
 * that course; returns the stored training record. */
static sk_record *training_for(sk_db *db, const char *code, const tcase *k)
{
	sk_record *person = sk_record_new(table("personnel"));
	put(person, "last_name", "Rivera");
	put(person, "first_name", "Ana");
	put(person, "service", "army");
	put(person, "arrival_date", k->arrival);
	int64_t person_id = tu_insert(db, person);
	sk_record_free(person);

	sk_record *course = sk_record_new(table("courses"));
	put(course, "code", code);
	put(course, "title", "Test course");
	put(course, "due_within_days", k->due_days);
	put(course, "recurs_months", k->recurs);
	tu_insert(db, course);
	sk_record_free(course);

	sk_record *rec = sk_record_new(table("staff_training"));
	assert_int_equal(sk_set_int(rec, "person_id", person_id), SK_OK);
	put(rec, "course_code", code);
	put(rec, "due_date", k->due);
	put(rec, "completed_date", k->completed);
	put(rec, "expires_date", k->expires);
	int64_t id = tu_insert(db, rec);
	sk_record_free(rec);
	sk_record *back = NULL;
	sk_err err;
	if (sk_get_record(db, table("staff_training"), id, &back, &err) != SK_OK)
		fail_msg("cannot read training record %lld back: %s", (long long)id, err.msg);
	return back;
}

/* Every case runs; the failures are listed together. */
static void test_training_dates(void **state)
{
	sk_db *db = DB(state);
	int failed = 0;
	for (size_t i = 0; i < N(training_cases); i++) {
		const tcase *k = &training_cases[i];
		char code[32];
		snprintf(code, sizeof code, "TC-%zu", i);
		sk_record *back = training_for(db, code, k);
		failed += !column_is(k->what, back, "due_date", k->want_due);
		failed += !column_is(k->what, back, "expires_date", k->want_expires);
		sk_record_free(back);
	}
	if (failed)
		fail_msg("%d computed training dates are wrong", failed);
}

/* A blank value (as a form or a CSV cell gives it) in a computed column is
 * no value: core stores NULL for it, so it computes the value as for NULL. */
static void test_blank_computed_values(void **state)
{
	sk_db *db = DB(state);
	int failed = 0;
	const tcase blank_due = {.what = "training record with a blank due_date",
	                         .arrival = "2026-03-01", .due_days = "90", .due = "",
	                         .recurs = "12", .completed = "2026-04-10",
	                         .expires = ""};
	sk_record *back = training_for(db, "BLANK-1", &blank_due);
	failed += !column_is(blank_due.what, back, "due_date", "2026-05-30");
	failed += !column_is(blank_due.what, back, "expires_date", "2027-04-10");
	sk_record_free(back);

	sk_record *rec = sk_record_new(table("programs"));
	put(rec, "authority", "imet");
	put(rec, "title", "IMET FY27");
	put(rec, "status_date", "");
	tu_insert(db, rec);
	failed += !column_is("program with a blank status_date", rec, "status_date", TODAY);
	sk_record_free(rec);
	if (failed)
		fail_msg("%d blank values were not computed", failed);
}

/* A recurring course completed later, on update, gets its expiry then. */
static void test_training_expiry_on_update(void **state)
{
	sk_db *db = DB(state);
	sk_record *person = sk_record_new(table("personnel"));
	put(person, "last_name", "Okafor");
	put(person, "first_name", "Chidi");
	put(person, "service", "navy");
	put(person, "arrival_date", "2026-05-01");
	int64_t person_id = tu_insert(db, person);
	sk_record_free(person);
	sk_record *course = sk_record_new(table("courses"));
	put(course, "code", "AT-L1");
	put(course, "title", "Antiterrorism Level I");
	put(course, "due_within_days", "30");
	put(course, "recurs_months", "12");
	tu_insert(db, course);
	sk_record_free(course);

	sk_record *rec = sk_record_new(table("staff_training"));
	assert_int_equal(sk_set_int(rec, "person_id", person_id), SK_OK);
	put(rec, "course_code", "AT-L1");
	tu_insert(db, rec);
	expect_column("before completion", rec, "due_date", "2026-05-31");
	expect_column("before completion", rec, "expires_date", NULL);
	put(rec, "completed_date", "2026-06-15");
	sk_err err;
	if (sk_update(db, rec, &err) != SK_OK)
		fail_msg("update: %s", err.msg);
	expect_column("after completion", rec, "due_date", "2026-05-31");
	expect_column("after completion", rec, "expires_date", "2027-06-15");
	sk_record_free(rec);
}

/* programs.status_date: the day the program entered its status. */
static void test_program_status_date(void **state)
{
	sk_db *db = DB(state);
	const sk_table *t = table("programs");
	sk_err err;

	sk_record *rec = sk_record_new(t);
	put(rec, "authority", "fms");
	put(rec, "case_id", "BN-B-OBS");
	put(rec, "title", "Patrol boats");
	tu_insert(db, rec);
	expect_column("new program", rec, "status_date", TODAY);
	sk_record_free(rec);

	static const struct {
		const char *what;
		const char *status, *status_date, *title; /* changes, NULL: keep */
		const char *want;
	} steps[] = {
		{"inserted with its date", NULL, NULL, NULL, "2026-01-05"},
		{"other fields change", NULL, NULL, "Patrol boats, phase 2", "2026-01-05"},
		{"status changes", "active", NULL, NULL, TODAY},
		{"status changes with a date given", "complete", "2026-10-01", NULL, "2026-10-01"},
		{"date corrected by hand", NULL, "2026-09-30", NULL, "2026-09-30"},
		{"status changes again", "active", NULL, NULL, TODAY},
	};
	/* a program that is no case (a case dates its status from its
	 * milestones: test_case_country_and_status_date) */
	rec = sk_record_new(t);
	put(rec, "authority", "other");
	put(rec, "case_id", "BN-D-AAC");
	put(rec, "title", "Patrol boats");
	put(rec, "status_date", "2026-01-05");
	int64_t id = tu_insert(db, rec);
	for (size_t i = 0; i < N(steps); i++) {
		if (steps[i].status)
			put(rec, "status", steps[i].status);
		if (steps[i].status_date)
			put(rec, "status_date", steps[i].status_date);
		if (steps[i].title)
			put(rec, "title", steps[i].title);
		if (i > 0 && sk_update(db, rec, &err) != SK_OK)
			fail_msg("%s: %s", steps[i].what, err.msg);
		sk_record *back = NULL;
		assert_int_equal(sk_get_record(db, t, id, &back, &err), SK_OK);
		expect_column(steps[i].what, back, "status_date", steps[i].want);
		sk_record_free(back);
	}
	sk_record_free(rec);
}

/* Codes, dates, numbers and references are stored without the spaces
 * around them (a form's field, a CSV cell); free text keeps its own. */
static void test_spaces_around_values(void **state)
{
	sk_db *db = DB(state);
	sk_record *course = sk_record_new(table("courses"));
	put(course, "code", "  SP-1 ");
	put(course, "title", "  A title with its spaces  ");
	put(course, "due_within_days", " 30 ");
	int64_t cid = tu_insert(db, course);
	sk_record_free(course);
	sk_record *back = NULL;
	sk_err err;
	assert_int_equal(sk_get_record(db, table("courses"), cid, &back, &err), SK_OK);
	expect_column("course code", back, "code", "SP-1");
	expect_column("course days", back, "due_within_days", "30");
	expect_column("course title", back, "title", "  A title with its spaces  ");
	sk_record_free(back);

	sk_record *person = sk_record_new(table("personnel"));
	put(person, "last_name", "Rivera");
	put(person, "first_name", "Ana");
	put(person, "service", " army\t");
	put(person, "grade", " O-4 ");
	put(person, "arrival_date", " 2026-03-01 ");
	put(person, "notes", " kept ");
	int64_t pid = tu_insert(db, person);
	sk_record_free(person);
	assert_int_equal(sk_get_record(db, table("personnel"), pid, &back, &err), SK_OK);
	expect_column("service", back, "service", "army");
	expect_column("grade", back, "grade", "O-4");
	expect_column("arrival", back, "arrival_date", "2026-03-01");
	expect_column("notes", back, "notes", " kept ");
	sk_record_free(back);

	/* a reference by code with spaces: the course, found */
	sk_record *rec = sk_record_new(table("staff_training"));
	assert_int_equal(sk_set_int(rec, "person_id", pid), SK_OK);
	put(rec, "course_code", " SP-1  ");
	expect_accepted(db, rec, "a course code with spaces", "course_code", "SP-1");
}

/* The same refusal for a screen: labels and words, not columns and codes;
 * the message for the command line keeps the columns. */
static void test_says_in_labels(void **state)
{
	sk_db *db = DB(state);
	sk_err err;
	sk_record *st = fresh(db, table("students"));
	put(st, "leahy_status", "pending");
	put(st, "status", "ito_issued");
	sk_status s = sk_insert(db, st, &err);
	expect_message("vetting", s, &err, "students", "status", "ito_issued",
	               "Leahy vetting is \"pending\", not approved");
	assert_string_equal(err.says, "Leahy vetting is Pending; ITO issued needs Approved");
	sk_record_free(st);

	sk_record *p = fresh(db, table("personnel"));
	put(p, "arrival_date", "2026-03-01");
	put(p, "deros_date", "2026-02-01");
	s = sk_insert(db, p, &err);
	expect_message("dates", s, &err, "personnel", "deros_date", "2026-02-01",
	               "is before arrival_date (2026-03-01)");
	assert_string_equal(err.says, "DEROS 2026-02-01 is before Arrived 2026-03-01");
	put(p, "deros_date", NULL);
	put(p, "service", "navvy");
	s = sk_insert(db, p, &err);
	expect_message("service", s, &err, "personnel", "service", "navvy", "not one of army");
	if (strncmp(err.says, "Service: not one of Army, ", 26) != 0)
		fail_msg("says \"%s\"", err.says);
	put(p, "service", "army");
	put(p, "grade", "X-99");
	s = sk_insert(db, p, &err);
	if (strncmp(err.says, "Grade \"X-99\": not a grade", 25) != 0)
		fail_msg("says \"%s\"", err.says);
	put(p, "grade", NULL);
	put(p, "last_name", NULL);
	s = sk_insert(db, p, &err);
	assert_int_equal(s, SK_INVALID);
	assert_string_equal(err.says, "Last name: required, but empty");
	sk_record_free(p);
	/* a failure that is not a value's says nothing of its own */
	s = sk_delete(db, table("audit_log"), 1, &err);
	assert_int_not_equal(s, SK_OK);
	assert_string_equal(err.says, "");
}

/* A save refused leaves the record as it was handed over: a due date
 * core would compute is not kept from the refused try, and the corrected
 * save computes it from the corrected values. */
static void test_refused_then_fixed_training(void **state)
{
	sk_db *db = DB(state);
	tcase k = {.what = "refused then fixed", .arrival = "2026-03-01", .due_days = "90"};
	sk_record *first = training_for(db, "RF-0", &k);
	int64_t person = strtoll(sk_get(first, "person_id"), NULL, 10);
	sk_record_free(first);
	sk_record *c2 = sk_record_new(table("courses"));
	put(c2, "code", "RF-1");
	put(c2, "title", "The other course");
	put(c2, "due_within_days", "10");
	tu_insert(db, c2);
	sk_record_free(c2);

	sk_record *rec = sk_record_new(table("staff_training"));
	assert_int_equal(sk_set_int(rec, "person_id", person), SK_OK);
	put(rec, "course_code", "RF-0");
	put(rec, "completed_date", "2026-04-01");
	put(rec, "expires_date", "2026-03-15");
	sk_err err;
	assert_int_equal(sk_insert(db, rec, &err), SK_INVALID);
	assert_null(sk_get(rec, "due_date"));
	/* fixed: another course, and no expiry given */
	put(rec, "course_code", "RF-1");
	put(rec, "expires_date", NULL);
	if (sk_insert(db, rec, &err) != SK_OK)
		fail_msg("%s", err.msg);
	expect_column("fixed", rec, "due_date", "2026-03-11");
	sk_record_free(rec);
}

/* Security vetting before the travel order: refused on a move to ITO
 * issued or after unless complete; an import's row without the column (a
 * file from before it) is history; a Leahy approval that will have lapsed
 * by the report date refuses the travel order. */
static void test_student_security_and_lapse(void **state)
{
	sk_db *db = DB(state);
	sk_err err;
	static const char *const after[] = {"ito_issued", "in_training", "completed", "failed",
	                                    "absent"};
	for (size_t i = 0; i < N(after); i++) {
		char ctx[96];
		snprintf(ctx, sizeof ctx, "new student %s, security vetting pending", after[i]);
		sk_record *rec = fresh(db, table("students"));
		put(rec, "leahy_status", "approved");
		put(rec, "security_vetting", "pending");
		put(rec, "status", after[i]);
		expect_refused(db, rec, ctx, "status", after[i],
		               "security vetting is \"pending\", not complete");
	}
	sk_record *rec = fresh(db, table("students"));
	put(rec, "leahy_status", "approved");
	put(rec, "security_vetting", "derogatory");
	put(rec, "status", "ito_issued");
	assert_int_equal(sk_insert(db, rec, &err), SK_INVALID);
	assert_string_equal(err.says, "Security vetting is Derogatory; ITO issued needs Complete");
	/* vetted needs no security vetting yet */
	put(rec, "status", "vetted");
	expect_accepted(db, rec, "vetted, security derogatory", "status", "vetted");

	/* an import: no value is a file from before the column; a value is checked */
	rec = fresh(db, table("students"));
	put(rec, "leahy_status", "approved");
	put(rec, "security_vetting", NULL);
	put(rec, "status", "completed");
	if (sk_insert_ex(db, rec, SK_W_IMPORT, &err) != SK_OK)
		fail_msg("import of history refused: %s", err.msg);
	sk_record_free(rec);
	rec = fresh(db, table("students"));
	put(rec, "leahy_status", "approved");
	put(rec, "security_vetting", "pending");
	put(rec, "status", "completed");
	assert_int_equal(sk_insert_ex(db, rec, SK_W_IMPORT, &err), SK_INVALID);
	/* ... the form's new record without it is refused */
	put(rec, "security_vetting", NULL);
	assert_int_equal(sk_insert(db, rec, &err), SK_INVALID);
	assert_non_null(strstr(err.msg, "security vetting is \"none\", not complete"));
	sk_record_free(rec);

	/* the approval lapses (365 days) before the report date */
	rec = fresh(db, table("students"));
	put(rec, "leahy_status", "approved");
	put(rec, "leahy_date", "2026-01-10");
	put(rec, "report_date", "2027-01-11");
	put(rec, "start_date", "2027-01-18");
	put(rec, "end_date", "2027-03-01");
	put(rec, "status", "vetted");
	int64_t id = tu_insert(db, rec);
	sk_record_free(rec);
	assert_int_equal(sk_get_record(db, table("students"), id, &rec, &err), SK_OK);
	put(rec, "status", "ito_issued");
	sk_status s = sk_update(db, rec, &err);
	expect_message("lapsed", s, &err, "students", "status", "ito_issued",
	               "the Leahy approval of 2026-01-10 lapses 2027-01-10, before the report date "
	               "2027-01-11");
	/* on the report date itself it still holds */
	put(rec, "report_date", "2027-01-10");
	if (sk_update(db, rec, &err) != SK_OK)
		fail_msg("valid approval refused: %s", err.msg);
	sk_record_free(rec);
}

/* A program's milestone dates, to clear those fresh() gives. */
static const char *const dates[] = {"lor_date", "aod_date", "offer_date", "oed_date",
                                    "accepted_date", "implemented_date", "ssc_date",
                                    "closed_date"};

/* Milestone dates in order where each is given: each against the
 * nearest earlier one given, the offer before its expiry. */
static void test_milestone_order(void **state)
{
	sk_db *db = DB(state);
	static const struct {
		const char *set[8]; /* column, value pairs */
		const char *field, *reason;
	} cases[] = {
		{{"lor_date", "2026-03-01", "implemented_date", "2026-02-01"}, "implemented_date",
		 "is before lor_date (2026-03-01)"},
		{{"accepted_date", "2026-03-01", "closed_date", "2026-02-01"}, "closed_date",
		 "is before accepted_date (2026-03-01)"},
		{{"offer_date", "2026-03-01", "oed_date", "2026-02-01"}, "oed_date",
		 "is before offer_date (2026-03-01)"},
		{{"implemented_date", "2026-03-01", "ssc_date", "2026-02-28"}, "ssc_date",
		 "is before implemented_date (2026-03-01)"},
		{{"lor_date", "2026-01-01", "ssc_date", "2026-03-01", "closed_date", "2026-03-01"}, NULL,
		 NULL},
	};
	for (size_t i = 0; i < N(cases); i++) {
		char ctx[64];
		snprintf(ctx, sizeof ctx, "milestones %zu", i);
		sk_record *rec = fresh(db, table("programs"));
		for (size_t d = 0; d < N(dates); d++)
			put(rec, dates[d], NULL);
		for (size_t k = 0; k + 1 < N(cases[i].set) && cases[i].set[k]; k += 2)
			put(rec, cases[i].set[k], cases[i].set[k + 1]);
		if (cases[i].field)
			expect_refused(db, rec, ctx, cases[i].field, sk_get(rec, cases[i].field),
			               cases[i].reason);
		else
			expect_accepted(db, rec, ctx, NULL, NULL);
	}
}

/* A case id begins with the office's country code when one is set; a
 * case's status dates from its milestone. */
static void test_case_country_and_status_date(void **state)
{
	sk_db *db = DB(state);
	sk_err err;
	sk_record *rec = fresh(db, table("programs"));
	put(rec, "case_id", "BN-B-CCA");
	put(rec, "implementing_agency", "B");
	assert_int_equal(sk_setting_set(db, "country_code", "QV", &err), SK_OK);
	sk_status s = sk_insert(db, rec, &err);
	expect_message("country", s, &err, "programs", "case_id", "BN-B-CCA",
	               "does not begin with the country code QV");
	assert_string_equal(err.says, "Case BN-B-CCA does not begin with the country code QV");
	put(rec, "case_id", "QV-B-CCA");
	put(rec, "authority", "fms");
	for (size_t i = 0; i < N(dates); i++)
		put(rec, dates[i], NULL);
	put(rec, "lor_date", "2026-09-01");
	put(rec, "accepted_date", "2026-11-01");
	put(rec, "status", "accepted");
	put(rec, "status_date", NULL);
	if (sk_insert(db, rec, &err) != SK_OK)
		fail_msg("%s", err.msg);
	expect_column("accepted on its date", rec, "status_date", "2026-11-01");
	/* back-dated acceptance: the status dates from it, not from the edit */
	put(rec, "status", "implemented");
	put(rec, "implemented_date", "2026-11-20");
	assert_int_equal(sk_update(db, rec, &err), SK_OK);
	expect_column("implemented on its date", rec, "status_date", "2026-11-20");
	assert_int_equal(sk_setting_set(db, "country_code", "", &err), SK_OK);
	sk_record_free(rec);
	/* a program that is no case dates its status from the change */
	rec = fresh(db, table("programs"));
	put(rec, "authority", "imet");
	for (size_t i = 0; i < N(dates); i++)
		put(rec, dates[i], NULL);
	put(rec, "case_id", NULL);
	put(rec, "implementing_agency", NULL);
	put(rec, "implemented_date", "2026-10-01");
	put(rec, "status", "active");
	put(rec, "status_date", NULL);
	if (sk_insert(db, rec, &err) != SK_OK)
		fail_msg("%s", err.msg);
	expect_column("IMET", rec, "status_date", TODAY);
	/* a case's status needs its milestone date; a program that is no case,
	 * none */
	sk_record *c = fresh(db, table("programs"));
	for (size_t i = 0; i < N(dates); i++)
		put(c, dates[i], NULL);
	put(c, "status", "offered");
	s = sk_insert(db, c, &err);
	expect_message("offered", s, &err, "programs", "status", "offered",
	               "a case in this status needs its offer_date");
	assert_string_equal(err.says, "Offered needs a date in Offered");
	put(c, "status", "lor_received"); /* where a new case starts, its LOR date not yet known */
	if (sk_insert(db, c, &err) != SK_OK)
		fail_msg("%s", err.msg);
	sk_record_free(c);
	assert_null(sk_get(rec, "next_milestone"));
	sk_record_free(rec);
}

/* Each authority its own lifecycle: a case runs LOR received to Closed;
 * IMET and the other programs that are not cases are Planned, Active,
 * Complete; both may be Cancelled. A new program that is not a case,
 * left at the default LOR received, is Planned. */
static void test_program_lifecycle(void **state)
{
	sk_db *db = DB(state);
	const sk_table *t = table("programs");
	sk_err err;
	sk_record *rec = fresh(db, t);
	put(rec, "authority", "imet");
	put(rec, "case_id", NULL);
	put(rec, "implementing_agency", NULL);
	put(rec, "status", "implemented");
	expect_refused(db, rec, "IMET implemented", "status", "implemented",
	               "imet is not a case: its status is one of planned, active, complete");
	rec = fresh(db, t);
	put(rec, "status", "active");
	expect_refused(db, rec, "FMS active", "status", "active",
	               "fms is a case: its status is one of lor_received");
	rec = fresh(db, t);
	put(rec, "authority", "s333");
	put(rec, "status", "complete");
	assert_int_equal(sk_insert(db, rec, &err), SK_INVALID);
	assert_string_equal(err.says, "Sec. 333 is a case: Status is LOR received ... Closed or "
	                              "Cancelled");
	sk_record_free(rec);
	/* the default, on a program that is not a case */
	rec = fresh(db, t);
	put(rec, "authority", "s345");
	put(rec, "case_id", NULL);
	put(rec, "implementing_agency", NULL);
	put(rec, "status", "lor_received");
	expect_accepted(db, rec, "Sec. 345 left at the default", "status", "planned");
	rec = fresh(db, t);
	put(rec, "authority", "incle");
	put(rec, "case_id", NULL);
	put(rec, "implementing_agency", NULL);
	put(rec, "status", "cancelled");
	expect_accepted(db, rec, "INCLE cancelled", "status", "cancelled");
	rec = fresh(db, t);
	put(rec, "status", "cancelled");
	expect_accepted(db, rec, "FMS cancelled", "status", "cancelled");
	/* a case turned into IMET keeps no case status; only at insert is
	 * LOR received read as Planned */
	rec = fresh(db, t);
	tu_insert(db, rec);
	put(rec, "authority", "imet");
	put(rec, "case_id", NULL);
	put(rec, "implementing_agency", NULL);
	assert_int_equal(sk_update(db, rec, &err), SK_INVALID);
	assert_non_null(strstr(err.msg, "imet is not a case"));
	put(rec, "status", "active");
	if (sk_update(db, rec, &err) != SK_OK)
		fail_msg("IMET made active: %s", err.msg);
	sk_record *back = NULL;
	assert_int_equal(sk_get_record(db, t, sk_record_id(rec), &back, &err), SK_OK);
	expect_column("IMET active", back, "status", "active");
	assert_null(sk_get(back, "next_milestone"));
	sk_record_free(back);
	sk_record_free(rec);
}

static int64_t trainings(sk_db *db, int64_t person, const char *course)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM staff_training WHERE person_id = %lld"
	         " AND course_code = '%s' AND deleted_at IS NULL", (long long)person, course);
	return tu_int(db, sql);
}

/* A person not yet stored: name, service and (when not NULL) billet. */
static sk_record *new_person(const char *last, const char *first, const char *service,
                             const char *billet)
{
	sk_record *p = sk_record_new(table("personnel"));
	put(p, "last_name", last);
	put(p, "first_name", first);
	put(p, "service", service);
	put(p, "billet_number", billet);
	return p;
}

/* Required training from the catalogue: a person added gets a record of
 * each course that applies to them, due as the course says; a change of
 * arrival adds none twice; a recurring course completed brings the next
 * record, due at expiry; an import brings its own. */
static void test_required_training(void **state)
{
	sk_db *db = DB(state);
	sk_err err;
	static const struct { const char *code, *to, *days, *recurs; } courses[] = {
		{"RQ-ALL", "all", "30", "12"}, {"RQ-US", "us_staff", "90", NULL},
		{"RQ-LES", "les", "60", NULL}, {"RQ-CHF", "chief", "10", NULL},
	};
	for (size_t i = 0; i < N(courses); i++) {
		sk_record *c = sk_record_new(table("courses"));
		put(c, "code", courses[i].code);
		put(c, "title", "Required");
		put(c, "applies_to", courses[i].to);
		put(c, "due_within_days", courses[i].days);
		put(c, "recurs_months", courses[i].recurs);
		tu_insert(db, c);
		sk_record_free(c);
	}
	sk_record *p = new_person("Rivera", "Ana", "army", NULL);
	put(p, "arrival_date", "2026-03-01");
	int64_t us = tu_insert(db, p);
	assert_int_equal(trainings(db, us, "RQ-ALL"), 1);
	assert_int_equal(trainings(db, us, "RQ-US"), 1);
	assert_int_equal(trainings(db, us, "RQ-LES"), 0);
	assert_int_equal(trainings(db, us, "RQ-CHF"), 0);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT due_date = '2026-05-30' FROM staff_training WHERE"
	         " person_id = %lld AND course_code = 'RQ-US'", (long long)us);
	assert_int_equal(tu_int(db, sql), 1);
	/* a new arrival date: nothing twice */
	put(p, "arrival_date", "2026-04-01");
	assert_int_equal(sk_update(db, p, &err), SK_OK);
	assert_int_equal(trainings(db, us, "RQ-ALL"), 1);
	sk_record_free(p);

	/* an LES hire gets the LES course, not the U.S. staff one */
	p = new_person("Petrova", "Ilka", "les", NULL);
	int64_t les = tu_insert(db, p);
	sk_record_free(p);
	assert_int_equal(trainings(db, les, "RQ-LES"), 1);
	assert_int_equal(trainings(db, les, "RQ-US"), 0);

	/* the chief's course goes to whoever holds a billet whose role is
	 * chief or SDO/DATT (the office's senior leaders), and to nobody
	 * else; moving onto such a billet brings it */
	static const struct { const char *number, *role; } billets[] = {
		{"RQ-B1", "chief"}, {"RQ-B2", "deputy"}, {"RQ-B3", "sdo_datt"},
	};
	for (size_t i = 0; i < N(billets); i++) {
		sk_record *b = sk_record_new(table("billets"));
		put(b, "billet_number", billets[i].number);
		put(b, "title", "Required training billet");
		put(b, "role", billets[i].role);
		tu_insert(db, b);
		sk_record_free(b);
	}
	p = new_person("Sato", "Ken", "air_force", "RQ-B1");
	int64_t chief = tu_insert(db, p);
	sk_record_free(p);
	assert_int_equal(trainings(db, chief, "RQ-CHF"), 1);
	assert_int_equal(trainings(db, chief, "RQ-US"), 1);
	p = new_person("Ndiaye", "Awa", "army", "RQ-B2");
	int64_t deputy = tu_insert(db, p);
	assert_int_equal(trainings(db, deputy, "RQ-CHF"), 0);
	put(p, "billet_number", "RQ-B1");
	assert_int_equal(sk_update(db, p, &err), SK_OK);
	sk_record_free(p);
	assert_int_equal(trainings(db, deputy, "RQ-CHF"), 1);
	p = new_person("Lindqvist", "Eva", "navy", "RQ-B3");
	int64_t sdo = tu_insert(db, p);
	sk_record_free(p);
	assert_int_equal(trainings(db, sdo, "RQ-CHF"), 1);

	/* completing the recurring course: the next record, due at expiry */
	snprintf(sql, sizeof sql, "SELECT id FROM staff_training WHERE person_id = %lld AND"
	         " course_code = 'RQ-ALL'", (long long)us);
	sk_record *t = NULL;
	assert_int_equal(sk_get_record(db, table("staff_training"), tu_int(db, sql), &t, &err), SK_OK);
	put(t, "completed_date", "2026-04-10");
	assert_int_equal(sk_update(db, t, &err), SK_OK);
	sk_record_free(t);
	assert_int_equal(trainings(db, us, "RQ-ALL"), 2);
	snprintf(sql, sizeof sql, "SELECT due_date = '2027-04-10' FROM staff_training WHERE"
	         " person_id = %lld AND course_code = 'RQ-ALL' AND completed_date IS NULL",
	         (long long)us);
	assert_int_equal(tu_int(db, sql), 1);

	/* an import brings its own records */
	p = new_person("Okoro", "Ben", "navy", NULL);
	assert_int_equal(sk_insert_ex(db, p, SK_W_IMPORT, &err), SK_OK);
	assert_int_equal(trainings(db, sk_record_id(p), "RQ-ALL"), 0);
	sk_record_free(p);
}

/* A check sees only its own case's items (sk_row_eum_check_items,
 * sk_row_eum_checks, sk_row_eum_items), as the form writes a line, a
 * check and an item: added and changed. */
static void test_check_line_of_its_case(void **state)
{
	sk_db *db = DB(state);
	const sk_table *lines = table("eum_check_items");
	sk_record *line = fresh(db, lines);
	sk_record *other = fresh(db, table("eum_items")); /* on a case of its own */
	int64_t other_id = tu_insert(db, other);
	char id[24], reason[200];
	snprintf(id, sizeof id, "%lld", (long long)other_id);
	sk_record *check = NULL, *prog = NULL;
	sk_err err;
	assert_int_equal(sk_get_record(db, table("eum_checks"),
	                               strtoll(sk_get(line, "check_id"), NULL, 10), &check, &err),
	                 SK_OK);
	assert_int_equal(sk_get_record(db, table("programs"),
	                               strtoll(sk_get(other, "program_id"), NULL, 10), &prog, &err),
	                 SK_OK);
	snprintf(reason, sizeof reason, "the item is on case %s, check %s on case ",
	         sk_get(prog, "case_id"), sk_get(line, "check_id"));
	char first[24]; /* the check's case, the line's first item's */
	snprintf(first, sizeof first, "%s", sk_get(check, "program_id"));
	sk_record *cross = sk_record_dup(line);
	assert_non_null(cross);
	put(cross, "item_id", id);
	expect_refused(db, cross, "a line naming another case's item", "item_id", id, reason);

	/* the line of its own case goes in; moved to the other item, refused */
	int64_t line_id = tu_insert(db, line);
	put(line, "item_id", id);
	sk_err_clear(&err);
	sk_status s = sk_update(db, line, &err);
	expect_message("a line changed to another case's item", s, &err, "eum_check_items",
	               "item_id", id, reason);
	sk_record *back = NULL;
	assert_int_equal(sk_get_record(db, lines, line_id, &back, &err), SK_OK);
	assert_string_not_equal(sk_get(back, "item_id"), id);

	/* a check that names no case may see any item */
	put(check, "program_id", NULL);
	assert_int_equal(sk_update(db, check, &err), SK_OK);
	sk_record_free(back);
	back = NULL;
	assert_int_equal(sk_get_record(db, lines, line_id, &back, &err), SK_OK);
	put(back, "item_id", id);
	if (sk_update(db, back, &err) != SK_OK)
		fail_msg("a check without a case refused another case's item: %s", err.msg);

	/* from the other side: the check may not take a case its lines are
	 * not of, nor the item leave the case of the check it is on */
	char line_no[24];
	snprintf(line_no, sizeof line_no, "line %lld", (long long)line_id);
	sk_record *again = NULL;
	assert_int_equal(sk_get_record(db, table("eum_checks"), sk_record_id(check), &again, &err),
	                 SK_OK);
	put(again, "program_id", first);
	sk_err_clear(&err);
	s = sk_update(db, again, &err);
	expect_message("a check given a case its lines are not of", s, &err, "eum_checks",
	               "program_id", first, "its check lines are of another case (line");
	if (!strstr(err.msg, line_no))
		fail_msg("the refusal does not name %s: %s", line_no, err.msg);
	put(again, "program_id", sk_get(other, "program_id"));
	if (sk_update(db, again, &err) != SK_OK)
		fail_msg("the check refused its lines' case: %s", err.msg);
	sk_record *moved = NULL;
	assert_int_equal(sk_get_record(db, table("eum_items"), other_id, &moved, &err), SK_OK);
	put(moved, "program_id", first);
	sk_err_clear(&err);
	s = sk_update(db, moved, &err);
	expect_message("an item moved off the case of the check it is on", s, &err, "eum_items",
	               "program_id", first, "its check lines are of another case (line");
	sk_record_free(moved);
	sk_record_free(again);
	sk_record_free(back);
	sk_record_free(line);
	sk_record_free(other);
	sk_record_free(check);
	sk_record_free(prog);
}

/* A line restored after its check took another case is refused: the
 * rule holds for a restore as for a write (set_deleted runs the table's
 * rule on the record it brings back). */
static void test_restore_keeps_case(void **state)
{
	sk_db *db = DB(state);
	sk_record *line = fresh(db, table("eum_check_items"));
	int64_t line_id = tu_insert(db, line);
	sk_err err;
	assert_int_equal(sk_delete(db, table("eum_check_items"), line_id, &err), SK_OK);
	sk_record *prog = fresh(db, table("programs"));
	int64_t prog_id = tu_insert(db, prog);
	sk_record *check = NULL;
	assert_int_equal(sk_get_record(db, table("eum_checks"),
	                               strtoll(sk_get(line, "check_id"), NULL, 10), &check, &err),
	                 SK_OK);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)prog_id);
	put(check, "program_id", id);
	if (sk_update(db, check, &err) != SK_OK)
		fail_msg("a check without live lines refused a new case: %s", err.msg);
	sk_err_clear(&err);
	sk_status s = sk_restore(db, table("eum_check_items"), line_id, &err);
	expect_message("a line restored beside a check of another case", s, &err, "eum_check_items",
	               "item_id", sk_get(line, "item_id"), "a check sees only its own case's items");
	sk_record *back = NULL;
	assert_int_equal(sk_get_record(db, table("eum_check_items"), line_id, &back, &err), SK_OK);
	assert_non_null(sk_get(back, "deleted_at"));
	/* the check back on its item's case: the line comes back */
	sk_record *item = NULL;
	assert_int_equal(sk_get_record(db, table("eum_items"),
	                               strtoll(sk_get(line, "item_id"), NULL, 10), &item, &err),
	                 SK_OK);
	put(check, "program_id", sk_get(item, "program_id"));
	assert_int_equal(sk_update(db, check, &err), SK_OK);
	if (sk_restore(db, table("eum_check_items"), line_id, &err) != SK_OK)
		fail_msg("the line was not restored beside its case's check: %s", err.msg);
	sk_record_free(item);
	sk_record_free(back);
	sk_record_free(check);
	sk_record_free(prog);
	sk_record_free(line);
}

/* A case type is an LOA case's: refused on a program of any other
 * authority (IMET and the rest), on insert and when a case becomes one;
 * taken on each case authority, and a case may have none. */
static void test_case_type_for_cases(void **state)
{
	sk_db *db = DB(state);
	const sk_table *t = table("programs");
	static const char *const cases[] = {"fms", "fmf", "s333", "eda"};
	static const char *const others[] = {"imet", "s345", "incle", "cn", "other"};
	char ctx[64], reason[96];
	for (size_t i = 0; i < N(cases); i++) {
		snprintf(ctx, sizeof ctx, "case type on %s", cases[i]);
		sk_record *rec = fresh(db, t);
		put(rec, "authority", cases[i]);
		put(rec, "case_type", i % 2 ? "bpc" : "training");
		expect_accepted(db, rec, ctx, "case_type", i % 2 ? "bpc" : "training");
	}
	sk_record *none = fresh(db, t);
	put(none, "case_type", NULL);
	expect_accepted(db, none, "an FMS case without a case type", NULL, NULL);
	for (size_t i = 0; i < N(others); i++) {
		snprintf(ctx, sizeof ctx, "case type on %s", others[i]);
		snprintf(reason, sizeof reason, "only a case (authority fms, fmf, s333 or eda) has a "
		         "case type; authority is %s", others[i]);
		sk_record *rec = fresh(db, t);
		put(rec, "authority", others[i]);
		put(rec, "case_id", NULL);
		put(rec, "case_type", "training");
		expect_refused(db, rec, ctx, "case_type", "training", reason);
		rec = fresh(db, t);
		put(rec, "authority", others[i]);
		put(rec, "case_id", NULL);
		put(rec, "case_type", NULL);
		expect_accepted(db, rec, ctx, NULL, NULL);
	}
	/* an FMS training case made IMET keeps its case type: refused */
	sk_record *rec = fresh(db, t);
	put(rec, "case_type", "training");
	int64_t id = tu_insert(db, rec);
	sk_record_free(rec);
	sk_err err;
	assert_int_equal(sk_get_record(db, t, id, &rec, &err), SK_OK);
	put(rec, "authority", "imet");
	put(rec, "status", "planned"); /* a status IMET has: the case type is what is wrong */
	expect_message("FMS case made IMET", sk_update(db, rec, &err), &err, "programs",
	               "case_type", "training",
	               "only a case (authority fms, fmf, s333 or eda) has a case type; authority is imet");
	sk_record_free(rec);
}

int main(void)
{
	/* The cases are written against this calendar. */
	setenv("SCODESK_TODAY", TODAY, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enumerations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_grades, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sc_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sc_level_cert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique_within, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_case_id_is_no_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_references, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contact_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_value_shown_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_student_vetting_on_insert, setup, teardown),
		cmocka_unit_test_setup_teardown(test_student_vetting_on_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_training_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_training_expiry_on_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_blank_computed_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_status_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spaces_around_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_says_in_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_then_fixed_training, setup, teardown),
		cmocka_unit_test_setup_teardown(test_student_security_and_lapse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_country_and_status_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_milestone_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_type_for_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_line_of_its_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_keeps_case, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required_training, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
