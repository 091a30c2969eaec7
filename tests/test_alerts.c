/*
 * test_alerts.c: the office's rules (domain.md, "Rules (alerts)") as they
 * come out of sk_alerts_compute.
 *
 * Each rule gets the smallest data that makes it fire, checked field by
 * field, and the data just on the other side of its threshold, which must
 * not fire. Every case runs on a fresh database with the calendar pinned at
 * 2026-11-25; thresholds are changed through sk_setting_set.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "scodesk/alerts.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TODAY "2026-11-25"
#define NONE (-1)

/* One row to insert: column/value pairs; a value "#N" is the id of row N
 * of the same case. A `gone` row is soft-deleted once all rows are in. */
typedef struct row {
	const char *table;
	bool gone;
	const char *kv[26];
} row;

#define ROW(t, ...) {.table = t, .kv = {__VA_ARGS__}}
#define GONE(t, ...) {.table = t, .gone = true, .kv = {__VA_ARGS__}}

/* Rows most cases are built from. */
#define BILLET(...) ROW("billets", "billet_number", "P-101", "title", "Program Officer", __VA_ARGS__)
#define SMITH(...)                                                                  \
	ROW("personnel", "last_name", "Smith", "first_name", "John", "service", "army", \
	    "grade", "O-4", "billet_number", "P-101", __VA_ARGS__)
#define JONES(...)                                                                  \
	ROW("personnel", "last_name", "Jones", "first_name", "Mary", "service", "navy", \
	    "grade", "O-3", "billet_number", "P-101", "status", "inbound", __VA_ARGS__)
#define GONE_JONES(...)                                                              \
	GONE("personnel", "last_name", "Jones", "first_name", "Mary", "service", "navy", \
	     "grade", "O-3", "billet_number", "P-101", "status", "inbound", __VA_ARGS__)
#define PERSON(...)                                                                 \
	ROW("personnel", "last_name", "Smith", "first_name", "John", "service", "army", \
	    "grade", "O-4", __VA_ARGS__)
#define COURSE(...) ROW("courses", "code", "SCO-250", "title", "SC Management", __VA_ARGS__)
#define TRAINING(...) \
	ROW("staff_training", "person_id", "#0", "course_code", "SCO-250", __VA_ARGS__)
#define STUDENT(...) \
	ROW("students", "last_name", "Karimov", "first_name", "Aziz", "rank", "Captain",       \
	    "security_vetting", "complete", __VA_ARGS__)
#define PROGRAM(...) ROW("programs", "authority", "fms", "title", "Patrol boats", __VA_ARGS__)
#define LEADER(...)                                                                     \
	ROW("contacts", "last_name", "Haddad", "first_name", "Omar", "position", "Director J5", \
	    "key_leader", "1", __VA_ARGS__)
#define MET(date) ROW("engagements", "date", date, "type", "kle", "contact_ids", "#0")
/* End-use monitoring: a night-vision case (row 0), an enhanced-monitoring
 * device on it, an inventory or a check of it, a line of what it found */
#define NVD_CASE(...)                                                                \
	ROW("programs", "authority", "fms", "case_id", "QV-B-VAH", "title",              \
	    "Night vision devices", "status", "implemented", "implemented_date",         \
	    "2025-01-01", __VA_ARGS__)
#define NVD(...)                                                                       \
	ROW("eum_items", "program_id", "#0", "category", "nvd", "description", "AN/PVS-14", \
	    "serial_number", "SN001", "eeum", "1", __VA_ARGS__)
#define CHECK(kind, date, ...) \
	ROW("eum_checks", "date", date, "kind", kind, "program_id", "#0", __VA_ARGS__)
#define LINE(check, item, result) \
	ROW("eum_check_items", "check_id", check, "item_id", item, "result", result)
#define EUM_BILLET(...) \
	ROW("billets", "billet_number", "ODC-08", "title", "EUM Officer", "role", "eum_officer", __VA_ARGS__)
#define SN001 "QV-B-VAH SN001 AN/PVS-14"

#define KARIMOV "Karimov, Aziz (Captain)"
#define SMITH_O4 "Smith, John (O-4)"
#define P101 "P-101 Program Officer"
#define HADDAD "Haddad, Omar (Director J5)"

typedef struct acase {
	const char *name;
	const char *rule;
	const char *setting, *value; /* threshold set before computing, or NULL */
	row rows[6];
	int about; /* index of the row the alert is about; NONE: it must not fire */
	sk_severity severity;
	const char *subject, *detail, *due;
} acase;

#define FOLLOWUP90                                                             \
	"0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" \
	"0123456789abcdefgh"

