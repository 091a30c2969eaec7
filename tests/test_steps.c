/*
 * test_steps.c: the step orders of enumerations (scodesk/steps.h): a
 * student walked along the pipeline value by value, the values that end
 * it or are off it with no next, what is no enumeration or has no order,
 * and every order true to its enumeration (its codes, in its order).
 */
#include <string.h>

#include "scodesk/steps.h"
#include "testutil.h"

static const sk_column *column(const char *table, const char *name)
{
	const sk_table *t = sk_table_find(table);
	assert_non_null(t);
	const sk_column *c = sk_column_find(t, name);
	assert_non_null(c);
	return c;
}

static void next_is(const sk_column *c, const char *code, const char *want)
{
	const char *got = sk_enum_next_step(c, code);
	if (!want && got)
		fail_msg("after %s: %s, wanted none", code ? code : "NULL", got);
	if (want && (!got || strcmp(got, want) != 0))
		fail_msg("after %s: %s, wanted %s", code ? code : "NULL", got ? got : "none", want);
}

static void a_student_walks_the_pipeline(void **state)
{
	(void)state;
	const sk_column *c = column("students", "status");
	next_is(c, "nominated", "screened");
	next_is(c, "screened", "vetted");
	next_is(c, "vetted", "ito_issued");
	next_is(c, "ito_issued", "in_training");
	next_is(c, "in_training", "completed");
	next_is(c, "completed", "returned"); /* home again (schema 6) */
	/* the code handed back is the enumeration's own */
	const char *got = sk_enum_next_step(c, "nominated");
	int i = sk_enum_index(c->enumeration, "screened");
	assert_true(i >= 0);
	assert_ptr_equal(got, c->enumeration->values[i].code);
}

static void the_ends_have_no_next(void **state)
{
	(void)state;
	const sk_column *c = column("students", "status");
	next_is(c, "returned", NULL);
	next_is(c, "failed", NULL);
	next_is(c, "cancelled", NULL);
	next_is(c, "absent", NULL);
	next_is(c, "graduated", NULL); /* no such code */
	next_is(c, "", NULL);
	next_is(c, NULL, NULL);
}

static void no_order_no_step(void **state)
{
	(void)state;
	/* a yes/no column, a text column, an enumeration without an order */
	next_is(column("engagements", "followup_done"), "0", NULL);
	next_is(column("students", "last_name"), "nominated", NULL);
	next_is(column("programs", "status"), "lor_received", NULL);
	next_is(column("students", "leahy_status"), "pending", NULL);
	next_is(NULL, "nominated", NULL);
	assert_null(sk_enum_steps("no_such_enumeration"));
	assert_null(sk_enum_steps(NULL));
}

/* Every enumeration some column has that has a step order: each code on
 * it is one of the enumeration's, once, in the enumeration's order; and
 * every code on it but the last steps to the one after it. */
static void orders_are_true_to_their_enumerations(void **state)
{
	(void)state;
	int orders = 0;
	for (size_t t = 0; t < sk_ntables; t++)
		for (size_t k = 0; k < sk_tables[t]->ncolumns; k++) {
			const sk_column *c = &sk_tables[t]->columns[k];
			if (c->type != SK_T_ENUM || !c->enumeration)
				continue;
			const char *const *steps = sk_enum_steps(c->enumeration->name);
			if (!steps)
				continue;
			orders++;
			int last = -1;
			for (size_t s = 0; steps[s]; s++) {
				int i = sk_enum_index(c->enumeration, steps[s]);
				if (i < 0)
					fail_msg("%s: %s is no code of it", c->enumeration->name, steps[s]);
				if (i <= last)
					fail_msg("%s: %s out of the enumeration's order",
					         c->enumeration->name, steps[s]);
				last = i;
				next_is(c, steps[s], steps[s + 1]);
			}
		}
	/* the students' pipeline at least */
	assert_true(orders >= 1);
	assert_non_null(sk_enum_steps("student_status"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_student_walks_the_pipeline),
		cmocka_unit_test(the_ends_have_no_next),
		cmocka_unit_test(no_order_no_step),
		cmocka_unit_test(orders_are_true_to_their_enumerations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
