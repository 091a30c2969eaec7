/*
 * demo.h: a fictional office to try scodesk on.
 */
#ifndef SCODESK_DEMO_H
#define SCODESK_DEMO_H

#include "scodesk/err.h"
#include "scodesk/store.h"

/*
 * Fills an empty database with a fictional office in a fictional partner
 * country: staff on billets (with an inbound replacement and a manning
 * gap), training in every status, students across the pipeline, programs
 * across the FMS lifecycle, MoD contacts (names also in a non-Latin
 * script) and engagements with follow-ups. Dates are relative to
 * sk_today(db), so the alerts show. One transaction: all or nothing.
 * Refuses (SK_INVALID) a database that already holds records.
 */
sk_status sk_demo_fill(sk_db *db, sk_err *err);

#endif