static const acase cases[] = {
	/* ---- rule 2: students about to report ---- */
	{.name = "vetting pending, reports in 30 days", .rule = "student-vetting",
	 .rows = {STUDENT("report_date", "2026-12-25", "leahy_status", "pending",
	                  "medical_cleared", "1")},
	 .about = 0, .severity = SK_ERROR, .subject = KARIMOV,
	 .detail = "reports 2026-12-25; vetting pending, not approved", .due = "2026-12-25"},
	{.name = "vetting pending, reports in 31 days", .rule = "student-vetting",
	 .rows = {STUDENT("report_date", "2026-12-26", "leahy_status", "pending",
	                  "medical_cleared", "1")},
	 .about = NONE},
	{.name = "vetting not submitted, reports in 46 days, threshold 60",
	 .rule = "student-vetting", .setting = "alert_vetting_days", .value = "60",
	 .rows = {STUDENT("report_date", "2027-01-10", "medical_cleared", "1")},
	 .about = 0, .severity = SK_ERROR, .subject = KARIMOV,
	 .detail = "reports 2027-01-10; vetting not submitted, not approved", .due = "2027-01-10"},
	{.name = "vetting not submitted, reports in 46 days", .rule = "student-vetting",
	 .rows = {STUDENT("report_date", "2027-01-10", "medical_cleared", "1")},
	 .about = NONE},
	{.name = "vetting denied, student without rank", .rule = "student-vetting",
	 .rows = {ROW("students", "last_name", "Haddad", "first_name", "Lina",
	              "report_date", "2026-12-01", "leahy_status", "denied")},
	 .about = 0, .severity = SK_ERROR, .subject = "Haddad, Lina",
	 .detail = "reports 2026-12-01; vetting denied, not approved", .due = "2026-12-01"},
	{.name = "vetting approved", .rule = "student-vetting",
	 .rows = {STUDENT("report_date", "2026-12-01", "leahy_status", "approved",
	                  "status", "vetted")},
	 .about = NONE},
	{.name = "student cancelled", .rule = "student-vetting",
	 .rows = {STUDENT("report_date", "2026-12-01", "leahy_status", "pending",
	                  "status", "cancelled")},
	 .about = NONE},
	{.name = "no report date", .rule = "student-vetting",
	 .rows = {STUDENT("leahy_status", "pending")},
	 .about = NONE},
	{.name = "a threshold that is not a number falls back to 30",
	 .rule = "student-vetting", .setting = "alert_vetting_days", .value = "soon",
	 .rows = {STUDENT("report_date", "2026-12-25", "leahy_status", "pending")},
	 .about = 0, .severity = SK_ERROR, .subject = KARIMOV,
	 .detail = "reports 2026-12-25; vetting pending, not approved", .due = "2026-12-25"},

	{.name = "ECL below the minimum", .rule = "student-ecl",
	 .rows = {STUDENT("ecl_score", "70", "ecl_required", "80", "report_date", "2027-03-01",
	                  "leahy_status", "approved")},
	 .about = 0, .severity = SK_WARNING, .subject = KARIMOV,
	 .detail = "ECL 70 below the course minimum 80", .due = "2027-03-01"},
	{.name = "ECL at the minimum", .rule = "student-ecl",
	 .rows = {STUDENT("ecl_score", "80", "ecl_required", "80", "report_date", "2027-03-01")},
	 .about = NONE},
	{.name = "ECL one below, no report date", .rule = "student-ecl",
	 .rows = {STUDENT("ecl_score", "79", "ecl_required", "80")},
	 .about = 0, .severity = SK_WARNING, .subject = KARIMOV,
	 .detail = "ECL 79 below the course minimum 80", .due = ""},
	{.name = "ECL not tested yet", .rule = "student-ecl",
	 .rows = {STUDENT("ecl_required", "80")},
	 .about = NONE},
	{.name = "ECL low, student done", .rule = "student-ecl",
	 .rows = {STUDENT("ecl_score", "60", "ecl_required", "80", "leahy_status", "approved",
	                  "status", "completed")},
	 .about = NONE},

	{.name = "no medical clearance, reports in 30 days", .rule = "student-medical",
	 .rows = {STUDENT("report_date", "2026-12-25", "leahy_status", "approved")},
	 .about = 0, .severity = SK_WARNING, .subject = KARIMOV,
	 .detail = "reports 2026-12-25 without medical clearance", .due = "2026-12-25"},
	{.name = "no medical clearance, reports in 31 days", .rule = "student-medical",
	 .rows = {STUDENT("report_date", "2026-12-26", "leahy_status", "approved")},
	 .about = NONE},
	{.name = "no medical clearance, reports in 41 days, threshold 45",
	 .rule = "student-medical", .setting = "alert_medical_days", .value = "45",
	 .rows = {STUDENT("report_date", "2027-01-05", "leahy_status", "approved")},
	 .about = 0, .severity = SK_WARNING, .subject = KARIMOV,
	 .detail = "reports 2027-01-05 without medical clearance", .due = "2027-01-05"},
	{.name = "medically cleared", .rule = "student-medical",
	 .rows = {STUDENT("report_date", "2026-12-01", "leahy_status", "approved",
	                  "medical_cleared", "1")},
	 .about = NONE},

	/* security vetting of the student, apart from Leahy */
	{.name = "security vetting pending, reports in 15 days", .rule = "student-security-vetting",
	 .rows = {STUDENT("report_date", "2026-12-10", "leahy_status", "approved",
	                  "security_vetting", "pending")},
	 .about = 0, .severity = SK_ERROR, .subject = KARIMOV,
	 .detail = "reports 2026-12-10; security vetting pending, not complete", .due = "2026-12-10"},
	{.name = "security vetting not recorded, reports in 30 days", .rule = "student-security-vetting",
	 .rows = {STUDENT("report_date", "2026-12-25", "security_vetting", NULL)},
	 .about = 0, .severity = SK_ERROR, .subject = KARIMOV,
	 .detail = "reports 2026-12-25; security vetting not recorded, not complete",
	 .due = "2026-12-25"},
	{.name = "security vetting pending, reports in 31 days", .rule = "student-security-vetting",
	 .rows = {STUDENT("report_date", "2026-12-26", "security_vetting", "pending")},
	 .about = NONE},
	{.name = "security vetting complete", .rule = "student-security-vetting",
	 .rows = {STUDENT("report_date", "2026-12-10")},
	 .about = NONE},
	/* a Leahy approval that will have lapsed by the report date */
	{.name = "approval lapses before the report date", .rule = "student-leahy-lapse",
	 .rows = {STUDENT("report_date", "2027-02-01", "leahy_status", "approved",
	                  "leahy_date", "2026-01-15", "status", "vetted")},
	 .about = 0, .severity = SK_ERROR, .subject = KARIMOV,
	 .detail = "Leahy approval of 2026-01-15 lapses 2027-01-15, before the report date 2027-02-01",
	 .due = "2027-01-15"},
	{.name = "approval valid on the report date", .rule = "student-leahy-lapse",
	 .rows = {STUDENT("report_date", "2027-01-15", "leahy_status", "approved",
	                  "leahy_date", "2026-01-15", "status", "vetted")},
	 .about = NONE},
	{.name = "approval lapses, valid 400 days", .rule = "student-leahy-lapse",
	 .setting = "leahy_valid_days", .value = "400",
	 .rows = {STUDENT("report_date", "2027-02-01", "leahy_status", "approved",
	                  "leahy_date", "2026-01-15", "status", "vetted")},
	 .about = NONE},
	{.name = "a student absent without authorization", .rule = "student-absent",
	 .rows = {STUDENT("leahy_status", "approved", "status", "absent",
	                  "course_title", "Infantry Officer Basic", "school", "Fort Moore")},
	 .about = 0, .severity = SK_ERROR, .subject = KARIMOV,
	 .detail = "absent without authorization from Infantry Officer Basic at Fort Moore",
	 .due = ""},
	{.name = "a student accounted for again", .rule = "student-absent",
	 .rows = {STUDENT("leahy_status", "approved", "status", "completed")},
	 .about = NONE},
	/* units named on a Sec. 333 or FMF program under way */
	{.name = "unit on an implemented Sec. 333 program, vetting pending", .rule = "unit-vetting",
	 .rows = {PROGRAM("authority", "s333", "case_id", "BN-B-UAA", "status", "implemented", "implemented_date", "2026-01-01"),
	          ROW("unit_vetting", "unit", "2nd Ranger Company", "program_id", "#0",
	              "result", "pending")},
	 .about = 1, .severity = SK_ERROR, .subject = "2nd Ranger Company",
	 .detail = "on BN-B-UAA Patrol boats, implemented: vetting pending", .due = ""},
	{.name = "unit approved 366 days ago on an FMF program", .rule = "unit-vetting",
	 .rows = {PROGRAM("authority", "fmf", "case_id", "BN-B-UAA", "status", "implemented", "implemented_date", "2026-01-01"),
	          ROW("unit_vetting", "unit", "2nd Ranger Company", "program_id", "#0",
	              "result", "approved", "result_date", "2025-11-24")},
	 .about = 1, .severity = SK_ERROR, .subject = "2nd Ranger Company",
	 .detail = "on BN-B-UAA Patrol boats, implemented: approval of 2025-11-24 lapsed 2026-11-24",
	 .due = "2026-11-24"},
	{.name = "unit approved 365 days ago", .rule = "unit-vetting",
	 .rows = {PROGRAM("authority", "fmf", "case_id", "BN-B-UAA", "status", "implemented", "implemented_date", "2026-01-01"),
	          ROW("unit_vetting", "unit", "2nd Ranger Company", "program_id", "#0",
	              "result", "approved", "result_date", "2025-11-25")},
	 .about = NONE},
	{.name = "unit pending on an FMS case", .rule = "unit-vetting",
	 .rows = {PROGRAM("case_id", "BN-B-UAA", "status", "implemented", "implemented_date", "2026-01-01"),
	          ROW("unit_vetting", "unit", "2nd Ranger Company", "program_id", "#0",
	              "result", "pending")},
	 .about = NONE},
	{.name = "unit pending on a Sec. 333 program not yet implemented", .rule = "unit-vetting",
	 .rows = {PROGRAM("authority", "s333", "case_id", "BN-B-UAA", "status", "accepted", "accepted_date", "2026-01-01"),
	          ROW("unit_vetting", "unit", "2nd Ranger Company", "program_id", "#0",
	              "result", "pending")},
	 .about = NONE},

	/* ---- rule 3: manning ---- */
	{.name = "DEROS in 120 days, no replacement", .rule = "deros-no-replacement",
	 .rows = {BILLET("role", "program_officer"),
	          SMITH("arrival_date", "2025-03-01", "deros_date", "2027-03-25")},
	 .about = 1, .severity = SK_WARNING, .subject = SMITH_O4,
	 .detail = "DEROS 2027-03-25 from billet P-101; no inbound replacement",
	 .due = "2027-03-25"},
	{.name = "DEROS in 121 days", .rule = "deros-no-replacement",
	 .rows = {BILLET("role", "program_officer"),
	          SMITH("arrival_date", "2025-03-01", "deros_date", "2027-03-26")},
	 .about = NONE},
	{.name = "DEROS in 157 days, threshold 180", .rule = "deros-no-replacement",
	 .setting = "alert_deros_days", .value = "180",
	 .rows = {BILLET("role", "program_officer"), SMITH("deros_date", "2027-05-01")},
	 .about = 1, .severity = SK_WARNING, .subject = SMITH_O4,
	 .detail = "DEROS 2027-05-01 from billet P-101; no inbound replacement",
	 .due = "2027-05-01"},
	{.name = "DEROS soon, replacement inbound", .rule = "deros-no-replacement",
	 .rows = {BILLET("role", "program_officer"), SMITH("deros_date", "2027-02-01"),
	          JONES("arrival_date", "2027-01-15")},
	 .about = NONE},
	{.name = "DEROS soon, the inbound replacement deleted", .rule = "deros-no-replacement",
	 .rows = {BILLET("role", "program_officer"), SMITH("deros_date", "2027-02-01"),
	          GONE_JONES("arrival_date", "2027-01-15")},
	 .about = 1, .severity = SK_WARNING, .subject = SMITH_O4,
	 .detail = "DEROS 2027-02-01 from billet P-101; no inbound replacement",
	 .due = "2027-02-01"},
	{.name = "DEROS soon, already departed", .rule = "deros-no-replacement",
	 .rows = {BILLET("role", "program_officer"),
	          SMITH("deros_date", "2026-11-01", "status", "departed")},
	 .about = NONE},

	{.name = "replacement arrives 30 days after DEROS", .rule = "billet-gap",
	 .rows = {BILLET("role", "program_officer"), SMITH("deros_date", "2027-01-10"),
	          JONES("arrival_date", "2027-02-09")},
	 .about = 0, .severity = SK_WARNING, .subject = P101,
	 .detail = "gap of 30 days: incumbent leaves 2027-01-10, replacement arrives 2027-02-09",
	 .due = "2027-01-10"},
	{.name = "replacement arrives on DEROS", .rule = "billet-gap",
	 .rows = {BILLET("role", "program_officer"), SMITH("deros_date", "2027-01-10"),
	          JONES("arrival_date", "2027-01-10")},
	 .about = NONE},
	{.name = "late replacement deleted", .rule = "billet-gap",
	 .rows = {BILLET("role", "program_officer"), SMITH("deros_date", "2027-01-10"),
	          GONE_JONES("arrival_date", "2027-02-09")},
	 .about = NONE},

	{.name = "two present on one billet", .rule = "billet-double-filled",
	 .rows = {BILLET("role", "program_officer"), SMITH("arrival_date", "2025-06-01"),
	          JONES("status", "present", "arrival_date", "2026-10-01")},
	 .about = 0, .severity = SK_WARNING, .subject = P101,
	 .detail = "billet double-filled: Smith, John (O-4) and Jones, Mary (O-3)", .due = ""},
	{.name = "one present, one on leave", .rule = "billet-double-filled",
	 .rows = {BILLET("role", "program_officer"),
	          JONES("status", "leave", "arrival_date", "2026-10-01"),
	          SMITH("arrival_date", "2025-06-01")},
	 .about = 0, .severity = SK_WARNING, .subject = P101,
	 .detail = "billet double-filled: Smith, John (O-4) and Jones, Mary (O-3)", .due = ""},
	{.name = "one present, one inbound", .rule = "billet-double-filled",
	 .rows = {BILLET("role", "program_officer"), SMITH("arrival_date", "2025-06-01"),
	          JONES("arrival_date", "2026-12-01")},
	 .about = NONE},
	{.name = "one present, one departed", .rule = "billet-double-filled",
	 .rows = {BILLET("role", "program_officer"), SMITH("status", "departed"),
	          JONES("status", "present")},
	 .about = NONE},
	{.name = "one present, one deleted", .rule = "billet-double-filled",
	 .rows = {BILLET("role", "program_officer"), SMITH("arrival_date", "2025-06-01"),
	          GONE_JONES("status", "present")},
	 .about = NONE},
	{.name = "billet nobody holds", .rule = "billet-vacant",
	 .rows = {BILLET("role", "program_officer")},
	 .about = 0, .severity = SK_WARNING, .subject = P101, .detail = "vacant", .due = ""},
	{.name = "vacant billet, someone inbound", .rule = "billet-vacant",
	 .rows = {BILLET("role", "program_officer"), JONES("arrival_date", "2027-01-05")},
	 .about = 0, .severity = SK_WARNING, .subject = P101,
	 .detail = "vacant; Jones inbound 2027-01-05", .due = "2027-01-05"},
	{.name = "vacant billet, someone inbound without a date", .rule = "billet-vacant",
	 .rows = {BILLET("role", "program_officer"), JONES("notes", "orders pending")},
	 .about = 0, .severity = SK_WARNING, .subject = P101,
	 .detail = "vacant; Jones inbound (no date)", .due = ""},
	{.name = "incumbent present", .rule = "billet-vacant",
	 .rows = {BILLET("role", "program_officer"), SMITH("status", "present")},
	 .about = NONE},
	{.name = "incumbent on TDY", .rule = "billet-vacant",
	 .rows = {BILLET("role", "program_officer"), SMITH("status", "tdy")},
	 .about = NONE},
	{.name = "incumbent departed", .rule = "billet-vacant",
	 .rows = {BILLET("role", "program_officer"), SMITH("status", "departed")},
	 .about = 0, .severity = SK_WARNING, .subject = P101, .detail = "vacant", .due = ""},
	{.name = "incumbent deleted", .rule = "billet-vacant",
	 .rows = {BILLET("role", "program_officer"),
	          GONE("personnel", "last_name", "Smith", "first_name", "John", "service",
	               "army", "billet_number", "P-101")},
	 .about = 0, .severity = SK_WARNING, .subject = P101, .detail = "vacant", .due = ""},

	/* ---- rule 4: staff training ---- */
	{.name = "course due yesterday", .rule = "training-overdue",
	 .rows = {PERSON("arrival_date", "2026-01-01"), COURSE("applies_to", "all"),
	          TRAINING("due_date", "2026-11-24")},
	 .about = 2, .severity = SK_ERROR, .subject = SMITH_O4,
	 .detail = "SCO-250 was due 2026-11-24", .due = "2026-11-24"},
	{.name = "course due 60 days after an arrival 61 days ago", .rule = "training-overdue",
	 .rows = {PERSON("arrival_date", "2026-09-25"), COURSE("due_within_days", "60"),
	          TRAINING("notes", "due date from the course")},
	 .about = 2, .severity = SK_ERROR, .subject = SMITH_O4,
	 .detail = "SCO-250 was due 2026-11-24", .due = "2026-11-24"},
	{.name = "person with a blank grade", .rule = "training-overdue",
	 .rows = {ROW("personnel", "last_name", "Smith", "first_name", "John", "service", "army",
	              "grade", ""),
	          COURSE("applies_to", "all"), TRAINING("due_date", "2026-11-24")},
	 .about = 2, .severity = SK_ERROR, .subject = "Smith, John",
	 .detail = "SCO-250 was due 2026-11-24", .due = "2026-11-24"},
	{.name = "person without a grade", .rule = "training-overdue",
	 .rows = {ROW("personnel", "last_name", "Smith", "first_name", "John", "service", "army"),
	          COURSE("applies_to", "all"), TRAINING("due_date", "2026-11-24")},
	 .about = 2, .severity = SK_ERROR, .subject = "Smith, John",
	 .detail = "SCO-250 was due 2026-11-24", .due = "2026-11-24"},
	{.name = "course due today", .rule = "training-overdue",
	 .rows = {PERSON("arrival_date", "2026-01-01"), COURSE("applies_to", "all"),
	          TRAINING("due_date", TODAY)},
	 .about = NONE},
	{.name = "course done late", .rule = "training-overdue",
	 .rows = {PERSON("arrival_date", "2026-01-01"), COURSE("applies_to", "all"),
	          TRAINING("due_date", "2026-10-01", "completed_date", "2026-11-20")},
	 .about = NONE},
	{.name = "overdue course waived", .rule = "training-overdue",
	 .rows = {PERSON("arrival_date", "2026-01-01"), COURSE("applies_to", "all"),
	          TRAINING("due_date", "2026-10-01", "waived", "1")},
	 .about = NONE},
	{.name = "overdue course of a departed person", .rule = "training-overdue",
	 .rows = {PERSON("status", "departed"), COURSE("applies_to", "all"),
	          TRAINING("due_date", "2026-10-01")},
	 .about = NONE},
	{.name = "overdue course of a deleted person", .rule = "training-overdue",
	 .rows = {GONE("personnel", "last_name", "Smith", "first_name", "John", "service",
	               "army"),
	          COURSE("applies_to", "all"), TRAINING("due_date", "2026-10-01")},
	 .about = NONE},

	{.name = "course due today is due, not overdue", .rule = "training-due",
	 .rows = {PERSON("arrival_date", "2026-01-01"), COURSE("applies_to", "all"),
	          TRAINING("due_date", TODAY)},
	 .about = 2, .severity = SK_WARNING, .subject = SMITH_O4,
	 .detail = "SCO-250 due 2026-11-25", .due = TODAY},
	{.name = "course due in 30 days", .rule = "training-due",
	 .rows = {PERSON("arrival_date", "2026-01-01"), COURSE("applies_to", "all"),
	          TRAINING("due_date", "2026-12-25")},
	 .about = 2, .severity = SK_WARNING, .subject = SMITH_O4,
	 .detail = "SCO-250 due 2026-12-25", .due = "2026-12-25"},
	{.name = "course due in 31 days", .rule = "training-due",
	 .rows = {PERSON("arrival_date", "2026-01-01"), COURSE("applies_to", "all"),
	          TRAINING("due_date", "2026-12-26")},
	 .about = NONE},
	{.name = "course due in 56 days, threshold 60", .rule = "training-due",
	 .setting = "alert_training_warn_days", .value = "60",
	 .rows = {PERSON("arrival_date", "2026-01-01"), COURSE("applies_to", "all"),
	          TRAINING("due_date", "2027-01-20")},
	 .about = 2, .severity = SK_WARNING, .subject = SMITH_O4,
	 .detail = "SCO-250 due 2027-01-20", .due = "2027-01-20"},
	{.name = "an overdue course is not also due", .rule = "training-due",
	 .rows = {PERSON("arrival_date", "2026-01-01"), COURSE("applies_to", "all"),
	          TRAINING("due_date", "2026-11-24")},
	 .about = NONE},

	{.name = "yearly course done a year and a day ago", .rule = "training-expired",
	 .rows = {PERSON("arrival_date", "2025-01-01"), COURSE("recurs_months", "12"),
	          TRAINING("due_date", "2025-06-01", "completed_date", "2025-11-24")},
	 .about = 2, .severity = SK_ERROR, .subject = SMITH_O4,
	 .detail = "SCO-250 expired 2026-11-24", .due = "2026-11-24"},
	{.name = "yearly course done a year ago", .rule = "training-expired",
	 .rows = {PERSON("arrival_date", "2025-01-01"), COURSE("recurs_months", "12"),
	          TRAINING("due_date", "2025-06-01", "completed_date", "2025-11-25")},
	 .about = NONE},
	/* completing a recurring course adds its refresher, due at expiry: the
	 * expiry is the alert, not the refresher as well */
	{.name = "refresher of an expired course is not also overdue", .rule = "training-overdue",
	 .rows = {PERSON("arrival_date", "2025-01-01"), COURSE("recurs_months", "12"),
	          TRAINING("due_date", "2025-06-01", "completed_date", "2025-11-24")},
	 .about = NONE},
	{.name = "expired course waived", .rule = "training-expired",
	 .rows = {PERSON("arrival_date", "2025-01-01"), COURSE("recurs_months", "12"),
	          TRAINING("completed_date", "2025-01-10", "waived", "1")},
	 .about = NONE},

	/* ---- rule 5: certification ---- */
	{.name = "foundational in a practitioner billet", .rule = "cert-below",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "foundational")},
	 .about = 1, .severity = SK_WARNING, .subject = SMITH_O4,
	 .detail = "certified foundational; billet P-101 requires practitioner", .due = ""},
	{.name = "none in an executive billet", .rule = "cert-below",
	 .rows = {BILLET("required_cert_level", "executive"), SMITH("cert_level", "none")},
	 .about = 1, .severity = SK_WARNING, .subject = SMITH_O4,
	 .detail = "certified none; billet P-101 requires executive", .due = ""},
	{.name = "certified as required", .rule = "cert-below",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "practitioner")},
	 .about = NONE},
	{.name = "certified above", .rule = "cert-below",
	 .rows = {BILLET("required_cert_level", "practitioner"), SMITH("cert_level", "expert")},
	 .about = NONE},
	{.name = "below, but departed", .rule = "cert-below",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "foundational", "status", "departed")},
	 .about = NONE},
	/* cert_window_months (12) after arrival to reach the level */
	{.name = "below, arrived a year and a day ago", .rule = "cert-below",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "foundational", "arrival_date", "2025-11-24")},
	 .about = 1, .severity = SK_WARNING, .subject = SMITH_O4,
	 .detail = "certified foundational; billet P-101 requires practitioner",
	 .due = "2026-11-24"},
	{.name = "below, arrived a year ago", .rule = "cert-below",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "foundational", "arrival_date", "2025-11-25")},
	 .about = NONE},
	{.name = "below, arrived 4 months ago", .rule = "cert-below",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "foundational", "arrival_date", "2026-07-25")},
	 .about = NONE},
	{.name = "below, arrived 7 months ago, window 6", .rule = "cert-below",
	 .setting = "cert_window_months", .value = "6",
	 .rows = {BILLET("required_cert_level", "expert"),
	          SMITH("cert_level", "none", "arrival_date", "2026-04-20")},
	 .about = 1, .severity = SK_WARNING, .subject = SMITH_O4,
	 .detail = "certified none; billet P-101 requires expert", .due = "2026-10-20"},

	{.name = "below, arrived 4 months ago: due in the window", .rule = "cert-due",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "foundational", "arrival_date", "2026-07-25")},
	 .about = 1, .severity = SK_INFO, .subject = SMITH_O4,
	 .detail = "certified foundational; billet P-101 requires practitioner by 2027-07-25",
	 .due = "2027-07-25"},
	{.name = "below, arrived a year ago: due today", .rule = "cert-due",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "foundational", "arrival_date", "2025-11-25")},
	 .about = 1, .severity = SK_INFO, .subject = SMITH_O4,
	 .detail = "certified foundational; billet P-101 requires practitioner by 2026-11-25",
	 .due = TODAY},
	{.name = "below, arrived a year and a day ago: no longer due", .rule = "cert-due",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "foundational", "arrival_date", "2025-11-24")},
	 .about = NONE},
	{.name = "below, arrived 4 months ago, window 18", .rule = "cert-due",
	 .setting = "cert_window_months", .value = "18",
	 .rows = {BILLET("required_cert_level", "expert"),
	          SMITH("cert_level", "practitioner", "arrival_date", "2026-07-25")},
	 .about = 1, .severity = SK_INFO, .subject = SMITH_O4,
	 .detail = "certified practitioner; billet P-101 requires expert by 2028-01-25",
	 .due = "2028-01-25"},
	{.name = "inbound below the billet's level", .rule = "cert-due",
	 .rows = {BILLET("required_cert_level", "foundational"),
	          JONES("cert_level", "none", "arrival_date", "2027-01-10")},
	 .about = 1, .severity = SK_INFO, .subject = "Jones, Mary (O-3)",
	 .detail = "certified none; billet P-101 requires foundational by 2028-01-10",
	 .due = "2028-01-10"},
	{.name = "certified as required, arrived 4 months ago", .rule = "cert-due",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "practitioner", "arrival_date", "2026-07-25")},
	 .about = NONE},
	{.name = "below without an arrival date: no window", .rule = "cert-due",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "foundational")},
	 .about = NONE},
	{.name = "below in the window, but departed", .rule = "cert-due",
	 .rows = {BILLET("required_cert_level", "practitioner"),
	          SMITH("cert_level", "foundational", "arrival_date", "2026-07-25",
	                "status", "departed")},
	 .about = NONE},

	/* ---- rule 6: programs ---- */
	{.name = "FMS program without a case id", .rule = "program-case-id",
	 .rows = {PROGRAM("status", "development")},
	 .about = 0, .severity = SK_ERROR, .subject = "Patrol boats",
	 .detail = "FMS program without a case id", .due = ""},
	{.name = "FMS program with a blank case id", .rule = "program-case-id",
	 .rows = {PROGRAM("case_id", "")},
	 .about = 0, .severity = SK_ERROR, .subject = "Patrol boats",
	 .detail = "FMS program without a case id", .due = ""},
	{.name = "FMS program with its case id", .rule = "program-case-id",
	 .rows = {PROGRAM("case_id", "BN-B-OBS")},
	 .about = NONE},
	{.name = "cancelled FMS program without a case id", .rule = "program-case-id",
	 .rows = {PROGRAM("status", "cancelled")},
	 .about = NONE},
	/* every program under an LOA needs its case id, not FMS alone */
	{.name = "FMF program without a case id", .rule = "program-case-id",
	 .rows = {PROGRAM("authority", "fmf")},
	 .about = 0, .severity = SK_ERROR, .subject = "Patrol boats",
	 .detail = "FMF program without a case id", .due = ""},
	{.name = "Sec. 333 program without a case id", .rule = "program-case-id",
	 .rows = {PROGRAM("authority", "s333")},
	 .about = 0, .severity = SK_ERROR, .subject = "Patrol boats",
	 .detail = "Sec. 333 program without a case id", .due = ""},
	{.name = "EDA program without a case id", .rule = "program-case-id",
	 .rows = {PROGRAM("authority", "eda")},
	 .about = 0, .severity = SK_ERROR, .subject = "Patrol boats",
	 .detail = "EDA program without a case id", .due = ""},
	/* the case alerts are a case's: an IMET program (which cannot be put
	 * into a case's status: test_validation.c) has no case id to lack */
	{.name = "IMET program without a case id", .rule = "program-case-id",
	 .rows = {ROW("programs", "authority", "imet", "title", "IMET FY27")},
	 .about = NONE},

	{.name = "AOD yesterday, in development", .rule = "program-aod-past",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "development",
	                  "aod_date", "2026-11-24")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-OBS Patrol boats",
	 .detail = "anticipated offer date 2026-11-24 passed, not yet offered",
	 .due = "2026-11-24"},
	{.name = "AOD passed, LOR received", .rule = "program-aod-past",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "aod_date", "2026-06-30")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-OBS Patrol boats",
	 .detail = "anticipated offer date 2026-06-30 passed, not yet offered",
	 .due = "2026-06-30"},
	{.name = "AOD today", .rule = "program-aod-past",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "development", "aod_date", TODAY)},
	 .about = NONE},
	{.name = "AOD passed, offered", .rule = "program-aod-past",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "offered", "aod_date", "2026-11-01", "offer_date", "2026-01-01")},
	 .about = NONE},

	{.name = "offer expires in 30 days", .rule = "program-oed",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "offered", "oed_date", "2026-12-25", "offer_date", "2026-01-01")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-OBS Patrol boats",
	 .detail = "offer expires 2026-12-25", .due = "2026-12-25"},
	{.name = "offer expires in 31 days", .rule = "program-oed",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "offered", "oed_date", "2026-12-26", "offer_date", "2026-01-01")},
	 .about = NONE},
	{.name = "offer expires in 41 days, threshold 45", .rule = "program-oed",
	 .setting = "alert_oed_days", .value = "45",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "offered", "oed_date", "2027-01-05", "offer_date", "2026-01-01")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-OBS Patrol boats",
	 .detail = "offer expires 2027-01-05", .due = "2027-01-05"},
	/* without an OED the offer stands offer_valid_days by case type: a
	 * BPC pseudo-LOA's 30 days, a sale's 85 */
	{.name = "BPC offer 15 days ago, no OED", .rule = "program-oed",
	 .rows = {PROGRAM("authority", "s333", "case_id", "BN-B-UAA", "case_type", "bpc",
	                  "status", "offered", "offer_date", "2026-11-10")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-UAA Patrol boats",
	 .detail = "offer expires 2026-12-10 (offered 2026-11-10, no OED recorded)",
	 .due = "2026-12-10"},
	{.name = "defined-order offer 15 days ago, no OED", .rule = "program-oed",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "case_type", "defined_order",
	                  "status", "offered", "offer_date", "2026-11-10")},
	 .about = NONE},
	{.name = "defined-order offer 66 days ago, no OED", .rule = "program-oed",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "case_type", "defined_order",
	                  "status", "offered", "offer_date", "2026-09-20")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-OBS Patrol boats",
	 .detail = "offer expires 2026-12-14 (offered 2026-09-20, no OED recorded)",
	 .due = "2026-12-14"},
	{.name = "case without a case type, offer 66 days ago, no OED", .rule = "program-oed",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "offered", "offer_date", "2026-09-20")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-OBS Patrol boats",
	 .detail = "offer expires 2026-12-14 (offered 2026-09-20, no OED recorded)",
	 .due = "2026-12-14"},
	{.name = "BPC offer 15 days ago, OED in 68 days", .rule = "program-oed",
	 .rows = {PROGRAM("authority", "s333", "case_id", "BN-B-UAA", "case_type", "bpc",
	                  "status", "offered", "offer_date", "2026-11-10", "oed_date", "2027-02-01")},
	 .about = NONE},
	{.name = "BPC offer 15 days ago, offer_valid_days_bpc 46", .rule = "program-oed",
	 .setting = "offer_valid_days_bpc", .value = "46",
	 .rows = {PROGRAM("authority", "s333", "case_id", "BN-B-UAA", "case_type", "bpc",
	                  "status", "offered", "offer_date", "2026-11-10")},
	 .about = NONE},
	{.name = "offer accepted before it expires", .rule = "program-oed",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "accepted", "oed_date", "2026-12-01", "accepted_date", "2026-01-01")},
	 .about = NONE},

	{.name = "supply complete 24 months ago", .rule = "program-ssc-open",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "supply_complete",
	                  "ssc_date", "2024-11-25")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-OBS Patrol boats",
	 .detail = "supply complete since 2024-11-25 and not closed", .due = TODAY},
	{.name = "supply complete a day short of 24 months", .rule = "program-ssc-open",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "supply_complete",
	                  "ssc_date", "2024-11-26")},
	 .about = NONE},
	{.name = "supply complete 17 months ago, threshold 12", .rule = "program-ssc-open",
	 .setting = "alert_ssc_months", .value = "12",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "supply_complete",
	                  "ssc_date", "2025-06-01")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-OBS Patrol boats",
	 .detail = "supply complete since 2025-06-01 and not closed", .due = "2026-06-01"},
	/* closure is due 36 months after supply complete for a training case,
	 * 24 for the others */
	{.name = "training case supply complete 30 months ago", .rule = "program-ssc-open",
	 .rows = {PROGRAM("case_id", "BN-B-TAA", "case_type", "training", "status",
	                  "supply_complete", "ssc_date", "2024-05-25")},
	 .about = NONE},
	{.name = "defined-order case supply complete 30 months ago", .rule = "program-ssc-open",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "case_type", "defined_order", "status",
	                  "supply_complete", "ssc_date", "2024-05-25")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-OBS Patrol boats",
	 .detail = "supply complete since 2024-05-25 and not closed", .due = "2026-05-25"},
	{.name = "training case supply complete 36 months ago", .rule = "program-ssc-open",
	 .rows = {PROGRAM("case_id", "BN-B-TAA", "case_type", "training", "status",
	                  "supply_complete", "ssc_date", "2023-11-25")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-TAA Patrol boats",
	 .detail = "supply complete since 2023-11-25 and not closed", .due = TODAY},
	{.name = "training case 30 months, alert_ssc_months_training 30", .rule = "program-ssc-open",
	 .setting = "alert_ssc_months_training", .value = "30",
	 .rows = {PROGRAM("case_id", "BN-B-TAA", "case_type", "training", "status",
	                  "supply_complete", "ssc_date", "2024-05-25")},
	 .about = 0, .severity = SK_WARNING, .subject = "BN-B-TAA Patrol boats",
	 .detail = "supply complete since 2024-05-25 and not closed", .due = TODAY},
	{.name = "training case 30 months, alert_ssc_months 12", .rule = "program-ssc-open",
	 .setting = "alert_ssc_months", .value = "12",
	 .rows = {PROGRAM("case_id", "BN-B-TAA", "case_type", "training", "status",
	                  "supply_complete", "ssc_date", "2024-05-25")},
	 .about = NONE},
	{.name = "closed long after supply complete", .rule = "program-ssc-open",
	 .rows = {PROGRAM("case_id", "BN-B-OBS", "status", "closed", "ssc_date", "2020-01-01", "closed_date", "2021-01-01")},
	 .about = NONE},

	/* ---- rule 7: engagements ---- */
	{.name = "follow-up due yesterday", .rule = "followup-overdue",
	 .rows = {ROW("engagements", "date", "2026-11-01", "type", "office_call",
	              "location", "MoD J5", "followup", "Send the LOR template",
	              "followup_due", "2026-11-24")},
	 .about = 0, .severity = SK_WARNING, .subject = "2026-11-01 office call at MoD J5",
	 .detail = "follow-up due 2026-11-24: Send the LOR template", .due = "2026-11-24"},
	{.name = "follow-up due today", .rule = "followup-overdue",
	 .rows = {ROW("engagements", "date", "2026-11-01", "type", "office_call",
	              "followup", "Send the LOR template", "followup_due", TODAY)},
	 .about = NONE},
	{.name = "follow-up done", .rule = "followup-overdue",
	 .rows = {ROW("engagements", "date", "2026-11-01", "type", "office_call",
	              "followup", "Send the LOR template", "followup_due", "2026-11-02",
	              "followup_done", "1")},
	 .about = NONE},
	{.name = "long follow-up, no location", .rule = "followup-overdue",
	 .rows = {ROW("engagements", "date", "2026-10-15", "type", "working_group",
	              "followup", FOLLOWUP90, "followup_due", "2026-11-01")},
	 .about = 0, .severity = SK_WARNING, .subject = "2026-10-15 working group",
	 .detail = "follow-up due 2026-11-01: "
	           "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ01234567",
	 .due = "2026-11-01"},

	{.name = "key leader last met 91 days ago", .rule = "key-leader-stale",
	 .rows = {LEADER("service", "army"), MET("2026-08-26")},
	 .about = 0, .severity = SK_INFO, .subject = HADDAD,
	 .detail = "last engaged 2026-08-26", .due = ""},
	{.name = "key leader last met 90 days ago", .rule = "key-leader-stale",
	 .rows = {LEADER("service", "army"), MET("2026-08-27")},
	 .about = NONE},
	{.name = "key leader never met", .rule = "key-leader-stale",
	 .rows = {LEADER("service", "army")},
	 .about = 0, .severity = SK_INFO, .subject = HADDAD, .detail = "never engaged", .due = ""},
	{.name = "key leader met 55 days ago, threshold 30", .rule = "key-leader-stale",
	 .setting = "alert_key_leader_days", .value = "30",
	 .rows = {LEADER("service", "army"), MET("2026-10-01")},
	 .about = 0, .severity = SK_INFO, .subject = HADDAD,
	 .detail = "last engaged 2026-10-01", .due = ""},
	{.name = "key leader met only in a deleted engagement", .rule = "key-leader-stale",
	 .rows = {LEADER("service", "army"),
	          GONE("engagements", "date", "2026-11-01", "type", "kle", "contact_ids", "#0")},
	 .about = 0, .severity = SK_INFO, .subject = HADDAD, .detail = "never engaged", .due = ""},
	{.name = "key leader: the latest meeting counts", .rule = "key-leader-stale",
	 .rows = {ROW("contacts", "last_name", "Haddad", "key_leader", "1"),
	          MET("2026-06-01"), MET("2026-08-20"), MET("2026-03-01")},
	 .about = 0, .severity = SK_INFO, .subject = "Haddad",
	 .detail = "last engaged 2026-08-20", .due = ""},
	{.name = "contact who is no key leader", .rule = "key-leader-stale",
	 .rows = {ROW("contacts", "last_name", "Haddad", "key_leader", "0")},
	 .about = NONE},

	/* ---- rule 8: end-use monitoring ---- */
	{.name = "device delivered 91 days ago, never inventoried", .rule = "eum-initial-inventory",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-08-26")},
	 .about = 1, .severity = SK_WARNING, .subject = SN001,
	 .detail = "delivered 2026-08-26; no inventory has seen it", .due = "2026-11-24"},
	{.name = "device delivered 90 days ago", .rule = "eum-initial-inventory",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-08-27")},
	 .about = NONE},
	{.name = "device delivered 181 days ago: an error", .rule = "eum-initial-inventory",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-05-28")},
	 .about = 1, .severity = SK_ERROR, .subject = SN001,
	 .detail = "delivered 2026-05-28; no inventory has seen it", .due = "2026-08-26"},
	{.name = "device delivered 180 days ago: still a warning", .rule = "eum-initial-inventory",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-05-29")},
	 .about = 1, .severity = SK_WARNING, .subject = SN001,
	 .detail = "delivered 2026-05-29; no inventory has seen it", .due = "2026-08-27"},
	{.name = "device seen by its initial inventory", .rule = "eum-initial-inventory",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-05-28"),
	          CHECK("initial_inventory", "2026-07-01", NULL), LINE("#2", "#1", "damaged")},
	 .about = NONE},
	{.name = "device not seen by an inventory, nor checked by a visit", .rule = "eum-initial-inventory",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-08-26"),
	          CHECK("initial_inventory", "2026-10-01", NULL), LINE("#2", "#1", "not_seen"),
	          CHECK("physical_security", "2026-10-02", NULL), LINE("#4", "#1", "seen")},
	 .about = 1, .severity = SK_WARNING, .subject = SN001,
	 .detail = "delivered 2026-08-26; no inventory has seen it", .due = "2026-11-24"},
	{.name = "device without enhanced monitoring", .rule = "eum-initial-inventory",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-05-28", "eeum", "0")},
	 .about = NONE},
	{.name = "device expended", .rule = "eum-initial-inventory",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-05-28", "status", "expended")},
	 .about = NONE},
	{.name = "device delivered 31 days ago, threshold 30", .rule = "eum-initial-inventory",
	 .setting = "eum_initial_days", .value = "30",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-10-25")},
	 .about = 1, .severity = SK_WARNING, .subject = SN001,
	 .detail = "delivered 2026-10-25; no inventory has seen it", .due = "2026-11-24"},

	{.name = "last inventory 335 days ago: due in 30 days", .rule = "eum-inventory-due",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2025-06-01"),
	          CHECK("annual_inventory", "2025-12-25", NULL), LINE("#2", "#1", "seen")},
	 .about = 1, .severity = SK_WARNING, .subject = SN001,
	 .detail = "last seen by an inventory 2025-12-25; the next is due 2026-12-25",
	 .due = "2026-12-25"},
	{.name = "last inventory 334 days ago", .rule = "eum-inventory-due",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2025-06-01"),
	          CHECK("annual_inventory", "2025-12-26", NULL), LINE("#2", "#1", "seen")},
	 .about = NONE},
	{.name = "last inventory 365 days ago: due today, a warning", .rule = "eum-inventory-due",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2025-06-01"),
	          CHECK("initial_inventory", "2025-11-25", NULL), LINE("#2", "#1", "wrong_site")},
	 .about = 1, .severity = SK_WARNING, .subject = SN001,
	 .detail = "last seen by an inventory 2025-11-25; the next is due 2026-11-25",
	 .due = "2026-11-25"},
	{.name = "last inventory 366 days ago: an error", .rule = "eum-inventory-due",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2025-06-01"),
	          CHECK("annual_inventory", "2025-11-24", NULL), LINE("#2", "#1", "seen")},
	 .about = 1, .severity = SK_ERROR, .subject = SN001,
	 .detail = "last seen by an inventory 2025-11-24; the next is due 2026-11-24",
	 .due = "2026-11-24"},
	{.name = "the latest inventory that saw it counts", .rule = "eum-inventory-due",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2025-06-01"),
	          CHECK("annual_inventory", "2026-08-17", NULL), LINE("#2", "#1", "seen"),
	          CHECK("initial_inventory", "2025-10-21", NULL), LINE("#4", "#1", "seen")},
	 .about = NONE},
	{.name = "inventory 201 days ago, threshold 200", .rule = "eum-inventory-due",
	 .setting = "eum_inventory_days", .value = "200",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2025-06-01"),
	          CHECK("annual_inventory", "2026-05-08", NULL), LINE("#2", "#1", "seen")},
	 .about = 1, .severity = SK_ERROR, .subject = SN001,
	 .detail = "last seen by an inventory 2026-05-08; the next is due 2026-11-24",
	 .due = "2026-11-24"},

	{.name = "device lost", .rule = "eum-item-missing",
	 .rows = {NVD_CASE(NULL), NVD("status", "lost", "status_date", "2026-11-01", "eeum", "0")},
	 .about = 1, .severity = SK_ERROR, .subject = SN001, .detail = "lost since 2026-11-01",
	 .due = "2026-11-01"},
	{.name = "device stolen, no date", .rule = "eum-item-missing",
	 .rows = {NVD_CASE(NULL), NVD("status", "stolen")},
	 .about = 1, .severity = SK_ERROR, .subject = SN001, .detail = "stolen", .due = ""},
	{.name = "device not seen by its last inventory", .rule = "eum-item-missing",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2025-06-01"),
	          CHECK("initial_inventory", "2025-08-01", NULL), LINE("#2", "#1", "seen"),
	          CHECK("annual_inventory", "2026-10-01", NULL), LINE("#4", "#1", "not_seen")},
	 .about = 1, .severity = SK_ERROR, .subject = SN001,
	 .detail = "not seen by the annual inventory of 2026-10-01", .due = "2026-10-01"},
	{.name = "device not seen, then found by a later inventory", .rule = "eum-item-missing",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2025-06-01"),
	          CHECK("annual_inventory", "2026-10-01", NULL), LINE("#2", "#1", "not_seen"),
	          CHECK("annual_inventory", "2026-10-15", NULL), LINE("#4", "#1", "seen")},
	 .about = NONE},
	{.name = "device not seen, then recorded transferred", .rule = "eum-item-missing",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2025-06-01", "status", "transferred"),
	          CHECK("annual_inventory", "2026-10-01", NULL), LINE("#2", "#1", "not_seen")},
	 .about = NONE},
	{.name = "device not seen by a routine check", .rule = "eum-item-missing",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2025-06-01"),
	          CHECK("routine", "2026-10-01", NULL), LINE("#2", "#1", "not_seen")},
	 .about = NONE},
	{.name = "device issued", .rule = "eum-item-missing",
	 .rows = {NVD_CASE(NULL), NVD("status", "issued")},
	 .about = NONE},

	{.name = "check follow-up due yesterday", .rule = "eum-followup",
	 .rows = {NVD_CASE(NULL), CHECK("annual_inventory", "2026-10-01", "site", "Depot 1",
	                                "followup", "Replace the locks", "followup_due", "2026-11-24")},
	 .about = 1, .severity = SK_WARNING, .subject = "annual inventory of 2026-10-01 at Depot 1",
	 .detail = "follow-up due 2026-11-24: Replace the locks", .due = "2026-11-24"},
	{.name = "check follow-up due today", .rule = "eum-followup",
	 .rows = {NVD_CASE(NULL), CHECK("routine", "2026-10-01", "followup", "Replace the locks",
	                                "followup_due", TODAY)},
	 .about = NONE},
	{.name = "check follow-up done", .rule = "eum-followup",
	 .rows = {NVD_CASE(NULL), CHECK("routine", "2026-10-01", "followup", "Replace the locks",
	                                "followup_due", "2026-11-01", "followup_done", "1")},
	 .about = NONE},

	{.name = "EUM billet vacant while a device is held", .rule = "eum-billet",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-10-01"), EUM_BILLET(NULL)},
	 .about = 2, .severity = SK_WARNING, .subject = "ODC-08 EUM Officer",
	 .detail = "vacant while 1 enhanced-monitoring item is held", .due = "2026-12-30"},
	{.name = "EUM officer leaves the day before the inventory is due", .rule = "eum-billet",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-10-01"), EUM_BILLET(NULL),
	          PERSON("billet_number", "ODC-08", "arrival_date", "2025-01-01",
	                 "deros_date", "2026-12-29")},
	 .about = 2, .severity = SK_WARNING, .subject = "ODC-08 EUM Officer",
	 .detail = "Smith leaves 2026-12-29, before the next inventory, due 2026-12-30",
	 .due = "2026-12-29"},
	{.name = "EUM officer leaves the day the inventory is due", .rule = "eum-billet",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-10-01"), EUM_BILLET(NULL),
	          PERSON("billet_number", "ODC-08", "arrival_date", "2025-01-01",
	                 "deros_date", "2026-12-30")},
	 .about = NONE},
	{.name = "EUM billet vacant, nothing under enhanced monitoring held", .rule = "eum-billet",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-10-01", "status", "disposed"),
	          NVD("serial_number", "SN002", "eeum", "0"), EUM_BILLET(NULL)},
	 .about = NONE},
	{.name = "another billet vacant", .rule = "eum-billet",
	 .rows = {NVD_CASE(NULL), NVD("delivered_date", "2026-10-01"),
	          EUM_BILLET("role", "program_officer")},
	 .about = NONE},

	{.name = "case closed with a device lost", .rule = "eum-case-closed",
	 .rows = {NVD_CASE("status", "closed", "ssc_date", "2026-06-01", "closed_date", "2026-11-01"),
	          NVD("status", "lost")},
	 .about = 0, .severity = SK_ERROR, .subject = "QV-B-VAH Night vision devices",
	 .detail = "closed with 1 item not accounted for", .due = "2026-11-01"},
	{.name = "case supply complete, devices never inventoried", .rule = "eum-case-closed",
	 .rows = {NVD_CASE("status", "supply_complete", "ssc_date", "2026-06-01"),
	          NVD("delivered_date", "2026-10-01"), NVD("serial_number", "SN002"),
	          NVD("serial_number", "SN003", "eeum", "0")},
	 .about = 0, .severity = SK_ERROR, .subject = "QV-B-VAH Night vision devices",
	 .detail = "supply complete with 2 items not accounted for", .due = "2026-06-01"},
	{.name = "case closed, its device seen and another transferred", .rule = "eum-case-closed",
	 .rows = {NVD_CASE("status", "closed", "ssc_date", "2026-06-01", "closed_date", "2026-11-01"),
	          NVD("delivered_date", "2026-01-01"), CHECK("initial_inventory", "2026-03-01", NULL),
	          LINE("#2", "#1", "seen"), NVD("serial_number", "SN002", "status", "transferred")},
	 .about = NONE},
	{.name = "case implemented with a device lost", .rule = "eum-case-closed",
	 .rows = {NVD_CASE(NULL), NVD("status", "lost")},
	 .about = NONE},
};

