/*
 * schema.c: the description of every table (see schema.h).
 *
 * This file is the one place that lists tables, columns and enumerations.
 * Column order here is the CSV column order and the form's field order.
 */
#include <string.h>

#include "core.h"
#include "scodesk/schema.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define ENUMDEF(var, ename, ...)                                        \
	static const sk_enum_value var##_values[] = {__VA_ARGS__};      \
	const sk_enum var = {.name = ename, .values = var##_values,     \
	                     .count = N(var##_values)}
/* ... and one that gained codes in later versions (a list of
 * sk_enum_added, ending with {NULL, 0}) */
#define ENUMDEF_GROWN(var, ename, grown, ...)                           \
	static const sk_enum_value var##_values[] = {__VA_ARGS__};      \
	static const sk_enum_added var##_added[] = grown;              \
	const sk_enum var = {.name = ename, .values = var##_values,     \
	                     .count = N(var##_values), .added = var##_added}
#define ADDED(...) {__VA_ARGS__, {NULL, 0}}

int sk_enum_since(const sk_enum *e, const char *code)
{
	for (const sk_enum_added *a = e->added; a && a->code; a++)
		if (strcmp(a->code, code) == 0)
			return a->since;
	return 1;
}

/* ---- enumerations ---------------------------------------------------- */

ENUMDEF(sk_enum_billet_role, "role",
        {"sdo_datt", "SDO/DATT"}, {"chief", "Chief"}, {"deputy", "Deputy"},
        {"program_officer", "Program officer"},
        {"training_officer", "Training officer"},
        {"eum_officer", "EUM officer"}, {"admin", "Admin"},
        {"les_assistant", "LES assistant"}, {"other", "Other"});

ENUMDEF(sk_enum_service, "service",
        {"army", "Army"}, {"navy", "Navy"}, {"air_force", "Air Force"},
        {"marine_corps", "Marine Corps"}, {"space_force", "Space Force"},
        {"coast_guard", "Coast Guard"}, {"civilian", "Civilian"},
        {"contractor", "Contractor"}, {"les", "LES"});

/* Ordered: a lower index is a lower level (rule 5 compares them). */
ENUMDEF(sk_enum_cert_level, "cert_level",
        {"none", "None"}, {"foundational", "Foundational"},
        {"practitioner", "Practitioner"}, {"expert", "Expert"},
        {"executive", "Executive"});

ENUMDEF(sk_enum_person_status, "person_status",
        {"inbound", "Inbound"}, {"present", "Present"}, {"tdy", "TDY"},
        {"leave", "Leave"}, {"departed", "Departed"});

ENUMDEF(sk_enum_clearance, "clearance",
        {"none", "None"}, {"confidential", "Confidential"},
        {"secret", "Secret"}, {"top_secret", "Top Secret"},
        {"ts_sci", "TS/SCI"});

ENUMDEF(sk_enum_ilr, "ilr",
        {"0", "0"}, {"0+", "0+"}, {"1", "1"}, {"1+", "1+"}, {"2", "2"},
        {"2+", "2+"}, {"3", "3"}, {"3+", "3+"}, {"4", "4"}, {"4+", "4+"},
        {"5", "5"});

ENUMDEF(sk_enum_applies_to, "applies_to",
        {"all", "All staff"}, {"us_staff", "U.S. staff"}, {"les", "LES"},
        {"chief", "Chief"});

ENUMDEF(sk_enum_leahy, "leahy_status",
        {"not_submitted", "Not submitted"}, {"pending", "Pending"},
        {"approved", "Approved"}, {"denied", "Denied"},
        {"expired", "Expired"});

/* The DoD's own screening of an international military student (schema 5),
 * apart from Leahy vetting. */
ENUMDEF(sk_enum_security_vetting, "security_vetting",
        {"not_submitted", "Not submitted"}, {"pending", "Pending"},
        {"complete", "Complete"}, {"derogatory", "Derogatory"});

/* Ordered as the pipeline runs; Returned (schema 6) is back home after
 * training. */
ENUMDEF_GROWN(sk_enum_student_status, "student_status", ADDED({"returned", 6}),
        {"nominated", "Nominated"}, {"screened", "Screened"},
        {"vetted", "Vetted"}, {"ito_issued", "ITO issued"},
        {"in_training", "In training"}, {"completed", "Completed"},
        {"returned", "Returned"}, {"failed", "Failed"},
        {"cancelled", "Cancelled"}, {"absent", "Absent"});

ENUMDEF(sk_enum_authority, "authority",
        {"fms", "FMS"}, {"fmf", "FMF"}, {"imet", "IMET"},
        {"s333", "Sec. 333"}, {"s345", "Sec. 345"}, {"eda", "EDA"},
        {"incle", "INCLE"}, {"cn", "Counter-narcotics"},
        {"other", "Other"});

/* Ordered as a case runs, then the statuses of a program that is not a
 * case (schema 6: IMET, Sec. 345, INCLE and the others run no LOA), then
 * Cancelled, which both have. rules.c keeps each to its own. */
ENUMDEF_GROWN(sk_enum_program_status, "program_status",
              ADDED({"planned", 6}, {"active", 6}, {"complete", 6}),
        {"lor_received", "LOR received"}, {"development", "Development"},
        {"offered", "Offered"}, {"accepted", "Accepted"},
        {"implemented", "Implemented"},
        {"supply_complete", "Supply complete"}, {"closed", "Closed"},
        {"planned", "Planned"}, {"active", "Active"},
        {"complete", "Complete"}, {"cancelled", "Cancelled"});

/* The kind of an LOA case (schema 6): it sets how long an offer stands
 * and how long after supply complete closure is due (alerts.c). */
ENUMDEF(sk_enum_case_type, "case_type",
        {"defined_order", "Defined order"}, {"blanket_order", "Blanket order"},
        {"training", "Training"}, {"bpc", "BPC"},
        {"cooperative_logistics", "Cooperative logistics"}, {"other", "Other"});

ENUMDEF(sk_enum_engagement_type, "engagement_type",
        {"office_call", "Office call"}, {"kle", "KLE"},
        {"conference", "Conference"}, {"working_group", "Working group"},
        {"visit", "Visit"}, {"exercise", "Exercise"},
        {"training_event", "Training event"}, {"social", "Social"},
        {"other", "Other"});

ENUMDEF(sk_enum_audit_action, "audit_action",
        {"insert", "Insert"}, {"update", "Update"}, {"delete", "Delete"},
        {"import", "Import"}, {"restore", "Restore"});

ENUMDEF(sk_enum_training_status, "training_status",
        {"done", "done"}, {"due", "due"}, {"overdue", "overdue"},
        {"expired", "expired"}, {"waived", "waived"});

/* End-use monitoring (schema 6): what a defense article is, where it is,
 * and what an inventory or a visit found of it. */
ENUMDEF(sk_enum_eum_category, "eum_category",
        {"nvd", "NVD"}, {"manpads", "MANPADS"}, {"missile", "Missile"},
        {"comsec", "COMSEC"}, {"uas", "UAS"}, {"other", "Other"});

/* Held (in storage, issued), then gone and accounted for, then missing:
 * alerts.c reads them in these groups. */
ENUMDEF(sk_enum_eum_item_status, "eum_item_status",
        {"in_storage", "In storage"}, {"issued", "Issued"},
        {"expended", "Expended"}, {"lost", "Lost"}, {"stolen", "Stolen"},
        {"transferred", "Transferred"}, {"disposed", "Disposed"});

ENUMDEF(sk_enum_eum_check_kind, "eum_check_kind",
        {"initial_inventory", "Initial inventory"},
        {"annual_inventory", "Annual inventory"},
        {"physical_security", "Physical security"}, {"routine", "Routine"},
        {"compliance_visit", "Compliance visit"});

ENUMDEF(sk_enum_eum_result, "eum_result",
        {"seen", "Seen"}, {"not_seen", "Not seen"}, {"damaged", "Damaged"},
        {"wrong_site", "Wrong site"});

/* ---- column builders --------------------------------------------------- */

#define ID {.name = "id", .label = "ID", .type = SK_T_ID, .flags = SK_F_SYSTEM, .width = 6}
#define SYSTEM_COLUMNS                                                                       \
	{.name = "created_at", .label = "Created", .type = SK_T_TIMESTAMP,                   \
	 .flags = SK_F_SYSTEM | SK_F_REQUIRED, .width = 20},                                 \
	{.name = "updated_at", .label = "Updated", .type = SK_T_TIMESTAMP,                   \
	 .flags = SK_F_SYSTEM | SK_F_REQUIRED, .width = 20},                                 \
	{.name = "version", .label = "Version", .type = SK_T_INT,                            \
	 .flags = SK_F_SYSTEM | SK_F_REQUIRED, .width = 4, .min = 1, .max = 1LL << 62},     \
	{.name = "deleted_at", .label = "Deleted", .type = SK_T_TIMESTAMP,                   \
	 .flags = SK_F_SYSTEM, .width = 20}

#define TEXT(n, l, w, f) {.name = n, .label = l, .type = SK_T_TEXT, .flags = f, .width = w}
#define CHECKED(n, l, w, f, fn) \
	{.name = n, .label = l, .type = SK_T_TEXT, .flags = f, .width = w, .check = fn}
#define DATE(n, l, f) {.name = n, .label = l, .type = SK_T_DATE, .flags = f, .width = 10}
#define ENUM(n, l, w, f, e, d) \
	{.name = n, .label = l, .type = SK_T_ENUM, .flags = f, .width = w, .enumeration = &e, .def = d}
#define INT(n, l, w, f, lo, hi) \
	{.name = n, .label = l, .type = SK_T_INT, .flags = f, .width = w, .min = lo, .max = hi}
#define BOOL(n, l) {.name = n, .label = l, .type = SK_T_BOOL, .width = 3, .def = "0"}
#define REF(n, l, w, f, t) {.name = n, .label = l, .type = SK_T_REF, .flags = f, .width = w, .ref_table = t}
#define KEYREF(n, l, w, f, t, c) \
	{.name = n, .label = l, .type = SK_T_KEYREF, .flags = f, .width = w, .ref_table = t, .ref_column = c}

#define REQ SK_F_REQUIRED
#define NAME SK_F_NAME
#define KEY (SK_F_REQUIRED | SK_F_UNIQUE | SK_F_NATKEY)
#define LONG SK_F_MULTILINE

/* ---- tables ------------------------------------------------------------- */

/* Derived columns: computed when read, never stored or imported. They give
 * the lists and the reports what a row means for the office. */
#define DERIVED(n, l, w, e) {.name = n, .label = l, .type = SK_T_DERIVED, .width = w, .expr = e}
#define INCUMBENT(e)                                                              \
	"(SELECT " e " FROM personnel p WHERE p.billet_number = t.billet_number"  \
	" AND p.deleted_at IS NULL AND p.status IN ('present', 'tdy', 'leave')"   \
	" ORDER BY p.arrival_date DESC, p.id LIMIT 1)"
#define REPLACEMENT(e)                                                            \
	"(SELECT " e " FROM personnel p WHERE p.billet_number = t.billet_number"  \
	" AND p.deleted_at IS NULL AND p.status = 'inbound'"                      \
	" ORDER BY p.arrival_date, p.id LIMIT 1)"

static const sk_column billets_columns[] = {
	ID,
	CHECKED("billet_number", "Billet", 8, KEY | NAME, sk_check_billet_number),
	TEXT("title", "Title", 30, REQ | NAME),
	ENUM("role", "Role", 16, REQ, sk_enum_billet_role, "other"),
	CHECKED("authorized_grade", "Auth. grade", 6, SK_F_GRADE, sk_check_grade),
	ENUM("service", "Service", 12, 0, sk_enum_service, NULL),
	CHECKED("sc_code", "SC code", 7, 0, sk_check_sc_code),
	ENUM("required_cert_level", "Req. cert", 12, REQ, sk_enum_cert_level, "none"),
	DERIVED("incumbent", "Incumbent", 18, INCUMBENT("p.last_name || ', ' || p.first_name")),
	{.name = "grade", .label = "Grade", .type = SK_T_DERIVED, .flags = SK_F_GRADE, .width = 6,
	 .expr = INCUMBENT("p.grade")},
	DERIVED("arrival_date", "Arrived", 10, INCUMBENT("p.arrival_date")),
	DERIVED("deros_date", "DEROS", 10, INCUMBENT("p.deros_date")),
	DERIVED("replacement", "Replacement", 18, REPLACEMENT("p.last_name || ', ' || p.first_name")),
	DERIVED("replacement_arrival", "Arrives", 10, REPLACEMENT("p.arrival_date")),
	DERIVED("gap_days", "Gap", 4,
	        "CAST(julianday(" REPLACEMENT("p.arrival_date") ") - julianday("
	        INCUMBENT("p.deros_date") ") AS INTEGER)"),
	DERIVED("cert_level", "Cert", 12, INCUMBENT("p.cert_level")),
	DERIVED("clearance", "Clearance", 12, INCUMBENT("p.clearance")),
	DERIVED("languages", "Languages", 20,
	        INCUMBENT("(SELECT group_concat(l.language || ' ' || coalesce(l.listening, '-')"
	                  " || '/' || coalesce(l.reading, '-') || '/' || coalesce(l.speaking, '-'),"
	                  " '; ') FROM languages l WHERE l.person_id = p.id AND l.deleted_at IS NULL)")),
	SYSTEM_COLUMNS,
};

static const sk_column personnel_columns[] = {
	ID,
	TEXT("last_name", "Last name", 16, REQ | NAME),
	TEXT("first_name", "First name", 14, REQ | NAME),
	ENUM("service", "Service", 12, REQ, sk_enum_service, NULL),
	CHECKED("grade", "Grade", 6, SK_F_GRADE, sk_check_grade),
	KEYREF("billet_number", "Billet", 8, 0, "billets", "billet_number"),
	ENUM("status", "Status", 9, REQ, sk_enum_person_status, "present"),
	DATE("arrival_date", "Arrived", 0),
	DATE("deros_date", "DEROS", 0),
	ENUM("clearance", "Clearance", 12, REQ, sk_enum_clearance, "none"),
	ENUM("cert_level", "Cert level", 12, REQ, sk_enum_cert_level, "none"),
	TEXT("email", "Email", 24, 0),
	TEXT("phone", "Phone", 16, 0),
	TEXT("notes", "Notes", 30, LONG),
	SYSTEM_COLUMNS,
};

static const sk_column languages_columns[] = {
	ID,
	REF("person_id", "Person", 6, REQ, "personnel"),
	TEXT("language", "Language", 14, REQ | NAME),
	ENUM("listening", "L", 2, 0, sk_enum_ilr, NULL),
	ENUM("reading", "R", 2, 0, sk_enum_ilr, NULL),
	ENUM("speaking", "S", 2, 0, sk_enum_ilr, NULL),
	DATE("test_date", "Tested", 0),
	SYSTEM_COLUMNS,
};

static const sk_column courses_columns[] = {
	ID,
	TEXT("code", "Code", 10, KEY | NAME),
	TEXT("title", "Title", 34, REQ),
	ENUM("applies_to", "Applies to", 10, REQ, sk_enum_applies_to, "all"),
	INT("due_within_days", "Due (days)", 5, 0, 0, 3650),
	INT("recurs_months", "Recurs (mo)", 5, 0, 1, 600),
	SYSTEM_COLUMNS,
};

static const sk_column staff_training_columns[] = {
	ID,
	REF("person_id", "Person", 6, REQ | NAME, "personnel"),
	KEYREF("course_code", "Course", 10, REQ | NAME, "courses", "code"),
	DATE("due_date", "Due", 0),
	DATE("completed_date", "Completed", 0),
	DATE("expires_date", "Expires", 0),
	BOOL("waived", "Waived"),
	{.name = "status", .label = "Status", .type = SK_T_DERIVED, .width = 8,
	 .enumeration = &sk_enum_training_status,
	 .expr = "CASE WHEN t.waived = 1 THEN 'waived'"
	         " WHEN t.completed_date IS NOT NULL AND t.expires_date IS NOT NULL"
	         "  AND t.expires_date < sk_today() THEN 'expired'"
	         " WHEN t.completed_date IS NOT NULL THEN 'done'"
	         " WHEN t.due_date IS NOT NULL AND t.due_date < sk_today() THEN 'overdue'"
	         " ELSE 'due' END"},
	TEXT("notes", "Notes", 30, LONG),
	SYSTEM_COLUMNS,
};

static const sk_column students_columns[] = {
	ID,
	TEXT("last_name", "Last name", 16, REQ | NAME),
	TEXT("first_name", "First name", 14, REQ | NAME),
	{.name = "rank", .label = "Rank", .type = SK_T_TEXT, .width = 10,
	 .sort_by = "us_equivalent_grade"},
	CHECKED("us_equivalent_grade", "US grade", 6, SK_F_GRADE, sk_check_grade),
	TEXT("service", "Service", 12, 0),
	TEXT("unit", "Unit", 16, 0),
	ENUM("program", "Program", 8, 0, sk_enum_authority, NULL),
	CHECKED("case_id", "Case", 10, 0, sk_check_case_id),
	INT("fiscal_year", "FY", 4, 0, 1950, 2200),
	TEXT("course_id", "MASL", 8, 0),
	TEXT("course_title", "Course", 24, 0),
	TEXT("school", "School", 16, 0),
	DATE("report_date", "Report", 0),
	DATE("start_date", "Start", 0),
	DATE("end_date", "End", 0),
	INT("ecl_score", "ECL", 3, 0, 0, 100),
	INT("ecl_required", "ECL min", 3, 0, 0, 100),
	BOOL("medical_cleared", "Medical"),
	ENUM("leahy_status", "Leahy vetting", 13, REQ, sk_enum_leahy, "not_submitted"),
	TEXT("leahy_ref", "Vetting ref", 12, 0),
	DATE("leahy_date", "Vetted on", 0),
	TEXT("ito_number", "ITO", 10, 0),
	DATE("ito_date", "ITO date", 0),
	ENUM("status", "Status", 11, REQ, sk_enum_student_status, "nominated"),
	/* no default: a file from before schema 5 has no such column, and its
	 * rows are history, not moves (sk_row_students) */
	{.name = "security_vetting", .label = "Security vetting", .type = SK_T_ENUM,
	 .width = 13, .enumeration = &sk_enum_security_vetting, .since = 5},
	{.name = "security_vetting_date", .label = "Screened on", .type = SK_T_DATE,
	 .width = 10, .since = 5},
	TEXT("notes", "Notes", 30, LONG),
	SYSTEM_COLUMNS,
};

static const sk_column programs_columns[] = {
	ID,
	ENUM("authority", "Authority", 8, REQ, sk_enum_authority, NULL),
	{.name = "case_id", .label = "Case", .type = SK_T_TEXT, .width = 10,
	 .flags = SK_F_UNIQUE | SK_F_NATKEY | SK_F_NAME, .check = sk_check_case_id},
	TEXT("title", "Title", 30, REQ | NAME),
	/* an LOA case's only (sk_row_programs); no default, so that a file
	 * from before schema 6 brings its rows without one */
	{.name = "case_type", .label = "Case type", .type = SK_T_ENUM, .width = 13,
	 .enumeration = &sk_enum_case_type, .since = 6},
	CHECKED("implementing_agency", "IA", 2, 0, sk_check_agency),
	{.name = "status", .label = "Status", .type = SK_T_ENUM, .width = 15, .flags = REQ,
	 .enumeration = &sk_enum_program_status, .def = "lor_received",
	 .offers = sk_program_status_fits},
	INT("fiscal_year", "FY", 4, 0, 1950, 2200),
	{.name = "value_usd", .label = "Value ($)", .type = SK_T_MONEY, .width = 13},
	DATE("lor_date", "LOR", 0),
	DATE("aod_date", "AOD", 0),
	DATE("offer_date", "Offered", 0),
	DATE("oed_date", "OED", 0),
	DATE("accepted_date", "Accepted", 0),
	DATE("implemented_date", "Implemented", 0),
	DATE("ssc_date", "SSC", 0),
	DATE("closed_date", "Closed", 0),
	REF("poc_person_id", "POC", 6, 0, "personnel"),
	TEXT("partner_org", "Partner org.", 20, 0),
	DATE("status_date", "In status since", 0),
	TEXT("notes", "Notes", 30, LONG),
	DERIVED("days_in_status", "Days", 5,
	        "CAST(julianday(sk_today()) - julianday(t.status_date) AS INTEGER)"),
	/* a case's next LOA milestone; other programs have none */
	DERIVED("next_milestone", "Next milestone", 24,
	        "CASE WHEN t.authority NOT IN " SK_LOA_AUTHORITIES " THEN NULL ELSE CASE t.status"
	        " WHEN 'lor_received' THEN 'offer' || coalesce(' by ' || t.aod_date, '')"
	        " WHEN 'development' THEN 'offer' || coalesce(' by ' || t.aod_date, '')"
	        " WHEN 'offered' THEN 'acceptance' || coalesce(' by ' || t.oed_date, '')"
	        " WHEN 'accepted' THEN 'implementation'"
	        " WHEN 'implemented' THEN 'supply complete'"
	        " WHEN 'supply_complete' THEN 'closure' END END"),
	SYSTEM_COLUMNS,
};

static const sk_column contacts_columns[] = {
	ID,
	TEXT("last_name", "Last name", 16, REQ | NAME),
	TEXT("first_name", "First name", 14, NAME),
	TEXT("native_name", "Native name", 18, 0),
	{.name = "rank", .label = "Rank", .type = SK_T_TEXT, .width = 10,
	 .sort_by = "us_equivalent_grade"},
	CHECKED("us_equivalent_grade", "US grade", 6, SK_F_GRADE, sk_check_grade),
	TEXT("service", "Service", 12, 0),
	TEXT("organization", "Organization", 20, 0),
	TEXT("position", "Position", 20, 0),
	TEXT("phone", "Phone", 16, 0),
	TEXT("email", "Email", 24, 0),
	TEXT("language", "Language", 10, 0),
	BOOL("key_leader", "Key leader"),
	TEXT("us_trained", "U.S. trained", 24, 0),
	TEXT("notes", "Notes", 30, LONG),
	SYSTEM_COLUMNS,
};

static const sk_column engagements_columns[] = {
	ID,
	DATE("date", "Date", REQ | NAME | SK_F_TODAY),
	ENUM("type", "Type", 13, REQ | NAME, sk_enum_engagement_type, NULL),
	TEXT("location", "Location", 18, 0),
	{.name = "contact_ids", .label = "Contacts", .type = SK_T_LINKS, .width = 12,
	 .ref_table = "contacts", .link_table = "engagement_contacts",
	 .link_owner = "engagement_id", .link_target = "contact_id",
	 .expr = "(SELECT group_concat(contact_id, ';') FROM (SELECT contact_id"
	         " FROM engagement_contacts WHERE engagement_id = t.id"
	         " ORDER BY contact_id))"},
	TEXT("us_participants", "U.S. participants", 20, 0),
	REF("program_id", "Program", 6, 0, "programs"),
	TEXT("objectives", "Objectives", 30, LONG),
	TEXT("outcomes", "Outcomes", 30, LONG),
	TEXT("followup", "Follow-up", 30, LONG),
	DATE("followup_due", "Follow-up due", 0),
	BOOL("followup_done", "Done"),
	SYSTEM_COLUMNS,
};

static const sk_column settings_columns[] = {
	ID,
	{.name = "key", .label = "Key", .type = SK_T_TEXT, .width = 24,
	 .flags = KEY | NAME, .check = sk_check_setting_key},
	TEXT("value", "Value", 40, 0),
	SYSTEM_COLUMNS,
};

/* Units are vetted too (schema 5): a unit named on a program, its case in
 * the vetting system and the result, as for a person's Leahy vetting. */
static const sk_column unit_vetting_columns[] = {
	ID,
	TEXT("unit", "Unit", 24, REQ | NAME),
	REF("program_id", "Program", 14, 0, "programs"),
	TEXT("reference", "Vetting ref", 14, 0),
	DATE("submitted_date", "Submitted", 0),
	ENUM("result", "Result", 13, REQ, sk_enum_leahy, "not_submitted"),
	DATE("result_date", "Result on", 0),
	TEXT("notes", "Notes", 30, LONG),
	SYSTEM_COLUMNS,
};

/* The register of defense articles under end-use monitoring (schema 6).
 * A serial number is unique within its case, not across cases: two cases
 * may deliver from the same maker's range. */
static const sk_column eum_items_columns[] = {
	ID,
	REF("program_id", "Case", 14, REQ, "programs"),
	TEXT("case_line", "Line", 4, 0),
	ENUM("category", "Category", 8, REQ, sk_enum_eum_category, NULL),
	TEXT("description", "Description", 24, REQ | NAME),
	{.name = "serial_number", .label = "Serial", .type = SK_T_TEXT, .width = 14,
	 .flags = REQ | NAME, .unique_within = "program_id"},
	BOOL("eeum", "EEUM"),
	DATE("delivered_date", "Delivered", 0),
	TEXT("site", "Site", 16, 0),
	TEXT("unit", "Unit", 16, 0),
	REF("custodian_contact_id", "Custodian", 6, 0, "contacts"),
	ENUM("status", "Status", 11, REQ, sk_enum_eum_item_status, "in_storage"),
	DATE("status_date", "In status since", 0),
	TEXT("external_ref", "EUM database ref", 14, 0),
	TEXT("notes", "Notes", 30, LONG),
	/* what its last inventory found, and when the next is due: a watched
	 * (enhanced-monitoring, held) item's is eum_inventory_days after the
	 * last inventory that saw it, or eum_initial_days after delivery
	 * until one has */
	{.name = "last_inventory", .label = "Last inventory", .type = SK_T_DERIVED, .width = 10,
	 .flags = SK_F_LOOKUP, .expr = SK_EUM_LAST_LINE("t.id", "d.date")},
	{.name = "last_result", .label = "Found", .type = SK_T_DERIVED, .width = 10,
	 .flags = SK_F_LOOKUP, .enumeration = &sk_enum_eum_result,
	 .expr = SK_EUM_LAST_LINE("t.id", "y.result")},
	{.name = "next_inventory_due", .label = "Next due", .type = SK_T_DERIVED, .width = 10,
	 .flags = SK_F_LOOKUP, .expr =
	        "CASE WHEN t.eeum = 1 AND t.status IN ('in_storage', 'issued') THEN coalesce("
	        " date(" SK_EUM_LAST_SEEN("t.id") ", printf('+%d days',"
	        "  sk_setting_int('eum_inventory_days'))),"
	        " date(t.delivered_date, printf('+%d days', sk_setting_int('eum_initial_days'))))"
	        " END"},
	SYSTEM_COLUMNS,
};

/* An inventory, a storage-site check or a visit. */
static const sk_column eum_checks_columns[] = {
	ID,
	DATE("date", "Date", REQ | NAME | SK_F_TODAY),
	ENUM("kind", "Kind", 17, REQ | NAME, sk_enum_eum_check_kind, NULL),
	REF("program_id", "Case", 14, 0, "programs"),
	TEXT("site", "Site", 16, 0),
	TEXT("us_participants", "U.S. participants", 20, 0),
	TEXT("findings", "Findings", 30, LONG),
	TEXT("report_ref", "Report ref", 12, 0),
	TEXT("followup", "Follow-up", 30, LONG),
	DATE("followup_due", "Follow-up due", 0),
	BOOL("followup_done", "Done"),
	/* what it saw and missed, from its lines */
	DERIVED("items_seen", "Seen", 5,
	        "(SELECT count(*) FROM eum_check_items x WHERE x.check_id = t.id"
	        " AND x.deleted_at IS NULL AND x.result <> 'not_seen')"),
	DERIVED("items_not_seen", "Missed", 6,
	        "(SELECT count(*) FROM eum_check_items x WHERE x.check_id = t.id"
	        " AND x.deleted_at IS NULL AND x.result = 'not_seen')"),
	SYSTEM_COLUMNS,
};

/* What a check found of each item it looked for: an item's last inventory
 * is a fact. One line per item and check; the notes say what was wrong
 * with one damaged or at the wrong site. */
static const sk_column eum_check_items_columns[] = {
	ID,
	REF("check_id", "Check", 6, REQ | NAME, "eum_checks"),
	{.name = "item_id", .label = "Item", .type = SK_T_REF, .width = 6,
	 .flags = REQ | NAME, .ref_table = "eum_items", .unique_within = "check_id"},
	ENUM("result", "Result", 10, REQ, sk_enum_eum_result, "seen"),
	TEXT("notes", "Notes", 30, LONG),
	SYSTEM_COLUMNS,
};

static const sk_column audit_log_columns[] = {
	ID,
	{.name = "ts", .label = "When", .type = SK_T_TIMESTAMP, .flags = REQ, .width = 20},
	TEXT("user", "Who", 16, REQ),
	ENUM("action", "Action", 7, REQ, sk_enum_audit_action, NULL),
	TEXT("table_name", "Table", 14, REQ),
	INT("row_id", "Row", 6, 0, 0, 0),
	TEXT("before", "Before", 30, SK_F_NOINDEX),
	TEXT("after", "After", 30, SK_F_NOINDEX),
};

#define TABLE(n, l, p, ...)                                                  \
	static const sk_table n##_table = {.name = #n, .label = l, .plural = p,  \
	                                   .columns = n##_columns,               \
	                                   .ncolumns = N(n##_columns), __VA_ARGS__}

TABLE(billets, "billet", "billets", .since = 1, .check_row = sk_row_billets);
TABLE(personnel, "person", "personnel", .check_row = sk_row_personnel,
      .after = sk_after_personnel);
TABLE(languages, "language", "languages", .since = 1);
TABLE(courses, "course", "courses", .since = 1);
TABLE(staff_training, "training record", "training records",
      .prepare = sk_prepare_staff_training, .check_row = sk_row_staff_training,
      .after = sk_after_staff_training);
TABLE(students, "student", "students", .check_row = sk_row_students);
TABLE(programs, "program", "programs", .prepare = sk_prepare_programs,
      .check_row = sk_row_programs);
TABLE(unit_vetting, "unit vetting", "unit vettings", .since = 5);
TABLE(contacts, "contact", "contacts", .since = 1);
TABLE(engagements, "engagement", "engagements", .since = 1);
TABLE(settings, "setting", "settings", .since = 1);
TABLE(eum_items, "EUM item", "EUM items", .since = 6, .check_row = sk_row_eum_items);
TABLE(eum_checks, "EUM check", "EUM checks", .since = 6, .check_row = sk_row_eum_checks);
TABLE(eum_check_items, "EUM check item", "EUM check items", .since = 6,
      .check_row = sk_row_eum_check_items);
TABLE(audit_log, "audit entry", "audit entries", .append_only = true);

const sk_table *const sk_tables[] = {
	&settings_table, &billets_table, &personnel_table, &languages_table,
	&courses_table, &staff_training_table, &students_table,
	&programs_table, &unit_vetting_table, &contacts_table, &engagements_table,
	&eum_items_table, &eum_checks_table, &eum_check_items_table, &audit_log_table,
};
const size_t sk_ntables = N(sk_tables);

const sk_table *sk_table_find(const char *name)
{
	for (size_t i = 0; name && i < sk_ntables; i++)
		if (strcmp(sk_tables[i]->name, name) == 0)
			return sk_tables[i];
	return NULL;
}

int sk_column_index(const sk_table *t, const char *name)
{
	for (size_t i = 0; name && i < t->ncolumns; i++)
		if (strcmp(t->columns[i].name, name) == 0)
			return (int)i;
	return -1;
}

const sk_column *sk_column_find(const sk_table *t, const char *name)
{
	int i = sk_column_index(t, name);
	return i < 0 ? NULL : &t->columns[i];
}

int sk_enum_index(const sk_enum *e, const char *code)
{
	for (size_t i = 0; code && i < e->count; i++)
		if (strcmp(e->values[i].code, code) == 0)
			return (int)i;
	return -1;
}

const char *sk_enum_label(const sk_enum *e, const char *code)
{
	int i = sk_enum_index(e, code);
	return i < 0 ? code : e->values[i].label;
}

bool sk_column_stored(const sk_column *c)
{
	return c->type != SK_T_LINKS && c->type != SK_T_DERIVED;
}

bool sk_column_searchable(const sk_column *c)
{
	return c->type == SK_T_TEXT || c->type == SK_T_ENUM || c->type == SK_T_DATE ||
	       c->type == SK_T_KEYREF;
}

bool sk_column_sortable(const sk_column *c)
{
	return sk_column_stored(c);
}

bool sk_column_quick_sort(const sk_column *c)
{
	return sk_column_indexed(c) && c->type != SK_T_REF && !(c->flags & SK_F_GRADE) &&
	       !c->sort_by;
}

bool sk_column_indexed(const sk_column *c)
{
	if (!sk_column_sortable(c))
		return false;
	if (c->type == SK_T_ID || c->type == SK_T_REF || c->type == SK_T_KEYREF ||
	    (c->flags & SK_F_UNIQUE))
		return true;
	return !(c->flags & (SK_F_MULTILINE | SK_F_SYSTEM | SK_F_NOINDEX));
}
