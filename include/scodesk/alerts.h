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
void sk_alerts_free(sk_alerts *a);
const char *sk_severity_name(sk_severity s);

#endif