/* Every rule code in alerts.c, each of which must have a case that fires
 * and one that does not. */
static const char *const rule_codes[] = {
	"student-vetting", "student-ecl", "student-medical", "student-leahy-lapse",
	"student-security-vetting", "student-absent", "unit-vetting", "deros-no-replacement",
	"billet-gap", "billet-vacant", "billet-double-filled", "training-overdue", "training-due",
	"training-expired", "cert-below", "cert-due", "program-case-id", "program-aod-past",
	"program-oed", "program-ssc-open", "followup-overdue", "key-leader-stale",
	"eum-initial-inventory", "eum-inventory-due", "eum-item-missing", "eum-followup",
	"eum-billet", "eum-case-closed",
};

/* ---- helpers ------------------------------------------------------------- */

static const sk_table *table(const char *name)
{
	const sk_table *t = sk_table_find(name);
	if (!t)
		fail_msg("no table %s", name);
	return t;
}

/* Inserts rows (up to the first without a table), then deletes the gone
 * ones; ids[i] is the id of rows[i]. */
static void insert_rows(sk_db *db, const row *rows, size_t n, int64_t *ids)
{
	size_t count = 0;
	for (; count < n && rows[count].table; count++) {
		const row *r = &rows[count];
		sk_record *rec = sk_record_new(table(r->table));
		assert_non_null(rec);
		for (size_t k = 0; k + 1 < N(r->kv) && r->kv[k]; k += 2) {
			const char *v = r->kv[k + 1];
			char id[24];
			if (v && v[0] == '#') {
				long which = strtol(v + 1, NULL, 10);
				assert_true(which >= 0 && (size_t)which < count);
				snprintf(id, sizeof id, "%lld", (long long)ids[which]);
				v = id;
			}
			if (sk_set(rec, r->kv[k], v) != SK_OK)
				fail_msg("%s has no column %s", r->table, r->kv[k]);
		}
		ids[count] = tu_insert(db, rec);
		sk_record_free(rec);
	}
	for (size_t i = 0; i < count; i++) {
		sk_err err;
		if (rows[i].gone && sk_delete(db, table(rows[i].table), ids[i], &err) != SK_OK)
			fail_msg("cannot delete row %zu: %s", i, err.msg);
	}
}

