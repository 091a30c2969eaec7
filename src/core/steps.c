/*
 * steps.c: the step orders of enumerations (steps.h), as data.
 *
 * Each order names an enumeration (sk_enum.name, schema.c) and its codes
 * in the order a record moves through them. A code left out of an order
 * has no next step, nor has the last one: they end the way. Another
 * step is one more code in its place here, once the enumeration has it
 * (a student returned home after completing came so in schema 6).
 */
#include <string.h>

#include "scodesk/steps.h"

#define STEPS(...) (const char *const[]){__VA_ARGS__, NULL}

static const struct {
	const char *enumeration;
	const char *const *steps;
} step_orders[] = {
	/* the pipeline; failed, cancelled and absent are off it */
	{"student_status",
	 STEPS("nominated", "screened", "vetted", "ito_issued", "in_training", "completed",
	       "returned")},
};

const char *const *sk_enum_steps(const char *name)
{
	for (size_t i = 0; name && i < sizeof step_orders / sizeof step_orders[0]; i++)
		if (strcmp(step_orders[i].enumeration, name) == 0)
			return step_orders[i].steps;
	return NULL;
}

/* The enumeration's own code equal to code, or NULL. */
static const char *enum_code(const sk_enum *e, const char *code)
{
	for (size_t i = 0; i < e->count; i++)
		if (strcmp(e->values[i].code, code) == 0)
			return e->values[i].code;
	return NULL;
}

const char *sk_enum_next_step(const sk_column *c, const char *code)
{
	if (!c || c->type != SK_T_ENUM || !c->enumeration || !code)
		return NULL;
	const char *const *steps = sk_enum_steps(c->enumeration->name);
	for (size_t i = 0; steps && steps[i]; i++)
		if (strcmp(steps[i], code) == 0)
			return steps[i + 1] ? enum_code(c->enumeration, steps[i + 1]) : NULL;
	return NULL;
}
