/*
 * screens.c: what each screen shows. Every screen is a configuration of
 * the one list engine: a source (a table's records unless it says
 * otherwise), its columns, a default sort, what 'o' opens as related
 * records, and what the quick key 't' changes. A related tab is its
 * table's home tab (tui_tab_for): a contact's log is listed, and quickly
 * changed, as the Engagements tab.
 */
#include <string.h>

#include "screens.h"
#include "tui.h"

#define COLS(...) (const char *const[]){__VA_ARGS__, NULL}

/* The tabs of each screen of screens.h. */
static const tab_def dashboard_tabs[] = {
	{.title = "Alerts", .source = &list_alerts_source,
	 .columns = COLS("severity", "due_date", "subject", "detail", "rule")},
};

static const tab_def roster_tabs[] = {
	{.title = "Billets", .table = "billets", .sort = "billet_number",
	 .columns = COLS("billet_number", "title", "authorized_grade", "incumbent", "deros_date",
	                 "replacement", "replacement_arrival", "gap_days", "required_cert_level")},
	{.title = "Personnel", .table = "personnel", .sort = "last_name",
	 .columns = COLS("last_name", "first_name", "grade", "service", "billet_number", "status",
	                 "arrival_date", "deros_date", "cert_level", "clearance"),
	 .related = {{"languages", "person_id"}, {"staff_training", "person_id"}}},
};

static const tab_def training_tabs[] = {
	{.title = "Staff", .table = "staff_training", .sort = "due_date",
	 .columns = COLS("person_id", "course_code", "status", "due_date", "completed_date",
	                 "expires_date", "notes")},
	{.title = "Students", .table = "students", .sort = "report_date", .quick = "status",
	 .columns = COLS("last_name", "first_name", "report_date", "leahy_status", "status",
	                 "ecl_score", "ecl_required", "course_title", "rank", "ito_number",
	                 "program", "case_id")},
	{.title = "Courses", .table = "courses", .sort = "code",
	 .columns = COLS("code", "title", "applies_to", "due_within_days", "recurs_months"),
	 .related = {{"staff_training", "course_code"}}},
};

static const tab_def programs_tabs[] = {
	{.title = "Programs", .table = "programs", .sort = "case_id",
	 .columns = COLS("authority", "case_id", "title", "status", "next_milestone",
	                 "days_in_status", "value_usd", "poc_person_id"),
	 .related = {{"students", "case_id"}, {"engagements", "program_id"},
	             {"eum_items", "program_id"}, {"eum_checks", "program_id"}}},
	{.title = "Units", .table = "unit_vetting", .sort = "unit",
	 .columns = COLS("unit", "program_id", "reference", "submitted_date", "result",
	                 "result_date", "notes")},
	{.title = "EUM items", .table = "eum_items", .sort = "serial_number",
	 .columns = COLS("serial_number", "status", "next_inventory_due", "last_inventory",
	                 "last_result", "category", "description", "site", "program_id", "eeum",
	                 "delivered_date", "unit", "custodian_contact_id"),
	 .related = {{"eum_check_items", "item_id"}}},
	{.title = "EUM checks", .table = "eum_checks", .sort = "date", .descending = true,
	 .quick = "followup_done",
	 .columns = COLS("date", "kind", "program_id", "site", "items_seen", "items_not_seen",
	                 "followup_due", "followup_done", "followup", "findings"),
	 .related = {{"eum_check_items", "check_id"}}},
};

static const tab_def contacts_tabs[] = {
	{.title = "Contacts", .table = "contacts", .sort = "last_name",
	 .columns = COLS("last_name", "first_name", "native_name", "rank", "organization",
	                 "position", "key_leader", "phone"),
	 .related = {{"engagements", "contact_ids"}}},
	{.title = "Engagements", .table = "engagements", .sort = "date", .descending = true,
	 .quick = "followup_done",
	 .columns = COLS("date", "type", "contact_ids", "location", "followup_due",
	                 "followup_done", "followup", "objectives")},
};

static const tab_def audit_tabs[] = {
	{.title = "Audit", .table = "audit_log", .sort = "ts", .descending = true,
	 .columns = COLS("ts", "user", "action", "table_name", "row_id", "after", "before")},
};

#define AS_SCREEN_DEF(X, id, title, help) \
	{title, id##_tabs, (int)(sizeof id##_tabs / sizeof id##_tabs[0])},

const screen_def tui_screens[SK_NSCREENS] = {SK_SCREENS(AS_SCREEN_DEF, 0)};
const int tui_nscreens = SK_NSCREENS;

/* Tables shown only as related records. */
static const tab_def related_only[] = {
	{.title = "Languages", .table = "languages", .sort = "language",
	 .columns = COLS("language", "listening", "reading", "speaking", "test_date")},
	{.title = "Check items", .table = "eum_check_items", .sort = "result",
	 .columns = COLS("check_id", "item_id", "result", "notes")},
};

const tab_def *tui_tab_at(int i)
{
	for (int s = 0; s < tui_nscreens; s++) {
		if (i < tui_screens[s].ntabs)
			return &tui_screens[s].tabs[i];
		i -= tui_screens[s].ntabs;
	}
	return i < (int)(sizeof related_only / sizeof related_only[0]) ? &related_only[i] : NULL;
}

const tab_def *tui_tab_for(const char *table)
{
	int s, t;
	if (tui_home_of(table, &s, &t))
		return &tui_screens[s].tabs[t];
	for (size_t i = 0; i < sizeof related_only / sizeof related_only[0]; i++)
		if (strcmp(related_only[i].table, table) == 0)
			return &related_only[i];
	return NULL;
}

bool tui_home_of(const char *table, int *screen, int *tab)
{
	for (int s = 0; s < tui_nscreens; s++)
		for (int t = 0; t < tui_screens[s].ntabs; t++)
			if (tui_screens[s].tabs[t].table &&
			    strcmp(tui_screens[s].tabs[t].table, table) == 0) {
				*screen = s;
				*tab = t;
				return true;
			}
	return false;
}

const char *tui_related_value(const sk_column *c, const sk_record *parent)
{
	/* a natural-key reference holds the parent's key, not its id; a
	 * plain text column the value of the parent's column of its name (a
	 * student's case) */
	if (c->type == SK_T_KEYREF)
		return sk_get(parent, c->ref_column);
	if (c->type == SK_T_REF || c->type == SK_T_LINKS)
		return sk_get(parent, "id");
	return sk_column_find(parent->table, c->name) ? sk_get(parent, c->name) : NULL;
}