static void set_setting(sk_db *db, const char *key, const char *value)
{
	sk_err err;
	if (sk_setting_set(db, key, value, &err) != SK_OK)
		fail_msg("cannot set %s=%s: %s", key, value, err.msg);
}

/* Errors, then warnings, then information; within a severity by due date,
 * the undated last. */
static void expect_ordered(const sk_alerts *a, const char *ctx)
{
	for (size_t i = 1; i < a->count; i++) {
		const sk_alert *p = &a->items[i - 1], *q = &a->items[i];
		bool ok = p->severity < q->severity ||
		          (p->severity == q->severity &&
		           (!q->due_date[0] || (p->due_date[0] && strcmp(p->due_date, q->due_date) <= 0)));
		if (!ok)
			fail_msg("%s: alert %zu (%s %s %s) comes before %s %s %s", ctx, i - 1,
			         sk_severity_name(p->severity), p->rule, p->due_date,
			         sk_severity_name(q->severity), q->rule, q->due_date);
	}
}

static void same_alert(const char *ctx, size_t i, const sk_alert *got, const sk_alert *want)
{
	if (got->severity != want->severity || strcmp(got->rule, want->rule) != 0 ||
	    got->row_id != want->row_id || strcmp(got->due_date, want->due_date) != 0 ||
	    strcmp(got->subject, want->subject) != 0 || strcmp(got->detail, want->detail) != 0)
		fail_msg("%s: head alert %zu is %s #%lld %s \"%s\" \"%s\", the whole list's "
		         "is %s #%lld %s \"%s\" \"%s\"", ctx, i, got->rule, (long long)got->row_id,
		         got->due_date, got->subject, got->detail, want->rule,
		         (long long)want->row_id, want->due_date, want->subject, want->detail);
}

