/*
 * test_typed.c: what a person types into a field, made sense of by core
 * (scodesk/typed.h): references given by key, id, code in another case,
 * name or words, on the demo office, one and several; and dates given
 * relative to today.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scodesk/demo.h"
#include "scodesk/typed.h"
#include "testutil.h"

static int setup(void **state)
{
	static tu_db t;
	tu_open(&t);
	sk_err e;
	if (sk_demo_fill(t.db, &e) != SK_OK)
		fail_msg("demo: %s", e.msg);
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	tu_close(*state);
	return 0;
}

static const sk_column *column(const char *table, const char *name)
{
	const sk_column *c = sk_column_find(sk_table_find(table), name);
	assert_non_null(c);
	return c;
}

static sk_resolved resolve(sk_db *db, const char *table, const char *col, const char *text)
{
	sk_resolved r;
	sk_err e;
	if (sk_resolve_ref(db, column(table, col), text, &r, &e) != SK_OK)
		fail_msg("%s: %s", text, e.msg);
	return r;
}

static void is_one(sk_db *db, const char *table, const char *col, const char *text,
                   const char *want)
{
	sk_resolved r = resolve(db, table, col, text);
	if (r.kind != SK_RESOLVED_ONE || strcmp(r.value, want) != 0)
		fail_msg("\"%s\" in %s.%s: kind %d value \"%s\" (%s), wanted \"%s\"", text, table,
		         col, (int)r.kind, r.value, r.msg, want);
}

static void a_course_by_code_in_any_case(void **state)
{
	sk_db *db = ((tu_db *)*state)->db;
	is_one(db, "staff_training", "course_code", "AT-L1", "AT-L1");
	is_one(db, "staff_training", "course_code", "at-l1", "AT-L1");
	is_one(db, "staff_training", "course_code", "  at-L1 ", "AT-L1");
	/* by the words of its title */
	is_one(db, "staff_training", "course_code", "antiterrorism awareness", "AT-L1");
	sk_resolved r = resolve(db, "staff_training", "course_code", "at-l9");
	assert_int_equal(r.kind, SK_RESOLVED_NONE);
	assert_string_equal(r.part, "at-l9");
	assert_non_null(strstr(r.msg, "no course matches \"at-l9\""));
}

static void a_person_by_name_or_id(void **state)
{
	sk_db *db = ((tu_db *)*state)->db;
	char id[24];
	snprintf(id, sizeof id, "%lld",
	         tu_int(db, "SELECT id FROM personnel WHERE last_name = 'Chen'"));
	is_one(db, "staff_training", "person_id", "Chen, Marcus", id);
	is_one(db, "staff_training", "person_id", "chen, marcus", id);
	is_one(db, "staff_training", "person_id", id, id);
	is_one(db, "staff_training", "person_id", "marcus", id);
	/* a whole word many share: several, and how many */
	sk_resolved r = resolve(db, "staff_training", "person_id", "army");
	assert_int_equal(r.kind, SK_RESOLVED_MANY);
	assert_true(r.matches >= 2);
	assert_int_equal(r.matches,
	                 tu_int(db, "SELECT count(*) FROM personnel WHERE service = 'army'"
	                            " AND deleted_at IS NULL"));
	assert_non_null(strstr(r.msg, "personnel match \"army\""));
	/* an id that is no one */
	r = resolve(db, "staff_training", "person_id", "99999");
	assert_int_equal(r.kind, SK_RESOLVED_NONE);
}

static void a_program_by_its_case_id_in_lower_case(void **state)
{
	sk_db *db = ((tu_db *)*state)->db;
	char *cid = tu_q_text(sk_sqlite(db), "SELECT case_id FROM programs WHERE case_id IS NOT NULL"
	                                     " ORDER BY id LIMIT 1");
	char id[24], lower[32];
	snprintf(id, sizeof id, "%lld",
	         tu_int(db, "SELECT id FROM programs WHERE case_id IS NOT NULL ORDER BY id LIMIT 1"));
	size_t i = 0;
	for (; cid[i] && i < sizeof lower - 1; i++)
		lower[i] = (char)(cid[i] >= 'A' && cid[i] <= 'Z' ? cid[i] + 32 : cid[i]);
	lower[i] = '\0';
	is_one(db, "engagements", "program_id", cid, id);
	is_one(db, "engagements", "program_id", lower, id);
	free(cid);
}

