/*
 * typed.h: making sense of what a person types into a field before it is
 * stored: a reference given by code, id or name, and a date given
 * relative to today. Core does it, so that every front end resolves the
 * same text the same way.
 */
#ifndef SCODESK_TYPED_H
#define SCODESK_TYPED_H

#include <stdbool.h>

#include "scodesk/err.h"
#include "scodesk/schema.h"
#include "scodesk/store.h"

typedef enum sk_resolve_kind {
	SK_RESOLVED_ONE,  /* every part names one record: value holds it */
	SK_RESOLVED_MANY, /* a part names several records: part holds it */
	SK_RESOLVED_NONE, /* a part names no record: part holds it */
} sk_resolve_kind;

typedef struct sk_resolved {
	sk_resolve_kind kind;
	/* what the column stores: the id ("12"), the ids ("48;28") or the key
	 * ("AT-L1"); for MANY and NONE, the parts resolved before the one that
	 * did not (so that a choice among several can be added to them) */
	char value[1024];
	char part[256];   /* MANY, NONE: the part as typed, trimmed */
	int matches;      /* MANY: how many records it matched (at least 2) */
	char msg[320];    /* MANY, NONE: a sentence for the status line */
} sk_resolved;

/*
 * Resolves text typed into reference column c (SK_T_REF, SK_T_KEYREF or
 * SK_T_LINKS; for a list of references, each ';'-separated part on its
 * own). A part names a live record by, first to last: its key or id
 * exactly; a unique code of the referenced table in another case (`at-l1`
 * is course AT-L1, `qv-p-paa` the program with that case id); its
 * display name in any case; or words all of which are in one record's
 * text (a filter, as the lists take it). Spaces around a part do not
 * count. Empty text resolves to an empty value (ONE). Fails (SK_DB,
 * SK_INVALID for a column that is no reference) only when it cannot look.
 */
sk_status sk_resolve_ref(sk_db *db, const sk_column *c, const char *text,
                         sk_resolved *out, sk_err *err);

/*
 * A date as people type one, into out as YYYY-MM-DD: an ISO date as it
 * is, `today`, `yesterday`, `tomorrow`, or a number of days, weeks,
 * months or years from today (`+7`, `-30`, `+2w`, `+3m`, `-1y`; `d`, `w`,
 * `m`, `y`, in either case). Spaces around it do not count. False (out
 * empty) for anything else; today is YYYY-MM-DD.
 */
bool sk_date_expand(const char *today, const char *text, char out[11]);

#endif