/* The head (sk_alerts_head) of a, per_rule alerts a rule: its total is
 * a's count and its first per_rule alerts are a's first. */
static void expect_head(sk_db *db, const sk_alerts *a, size_t per_rule, const char *ctx)
{
	sk_err err;
	sk_alerts head = {0};
	int64_t total = -1;
	if (sk_alerts_head(db, per_rule, &head, &total, &err) != SK_OK)
		fail_msg("%s: the head of the alerts: %s", ctx, err.msg);
	if (total != (int64_t)a->count)
		fail_msg("%s: the head counts %lld alerts, the whole list has %zu", ctx,
		         (long long)total, a->count);
	expect_ordered(&head, ctx);
	for (size_t i = 0; i < per_rule && i < a->count; i++) {
		if (i >= head.count)
			fail_msg("%s: the head (%zu a rule) has %zu alerts", ctx, per_rule, head.count);
		same_alert(ctx, i, &head.items[i], &a->items[i]);
	}
	sk_alerts_free(&head);
}

/* Every alert, in order; the head agrees with it. */
static void compute(sk_db *db, sk_alerts *a, const char *ctx)
{
	sk_err err;
	sk_err_clear(&err);
	if (sk_alerts_compute(db, a, &err) != SK_OK)
		fail_msg("%s: computing alerts: %s", ctx, err.msg);
	expect_ordered(a, ctx);
	expect_head(db, a, 1, ctx);
}