static void contacts_part_by_part(void **state)
{
	sk_db *db = ((tu_db *)*state)->db;
	long long a = tu_int(db, "SELECT id FROM contacts ORDER BY id LIMIT 1");
	long long b = tu_int(db, "SELECT id FROM contacts ORDER BY id LIMIT 1 OFFSET 1");
	char *aname = tu_q_text(sk_sqlite(db), "SELECT last_name || ', ' || first_name FROM contacts"
	                                       " ORDER BY id LIMIT 1");
	char *bname = tu_q_text(sk_sqlite(db), "SELECT last_name || ', ' || first_name FROM contacts"
	                                       " ORDER BY id LIMIT 1 OFFSET 1");
	char text[256], want[64];
	snprintf(text, sizeof text, "%s; %s ;%lld", aname, bname, a);
	snprintf(want, sizeof want, "%lld;%lld", a, b);
	/* the same contact twice is once */
	is_one(db, "engagements", "contact_ids", text, want);
	/* a part that names no one: the parts before it are kept */
	snprintf(text, sizeof text, "%lld; Nobody, Atall", b);
	sk_resolved r = resolve(db, "engagements", "contact_ids", text);
	assert_int_equal(r.kind, SK_RESOLVED_NONE);
	snprintf(want, sizeof want, "%lld", b);
	assert_string_equal(r.value, want);
	assert_string_equal(r.part, "Nobody, Atall");
	is_one(db, "engagements", "contact_ids", "  ", "");
	free(aname);
	free(bname);
}

static void deleted_records_are_not_named(void **state)
{
	sk_db *db = ((tu_db *)*state)->db;
	long long id = tu_int(db, "SELECT id FROM courses WHERE code = 'AT-L1'");
	sk_err e;
	assert_int_equal(sk_delete(db, sk_table_find("courses"), id, &e), SK_OK);
	sk_resolved r = resolve(db, "staff_training", "course_code", "at-l1");
	assert_int_equal(r.kind, SK_RESOLVED_NONE);
	assert_int_equal(sk_restore(db, sk_table_find("courses"), id, &e), SK_OK);
	is_one(db, "staff_training", "course_code", "at-l1", "AT-L1");
}

static void date_is(const char *text, const char *want)
{
	char out[11];
	bool ok = sk_date_expand("2026-11-25", text, out);
	if (!want && ok)
		fail_msg("\"%s\" gave %s, wanted no date", text, out);
	if (want && (!ok || strcmp(out, want) != 0))
		fail_msg("\"%s\" gave \"%s\", wanted %s", text, out, want);
	if (!want)
		assert_string_equal(out, "");
}

static void dates_relative_to_today(void **state)
{
	(void)state;
	date_is("2026-01-31", "2026-01-31");
	date_is(" 2026-01-31  ", "2026-01-31");
	date_is("today", "2026-11-25");
	date_is("Today", "2026-11-25");
	date_is("yesterday", "2026-11-24");
	date_is("tomorrow", "2026-11-26");
	date_is("+7", "2026-12-02");
	date_is("-30", "2026-10-26");
	date_is("+2w", "2026-12-09");
	date_is("+3m", "2027-02-25");
	date_is("-1y", "2025-11-25");
	date_is("+10D", "2026-12-05");
	date_is("+0", "2026-11-25");
	date_is("7", NULL);
	date_is("+", NULL);
	date_is("+w", NULL);
	date_is("+2x", NULL);
	date_is("+2ww", NULL);
	date_is("+ 2", NULL);
	date_is("2026-02-30", NULL);
	date_is("soon", NULL);
	date_is("", NULL);
	date_is("+99999999999999999999", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_course_by_code_in_any_case),
		cmocka_unit_test(a_person_by_name_or_id),
		cmocka_unit_test(a_program_by_its_case_id_in_lower_case),
		cmocka_unit_test(contacts_part_by_part),
		cmocka_unit_test(deleted_records_are_not_named),
		cmocka_unit_test(dates_relative_to_today),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
