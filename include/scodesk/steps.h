/*
 * steps.h: the way some enumerations run, one value after the other (a
 * student's pipeline: nominated, screened, vetted, ...), for a quick move
 * to the next value without the form. The orders are data in steps.c,
 * each keyed by its enumeration's name.
 */
#ifndef SCODESK_STEPS_H
#define SCODESK_STEPS_H

#include "scodesk/schema.h"

/*
 * The value that comes after code on the way of column c's enumeration,
 * or NULL when there is none: c is not an enumeration with a step order,
 * code is not on the way (a student failed, cancelled or absent), or it
 * ends it (a student completed). What is returned is the enumeration's
 * own code (static storage).
 */
const char *sk_enum_next_step(const sk_column *c, const char *code);

/* The step order of the enumeration named name, its codes in order and
 * NULL after the last; NULL when it has none. */
const char *const *sk_enum_steps(const char *name);

#endif