/* The alerts of one rule: how many, and the last one found. */
static size_t of_rule(const sk_alerts *a, const char *rule, const sk_alert **found)
{
	size_t n = 0;
	for (size_t i = 0; i < a->count; i++) {
		if (strcmp(a->items[i].rule, rule) == 0) {
			if (found)
				*found = &a->items[i];
			n++;
		}
	}
	return n;
}

static void expect_text(const char *ctx, const char *what, const char *got,
                        const char *want)
{
	if (strcmp(got, want) != 0)
		fail_msg("%s: %s is \"%s\", expected \"%s\"", ctx, what, got, want);
}

/* ---- the table of cases ---------------------------------------------------- */

/* One case: builds its data, checks the alert (or its absence); for an
 * alert, deleting the record it is about makes it go and restoring it
 * brings it back. */
typedef struct case_state {
	const acase *k;
	tu_db t;
	sk_alerts a; /* freed by teardown, also when a check failed */
} case_state;

static int case_setup(void **state)
{
	case_state *cs = calloc(1, sizeof *cs);
	if (!cs)
		return -1;
	cs->k = *state;
	tu_open(&cs->t);
	*state = cs;
	return 0;
}

static int case_teardown(void **state)
{
	case_state *cs = *state;
	sk_alerts_free(&cs->a);
	tu_close(&cs->t);
	free(cs);
	return 0;
}

