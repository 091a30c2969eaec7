/*
 * alerts.h: the office's rules (domain.md, "Rules") as a list of alerts.
 *
 * Thresholds come from settings. The list is ordered errors first, then
 * warnings, then information; within a severity by due date (none last).
 */
#ifndef SCODESK_ALERTS_H
#define SCODESK_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "scodesk/err.h"
#include "scodesk/store.h"

typedef enum sk_severity { SK_ERROR = 0, SK_WARNING, SK_INFO } sk_severity;

typedef struct sk_alert {
	sk_severity severity;
	const char *rule;      /* stable code, e.g. "student-vetting" */
	const char *table;     /* table of the record it is about */
	int64_t row_id;
	char subject[160];     /* who or what, for a person */
	char detail[256];      /* what is wrong */
	char due_date[11];     /* YYYY-MM-DD or "" */
} sk_alert;

typedef struct sk_alerts {
	sk_alert *items;
	size_t count, cap;
} sk_alerts;

sk_status sk_alerts_compute(sk_db *db, sk_alerts *out, sk_err *err);
/*
 * The head of that list without building all of it: every rule's count
 * (their sum in *total) and its first `per_rule` alerts, in the list's
 * order. The first per_rule items of out are then the first per_rule of
 * sk_alerts_compute's list; the rest of out is not (call that for them).
 * What a dashboard needs to open on tens of thousands of alerts.
 */
sk_status sk_alerts_head(sk_db *db, size_t per_rule, sk_alerts *out, int64_t *total,
                         sk_err *err);
void sk_alerts_free(sk_alerts *a);
const char *sk_severity_name(sk_severity s);

#endif