static void test_rule_case(void **state)
{
	case_state *cs = *state;
	const acase *k = cs->k;
	sk_db *db = cs->t.db;
	int64_t ids[N(k->rows)] = {0};
	if (k->setting)
		set_setting(db, k->setting, k->value);
	insert_rows(db, k->rows, N(k->rows), ids);

	sk_alerts *a = &cs->a;
	compute(db, a, k->name);
	const sk_alert *al = NULL;
	size_t n = of_rule(a, k->rule, &al);
	if (k->about == NONE) {
		if (n)
			fail_msg("%s: %s fired: %s / %s / %s", k->name, k->rule, al->subject,
			         al->detail, al->due_date);
		return;
	}
	if (n != 1)
		fail_msg("%s: %zu alerts of %s, expected 1", k->name, n, k->rule);
	const row *about = &k->rows[k->about];
	if (al->severity != k->severity)
		fail_msg("%s: severity %s, expected %s", k->name, sk_severity_name(al->severity),
		         sk_severity_name(k->severity));
	expect_text(k->name, "table", al->table, about->table);
	if (al->row_id != ids[k->about])
		fail_msg("%s: row_id %lld, expected %lld", k->name, (long long)al->row_id,
		         (long long)ids[k->about]);
	expect_text(k->name, "subject", al->subject, k->subject);
	expect_text(k->name, "detail", al->detail, k->detail);
	expect_text(k->name, "due date", al->due_date, k->due);

	/* a deleted record raises no alert; restored, it does again */
	sk_err err;
	assert_int_equal(sk_delete(db, table(about->table), ids[k->about], &err), SK_OK);
	compute(db, a, k->name);
	if (of_rule(a, k->rule, &al))
		fail_msg("%s: %s still fires for deleted %s %lld", k->name, k->rule,
		         about->table, (long long)ids[k->about]);
	assert_int_equal(sk_restore(db, table(about->table), ids[k->about], &err), SK_OK);
	compute(db, a, k->name);
	if (of_rule(a, k->rule, &al) != 1 || al->row_id != ids[k->about])
		fail_msg("%s: %s does not fire again after a restore", k->name, k->rule);
}

/* The table covers every rule both ways. */
static void test_cases_cover_every_rule(void **state)
{
	(void)state;
	for (size_t r = 0; r < N(rule_codes); r++) {
		int fires = 0, silent = 0;
		for (size_t i = 0; i < N(cases); i++) {
			if (strcmp(cases[i].rule, rule_codes[r]) != 0)
				continue;
			if (cases[i].about == NONE)
				silent++;
			else
				fires++;
		}
		if (!fires || !silent)
			fail_msg("rule %s: %d cases fire, %d stay silent", rule_codes[r], fires, silent);
	}
	for (size_t i = 0; i < N(cases); i++) {
		bool known = false;
		for (size_t r = 0; r < N(rule_codes); r++)
			known = known || strcmp(cases[i].rule, rule_codes[r]) == 0;
		if (!known)
			fail_msg("case \"%s\": unknown rule %s", cases[i].name, cases[i].rule);
	}
}

/* ---- order ------------------------------------------------------------------ */

/* Errors, then warnings, then information; within each by due date, the
 * undated last, whatever order the rules and the rows come in. */
static void test_order(void **state)
{
	(void)state;
	static const row rows[] = {
		/* 0 */ PERSON("arrival_date", "2026-01-01"),
		/* 1 */ COURSE("applies_to", "all"),
		/* 2 */ ROW("courses", "code", "FACT", "title", "Foreign Affairs Counter Threat"),
		/* 3 */ ROW("courses", "code", "LES-101", "title", "LES orientation"),
		/* 4 */ TRAINING("due_date", "2026-11-05"),
		/* 5 */ ROW("staff_training", "person_id", "#0", "course_code", "FACT",
		            "due_date", "2026-11-01"),
		/* 6 */ ROW("staff_training", "person_id", "#0", "course_code", "LES-101",
		            "due_date", "2026-12-01"),
		/* 7 */ STUDENT("report_date", "2026-12-10", "leahy_status", "pending",
		                "medical_cleared", "1"),
		/* 8 */ ROW("programs", "authority", "fms", "title", "Radios"),
		/* 9 */ PROGRAM("case_id", "BN-B-OBS", "status", "development",
		                "aod_date", "2026-11-20"),
		/* 10 */ ROW("billets", "billet_number", "P-1", "title", "Deputy"),
		/* 11 */ LEADER("service", "army"),
		/* 12 */ ROW("engagements", "date", "2026-10-01", "type", "office_call",
		             "followup", "Call back", "followup_due", "2026-11-10"),
	};
	static const struct {
		sk_severity severity;
		const char *rule;
		int row;
		const char *due;
	} want[] = {
		{SK_ERROR, "training-overdue", 5, "2026-11-01"},
		{SK_ERROR, "training-overdue", 4, "2026-11-05"},
		{SK_ERROR, "student-vetting", 7, "2026-12-10"},
		{SK_ERROR, "program-case-id", 8, ""},
		{SK_WARNING, "followup-overdue", 12, "2026-11-10"},
		{SK_WARNING, "program-aod-past", 9, "2026-11-20"},
		{SK_WARNING, "training-due", 6, "2026-12-01"},
		{SK_WARNING, "billet-vacant", 10, ""},
		{SK_INFO, "key-leader-stale", 11, ""},
	};
	tu_db t;
	tu_open(&t);
	int64_t ids[N(rows)] = {0};
	insert_rows(t.db, rows, N(rows), ids);
	sk_alerts a = {0};
	compute(t.db, &a, "order");
	for (size_t i = 0; i < a.count && i < N(want); i++) {
		const sk_alert *al = &a.items[i];
		if (al->severity != want[i].severity || strcmp(al->rule, want[i].rule) != 0 ||
		    al->row_id != ids[want[i].row] || strcmp(al->due_date, want[i].due) != 0)
			fail_msg("alert %zu is %s %s %s #%lld, expected %s %s %s #%lld", i,
			         sk_severity_name(al->severity), al->rule, al->due_date,
			         (long long)al->row_id, sk_severity_name(want[i].severity),
			         want[i].rule, want[i].due, (long long)ids[want[i].row]);
	}
	assert_int_equal(a.count, N(want));
	sk_alerts_free(&a);
	tu_close(&t);
}

/* ---- the head of a long list ------------------------------------------------ */

/* Many alerts of a few rules, dated and not, ties of due date across
 * rules: the head of every size is the whole list's beginning. */
static void test_head_of_many(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	char date[11], due[11], name[32];
	for (int i = 0; i < 40; i++) {
		/* follow-ups overdue, several on one day, some deleted, some done */
		sk_record *e = sk_record_new(table("engagements"));
		snprintf(date, sizeof date, "2026-%02d-%02d", 1 + i % 9, 1 + i % 27);
		snprintf(due, sizeof due, "2026-%02d-%02d", 10 - i % 9, 2 + (i * 7) % 25);
		sk_set(e, "date", date);
		sk_set(e, "type", "kle");
		sk_set(e, "followup", "Send the minutes");
		sk_set(e, "followup_due", due);
		sk_set(e, "followup_done", i % 10 == 3 ? "1" : "0");
		int64_t id = tu_insert(t.db, e);
		sk_record_free(e);
		sk_err err;
		if (i % 10 == 7)
			assert_int_equal(sk_delete(t.db, table("engagements"), id, &err), SK_OK);
		/* key leaders never engaged (no date) and vacant billets */
		sk_record *c = sk_record_new(table("contacts"));
		snprintf(name, sizeof name, "Leader %02d", 40 - i);
		sk_set(c, "last_name", name);
		sk_set(c, "key_leader", i % 2 ? "1" : "0");
		tu_insert(t.db, c);
		sk_record_free(c);
		if (i % 4 == 0) {
			sk_record *b = sk_record_new(table("billets"));
			snprintf(name, sizeof name, "P-%03d", 100 + i);
			sk_set(b, "billet_number", name);
			sk_set(b, "title", "Officer");
			tu_insert(t.db, b);
			sk_record_free(b);
		}
		/* students whose vetting is not approved, due alike */
		if (i % 3 == 0) {
			sk_record *s = sk_record_new(table("students"));
			snprintf(name, sizeof name, "Student %02d", i);
			sk_set(s, "last_name", name);
			sk_set(s, "first_name", "A");
			sk_set(s, "report_date", i % 2 ? "2026-12-01" : "2026-12-10");
			sk_set(s, "leahy_status", "pending");
			sk_set(s, "medical_cleared", "1");
			tu_insert(t.db, s);
			sk_record_free(s);
		}
	}
	sk_alerts a = {0};
	compute(t.db, &a, "many alerts");
	assert_true(a.count > 70);
	assert_int_equal(of_rule(&a, "followup-overdue", NULL), 32);
	static const size_t sizes[] = {1, 2, 3, 5, 8, 13, 21, 34, 1000};
	for (size_t k = 0; k < N(sizes); k++) {
		char ctx[64];
		snprintf(ctx, sizeof ctx, "head of %zu a rule", sizes[k]);
		expect_head(t.db, &a, sizes[k], ctx);
	}
	sk_alerts_free(&a);
	tu_close(&t);
}

/* The key-leader alert reads each contact's last live engagement from a
 * table kept by triggers: it must follow every change that moves it. */
static void test_key_leader_follows_changes(void **state)
{
	(void)state;
	static const row rows[] = {
		/* 0 */ LEADER("service", "army"),
		/* 1 */ ROW("contacts", "last_name", "Aziz", "key_leader", "0"),
		/* 2 */ ROW("engagements", "date", "2026-11-01", "type", "kle",
		            "contact_ids", "#0"),
		/* 3 */ ROW("engagements", "date", "2026-05-01", "type", "kle",
		            "contact_ids", "#0"),
	};
	tu_db t;
	tu_open(&t);
	int64_t ids[N(rows)] = {0};
	insert_rows(t.db, rows, N(rows), ids);
	const sk_table *eng = table("engagements");
	sk_err err;
	sk_alerts a = {0};
	const sk_alert *al = NULL;
	char links[64];

	compute(t.db, &a, "met on 2026-11-01");
	assert_int_equal(of_rule(&a, "key-leader-stale", NULL), 0);

	/* the recent meeting deleted: the older one is the last */
	assert_int_equal(sk_delete(t.db, eng, ids[2], &err), SK_OK);
	compute(t.db, &a, "recent meeting deleted");
	assert_int_equal(of_rule(&a, "key-leader-stale", &al), 1);
	assert_string_equal(al->detail, "last engaged 2026-05-01");

	/* and restored */
	assert_int_equal(sk_restore(t.db, eng, ids[2], &err), SK_OK);
	compute(t.db, &a, "recent meeting restored");
	assert_int_equal(of_rule(&a, "key-leader-stale", NULL), 0);

	/* its date moved back */
	sk_record *rec;
	assert_int_equal(sk_get_record(t.db, eng, ids[2], &rec, &err), SK_OK);
	sk_set(rec, "date", "2026-04-01");
	if (sk_update(t.db, rec, &err) != SK_OK)
		fail_msg("update: %s", err.msg);
	compute(t.db, &a, "recent meeting moved back");
	assert_int_equal(of_rule(&a, "key-leader-stale", &al), 1);
	assert_string_equal(al->detail, "last engaged 2026-05-01");

	/* forward again, then the leader taken off it */
	sk_set(rec, "date", "2026-11-20");
	assert_int_equal(sk_update(t.db, rec, &err), SK_OK);
	compute(t.db, &a, "meeting moved forward");
	assert_int_equal(of_rule(&a, "key-leader-stale", NULL), 0);
	snprintf(links, sizeof links, "%lld", (long long)ids[1]);
	sk_set(rec, "contact_ids", links);
	if (sk_update(t.db, rec, &err) != SK_OK)
		fail_msg("update: %s", err.msg);
	compute(t.db, &a, "leader taken off the meeting");
	assert_int_equal(of_rule(&a, "key-leader-stale", &al), 1);
	assert_string_equal(al->detail, "last engaged 2026-05-01");

	/* put back on it */
	snprintf(links, sizeof links, "%lld;%lld", (long long)ids[0], (long long)ids[1]);
	sk_set(rec, "contact_ids", links);
	if (sk_update(t.db, rec, &err) != SK_OK)
		fail_msg("update: %s", err.msg);
	compute(t.db, &a, "leader back on the meeting");
	assert_int_equal(of_rule(&a, "key-leader-stale", NULL), 0);
	sk_record_free(rec);

	/* and every meeting deleted: never engaged */
	assert_int_equal(sk_delete(t.db, eng, ids[2], &err), SK_OK);
	assert_int_equal(sk_delete(t.db, eng, ids[3], &err), SK_OK);
	compute(t.db, &a, "every meeting deleted");
	assert_int_equal(of_rule(&a, "key-leader-stale", &al), 1);
	assert_string_equal(al->detail, "never engaged");
	sk_alerts_free(&a);
	tu_close(&t);
}

/* ---- thresholds --------------------------------------------------------------- */

/* The same data, the threshold moved back and forth through the settings. */
static void test_threshold_changes(void **state)
{
	(void)state;
	static const row rows[] = {
		STUDENT("report_date", "2027-01-10", "leahy_status", "pending",
		        "medical_cleared", "1"),
	};
	static const struct { const char *value; bool fires; } steps[] = {
		{NULL, false}, /* default: 30 days */
		{"60", true}, {"46", true}, {"45", false}, {"30", false}, {"365", true},
		{"0", false},
	};
	tu_db t;
	tu_open(&t);
	int64_t ids[N(rows)] = {0};
	insert_rows(t.db, rows, N(rows), ids);
	assert_int_equal(sk_setting_int(t.db, "alert_vetting_days"), 30);
	for (size_t i = 0; i < N(steps); i++) {
		char ctx[64];
		snprintf(ctx, sizeof ctx, "alert_vetting_days=%s",
		         steps[i].value ? steps[i].value : "(default)");
		if (steps[i].value)
			set_setting(t.db, "alert_vetting_days", steps[i].value);
		sk_alerts a = {0};
		compute(t.db, &a, ctx);
		const sk_alert *al = NULL;
		size_t n = of_rule(&a, "student-vetting", &al);
		if (n != (steps[i].fires ? 1u : 0u))
			fail_msg("%s: %zu student-vetting alerts, expected %d", ctx, n, steps[i].fires);
		if (n)
			assert_int_equal(al->row_id, ids[0]);
		sk_alerts_free(&a);
	}
	tu_close(&t);
}

/* Each case type takes its own threshold from setting BASE_TYPE (declared
 * or not): a case of that type fires on it, a case of another type keeps
 * the base setting's. Rows: 0 the case of the type, 1 one of another. */
static void test_every_case_type_has_its_threshold(void **state)
{
	(void)state;
	const sk_enum *e = &sk_enum_case_type;
	for (size_t i = 0; i < e->count; i++) {
		const char *type = e->values[i].code, *another = e->values[i ? 0 : 1].code;
		tu_db t;
		tu_open(&t);
		/* supply complete 7 months ago; offered 46 days ago, without OED */
		const row rows[] = {
			PROGRAM("case_id", "BN-B-OBA", "case_type", type, "status", "supply_complete",
			        "ssc_date", "2026-04-25"),
			PROGRAM("case_id", "BN-B-OBB", "case_type", another, "status", "supply_complete",
			        "ssc_date", "2026-04-25"),
			PROGRAM("case_id", "BN-B-OBC", "case_type", type, "status", "offered",
			        "offer_date", "2026-10-10"),
			PROGRAM("case_id", "BN-B-OBD", "case_type", another, "status", "offered",
			        "offer_date", "2026-10-10"),
		};
		int64_t ids[N(rows)] = {0};
		insert_rows(t.db, rows, N(rows), ids);
		char key[64];
		snprintf(key, sizeof key, "alert_ssc_months_%s", type);
		set_setting(t.db, key, "6");
		snprintf(key, sizeof key, "offer_valid_days_%s", type);
		set_setting(t.db, key, "10");
		/* the other type keeps the base: no bpc or training default */
		set_setting(t.db, "alert_ssc_months_training", "24");
		set_setting(t.db, "offer_valid_days_bpc", "85");
		if (strcmp(type, "training") == 0)
			set_setting(t.db, "alert_ssc_months_training", "6");
		if (strcmp(type, "bpc") == 0)
			set_setting(t.db, "offer_valid_days_bpc", "10");
		sk_alerts a = {0};
		compute(t.db, &a, type);
		const sk_alert *al = NULL;
		if (of_rule(&a, "program-ssc-open", &al) != 1 || al->row_id != ids[0])
			fail_msg("%s: closure after 6 months (alert_ssc_months_%s) does not fire for it "
			         "alone", type, type);
		expect_text(type, "closure due", al->due_date, "2026-10-25");
		if (of_rule(&a, "program-oed", &al) != 1 || al->row_id != ids[2])
			fail_msg("%s: an offer standing 10 days (offer_valid_days_%s) does not fire for "
			         "it alone", type, type);
		expect_text(type, "offer expiry", al->due_date, "2026-10-20");
		sk_alerts_free(&a);
		tu_close(&t);
	}
}

/* An empty database raises nothing, and the severity names are the words
 * the reports print. */
static void test_empty_and_names(void **state)
{
	(void)state;
	tu_db t;
	tu_open(&t);
	sk_alerts a = {0};
	compute(t.db, &a, "empty database");
	assert_int_equal(a.count, 0);
	sk_alerts_free(&a);
	tu_close(&t);
	assert_string_equal(sk_severity_name(SK_ERROR), "error");
	assert_string_equal(sk_severity_name(SK_WARNING), "warning");
	assert_string_equal(sk_severity_name(SK_INFO), "info");
}

int main(void)
{
	/* The cases are written against this calendar. */
	setenv("SCODESK_TODAY", TODAY, 1);
	static char names[N(cases)][200];
	static struct CMUnitTest tests[N(cases) + 7] = {
		cmocka_unit_test(test_cases_cover_every_rule),
		cmocka_unit_test(test_head_of_many),
		cmocka_unit_test(test_key_leader_follows_changes),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_threshold_changes),
		cmocka_unit_test(test_empty_and_names),
		cmocka_unit_test(test_every_case_type_has_its_threshold),
	};
	for (size_t i = 0; i < N(cases); i++) {
		snprintf(names[i], sizeof names[i], "%s: %s", cases[i].rule, cases[i].name);
		tests[7 + i] = (struct CMUnitTest){
			.name = names[i],
			.test_func = test_rule_case,
			.setup_func = case_setup,
			.teardown_func = case_teardown,
			.initial_state = (void *)&cases[i],
		};
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
